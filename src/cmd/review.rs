use crate::check::codes;
use crate::cli::{ReportFormat, ReviewArgs};
use crate::diag::Diagnostic;
use crate::failure::{Failure, Result};
use crate::profile::Profile;
use crate::project::Project;
use crate::report::printable;
use crate::review::{ClauseReview, Limits, Review};
use std::fmt::Write as _;

pub fn review(args: &ReviewArgs) -> Result {
    let refused = "nothing was reviewed";
    let project = Project::load(
        &super::project_options(&args.library, crate::template::MAX_CLAUSE_OUTPUT),
        refused,
    )?;
    let mut project = project.with_overlays(std::slice::from_ref(&args.profile), refused)?;
    let profile = Profile::from_file(&args.profile)?;
    let limits = Limits::default();
    let bytes = match crate::source::read_bytes(&args.theirs, limits.file as usize) {
        Ok(b) => b,
        Err(crate::source::SourceError::TooLarge { .. }) => {
            return Err(Diagnostic::error(
                codes::E0850,
                &args.theirs,
                format!(
                    "the DOCX is larger than the {} bytes a returned agreement may have",
                    limits.file
                ),
            )
            .into());
        }
        Err(e) => {
            return Err(Diagnostic::error(
                codes::E0001,
                &args.theirs,
                format!("cannot read the returned DOCX: {e}"),
            )
            .into());
        }
    };
    let returned = crate::review::read(&args.theirs, bytes, limits)?;
    let (review, search) = crate::review::review(&mut project, &profile, &args.theirs, &returned)?;
    let mut warnings = review.warnings.clone();
    let mut wrote = Vec::new();
    if let Some(dir) = &args.propose {
        let proposal = crate::review::propose::propose(
            &mut project,
            &profile,
            &search,
            &review.clauses,
            &args.theirs,
        )?;
        warnings.extend(proposal.warnings);
        for f in &proposal.files {
            let path = dir.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            crate::write::atomic_write(&path, f.text.as_bytes())?;
            wrote.push(path);
        }
    }
    if !args.verbosity.quiet {
        super::report(&warnings);
    }
    match args.format {
        ReportFormat::Json => {
            let json =
                serde_json::to_string_pretty(&review).map_err(|e| Failure::Other(e.into()))?;
            crate::out!("{json}");
        }
        ReportFormat::Text => crate::out_raw!("{}", text(&review)),
    }
    if !args.verbosity.quiet {
        for p in &wrote {
            crate::say!("wrote {}", crate::diag::display_path(p));
        }
    }
    if review.has_changes() {
        return Err(Failure::Reported);
    }
    Ok(())
}

/// `2024-05-02T10:00:00Z` as `2024-05-02`.
fn day(date: &Option<String>) -> String {
    match date {
        Some(d) => format!(", {}", d.get(..10).unwrap_or(d)),
        None => String::new(),
    }
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", printable(s))
}

fn clause_text(c: &ClauseReview, out: &mut String) {
    let what = match (&c.version, &c.variant) {
        (Some(v), Some(var)) => format!(" ({}/{var} {v})", c.id),
        (Some(v), None) => format!(" ({} {v})", c.id),
        _ => String::new(),
    };
    let status = match c.status {
        "values" => "profile values changed",
        "changed" => "text changed",
        "removed" => "removed",
        "added" => "added by them",
        _ => "commented",
    };
    let _ = writeln!(out, "{}{what}: {status}", printable(&c.heading));
    for v in &c.profile_changes {
        let _ = writeln!(
            out,
            "  value      {}: {} -> {}",
            v.key,
            printable(&v.from),
            printable(&v.to)
        );
    }
    for t in &c.tracked {
        let sign = if t.kind == "inserted" { "+" } else { "-" };
        let _ = writeln!(
            out,
            "  tracked    {sign} {}  ({}{})",
            quoted(&t.text),
            printable(&t.author),
            day(&t.date)
        );
    }
    for h in &c.untracked {
        let mut line = String::from("  untracked ");
        if !h.deleted.is_empty() {
            let _ = write!(line, " - {}", quoted(&h.deleted));
        }
        if !h.inserted.is_empty() {
            let _ = write!(line, " + {}", quoted(&h.inserted));
        }
        let _ = writeln!(out, "{line}");
    }
    for m in &c.comments {
        let _ = writeln!(
            out,
            "  comment    {}{} on {}: {}",
            printable(&m.author),
            day(&m.date),
            quoted(&m.anchor),
            printable(&m.text)
        );
    }
}

fn text(review: &Review) -> String {
    let mut out = String::new();
    for c in &review.clauses {
        clause_text(c, &mut out);
        out.push('\n');
    }
    let changed = review
        .clauses
        .iter()
        .filter(|c| c.status != "comments")
        .count();
    let by_values = review
        .clauses
        .iter()
        .filter(|c| c.status == "values")
        .count();
    let comments: usize = review.clauses.iter().map(|c| c.comments.len()).sum();
    if changed == 0 {
        let _ = write!(out, "no changes against {}", review.profile);
    } else {
        let _ = write!(
            out,
            "{changed} clause(s) changed ({by_values} by profile values only)"
        );
    }
    let _ = write!(out, ", {comments} comment(s)");
    if !review.profile_changes.is_empty() {
        let list: Vec<String> = review
            .profile_changes
            .iter()
            .map(|v| format!("{}: {} -> {}", v.key, printable(&v.from), printable(&v.to)))
            .collect();
        let _ = write!(out, "; profile: {}", list.join(", "));
    }
    out.push('\n');
    out
}
