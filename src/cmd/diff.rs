use crate::assemble::assemble_plan;
use crate::check::codes;
use crate::cli::DiffArgs;
use crate::diag::{Diagnostic, display_path};
use crate::diff::{Redline, redline};
use crate::document::{Article, Block, Document, List, Run};
use crate::failure::{Failure, Result};
use crate::library::Library;
use crate::profile::Profile;
use crate::project::Project;
use crate::render::WriteOptions;
use crate::resolve::{PlanItem, plan};
use crate::template::Engine;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn diff(args: &DiffArgs) -> Result {
    let project = Project::load(
        &super::project_options(&args.library, crate::template::MAX_CLAUSE_OUTPUT),
        "nothing was compared",
    )?;
    let format = args.format;
    if args.out.is_none() && !args.stat && !format.writer().to_stdout() {
        return Err(Failure::Usage(format!(
            "-f {} needs an output file: -o FILE",
            format.name()
        )));
    }
    let files = Path::new(&args.old).is_file() || Path::new(&args.new).is_file();
    let project = if files {
        let both = [PathBuf::from(&args.old), PathBuf::from(&args.new)];
        project.with_overlays(&both, "nothing was compared")?
    } else {
        project
    };
    let (lib, engine) = (&project.library, &project.engine);
    let (old, new) = if files {
        let old = project.assemble(Path::new(&args.old))?.document;
        (old, project.assemble(Path::new(&args.new))?.document)
    } else {
        let p = match &args.profile {
            Some(p) => Profile::from_file(p),
            None => Profile::parse(
                Path::new("sample.toml"),
                crate::check::schema::sample_source(),
            ),
        }?;
        let old = clause_doc(&args.old, &p, lib, engine)?;
        (old, clause_doc(&args.new, &p, lib, engine)?)
    };
    let red = redline(&old, &new);
    if args.verbosity.verbose {
        crate::say!(
            "compared {} (earlier) with {} (later): {} article(s) changed",
            args.old,
            args.new,
            red.stats.len()
        );
    }
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
        if !args.verbosity.quiet {
            crate::out!("no differences");
        }
    } else {
        // A DOCX redline is tracked changes only: accepting them all must give the new
        // agreement and rejecting them the old, so it carries no summary article.
        let doc = if format == crate::render::Format::DOCX {
            red.document.clone()
        } else {
            with_summary(&red, &args.old, &args.new)
        };
        let opts = WriteOptions {
            date: crate::batch::source_date().or(doc.date_iso),
            pdf_standard: args.pdf_standard.into(),
            esign_anchors: false,
        };
        let bytes = format.write(&doc, &opts)?;
        match &args.out {
            Some(path) => {
                crate::write::atomic_write(path, &bytes)?;
                if !args.verbosity.quiet {
                    crate::say!("wrote {}", path.display());
                }
            }
            None => std::io::stdout().lock().write_all(&bytes)?,
        }
    }
    if changed && args.exit_code {
        return Err(Failure::Reported);
    }
    Ok(())
}

/// One clause version rendered in the context of a profile, as a one-article document.
fn clause_doc(
    spec: &str,
    profile: &Profile,
    lib: &Library,
    engine: &Engine,
) -> std::result::Result<Document, crate::diag::Diagnostics> {
    let clause = lib
        .find(spec)
        .map_err(|m| Diagnostic::error(codes::E0153, &lib.root, m))?;
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
        numbering: Default::default(),
        variant: None,
        redline: None,
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
