use super::{load_library, report};
use crate::assemble::assemble_plan;
use crate::cli::{DiffArgs, Format};
use crate::diag::{Diagnostic, display_path};
use crate::diff::{Redline, redline};
use crate::document::{Article, Block, Document, List, Run};
use crate::library::Library;
use crate::profile::Profile;
use crate::resolve::{PlanItem, plan};
use crate::template::Engine;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn diff(args: &DiffArgs) -> anyhow::Result<ExitCode> {
    let (lib, engine, lib_diags) = load_library(&args.library);
    if lib_diags.iter().any(Diagnostic::is_error) {
        report(&lib_diags);
        crate::say!("error: the clause library has errors");
        return Ok(ExitCode::from(1));
    }
    let sides = if Path::new(&args.old).is_file() || Path::new(&args.new).is_file() {
        profile_doc(Path::new(&args.old), &lib, &engine)
            .and_then(|old| profile_doc(Path::new(&args.new), &lib, &engine).map(|new| (old, new)))
    } else {
        let profile = match &args.profile {
            Some(p) => Profile::from_file(p),
            None => Profile::parse(
                Path::new("sample.toml"),
                crate::check::schema::SCHEMA_PROFILE.to_string(),
            ),
        };
        profile.and_then(|p| {
            let old = clause_doc(&args.old, &p, &lib, &engine)?;
            let new = clause_doc(&args.new, &p, &lib, &engine)?;
            Ok((old, new))
        })
    };
    let (old, new) = match sides {
        Ok(s) => s,
        Err(d) => {
            report(&d.0);
            return Ok(ExitCode::from(1));
        }
    };
    let red = redline(&old, &new);
    let changed = !red.is_empty();
    if args.stat {
        let mut out = std::io::stdout().lock();
        for s in &red.stats {
            writeln!(
                out,
                "{:<60} {:>7} +{} -{}",
                s.heading, s.kind, s.inserted, s.deleted
            )?;
        }
        let (ins, del) = red
            .stats
            .iter()
            .fold((0, 0), |(i, d), s| (i + s.inserted, d + s.deleted));
        writeln!(
            out,
            "{} article(s) changed, {ins} word(s) inserted, {del} word(s) deleted",
            red.stats.len()
        )?;
    } else if !changed {
        crate::out!("no differences");
    } else {
        let doc = with_summary(&red, &args.old, &args.new);
        let opts = crate::render::RenderOptions {
            date: crate::batch::source_date().or_else(|| {
                doc.date_iso
                    .as_deref()
                    .and_then(crate::profile::Date::parse)
                    .map(|d| (d.year(), d.month(), d.day()))
            }),
            pdf_standard: args.pdf_standard,
        };
        let bytes = crate::render::render(&doc, args.format, &opts)?;
        match &args.out {
            Some(path) => {
                crate::write::atomic_write(path, &bytes)?;
                crate::say!("wrote {}", path.display());
            }
            None if args.format == Format::Md => std::io::stdout().lock().write_all(&bytes)?,
            None => anyhow::bail!(
                "-f {} needs an output file: -o FILE",
                args.format.extension()
            ),
        }
    }
    Ok(if changed && args.exit_code {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn profile_doc(
    path: &Path,
    lib: &Library,
    engine: &Engine,
) -> Result<Document, crate::diag::Diagnostics> {
    let p = Profile::from_file(path)?;
    Ok(crate::assemble::assemble(&p, lib, engine)?.document)
}

/// One clause version rendered in the context of a profile, as a one-article document.
fn clause_doc(
    spec: &str,
    profile: &Profile,
    lib: &Library,
    engine: &Engine,
) -> Result<Document, crate::diag::Diagnostics> {
    let clause = lib
        .find(spec)
        .map_err(|m| Diagnostic::error("E0153", &lib.root, m))?;
    let mut plan = plan(profile, lib).map_err(crate::diag::Diagnostics)?;
    match plan.items.iter_mut().find(|i| i.clause.id == clause.id) {
        Some(item) => item.clause = clause,
        None => plan.items.push(PlanItem {
            clause,
            number: None,
        }),
    }
    let mut doc = assemble_plan(profile, &plan, engine)?.document;
    doc.articles.retain(|a| a.id == clause.id);
    doc.title = format!("{} {}", clause.id, clause.version);
    Ok(doc)
}

/// The redline with a first, unnumbered article listing what changed.
fn with_summary(red: &Redline, old: &str, new: &str) -> Document {
    let name = |s: &str| {
        if Path::new(s).is_file() {
            display_path(Path::new(s))
        } else {
            s.to_string()
        }
    };
    let mut items: Vec<Vec<Block>> = red
        .stats
        .iter()
        .map(|s| {
            let what = match s.kind {
                "added" => "new article".to_string(),
                "removed" => "article removed".to_string(),
                _ => format!("{} word(s) inserted, {} deleted", s.inserted, s.deleted),
            };
            vec![Block::Paragraph(vec![Run::plain(format!(
                "{}: {what}",
                s.heading
            ))])]
        })
        .collect();
    if items.is_empty() {
        items.push(vec![Block::Paragraph(vec![Run::plain("No differences.")])]);
    }
    let summary = Article {
        id: "summary-of-changes".into(),
        version: String::new(),
        number: None,
        title: "Summary of Changes".into(),
        blocks: vec![
            Block::Paragraph(vec![Run::plain(format!(
                "This redline compares {} (earlier) with {} (later). Insertions are marked as inserted text and deletions as deleted text.",
                name(old),
                name(new)
            ))]),
            Block::List(List { start: None, items }),
        ],
    };
    let mut doc = red.document.clone();
    doc.articles.insert(0, summary);
    doc
}
