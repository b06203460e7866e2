//! `mou amend OLD NEW`: the amendment that makes the agreement OLD read as NEW.

use crate::cli::AmendArgs;
use crate::failure::{Failure, Result};
use crate::lifecycle::{amend, amend_doc, pair};
use crate::project::Project;
use crate::render::WriteOptions;
use std::io::Write;

pub fn amend(args: &AmendArgs) -> Result {
    let refused = "no amendment was written";
    if args.out.is_none()
        && let Some(f) = args.formats.iter().find(|f| !f.writer().to_stdout())
    {
        return Err(Failure::Usage(format!(
            "-f {} needs an output folder: -o DIR",
            f.name()
        )));
    }
    if args.out.is_none() && args.formats.len() > 1 {
        return Err(Failure::Usage(
            "several formats need an output folder: -o DIR".into(),
        ));
    }
    let both = [args.old.clone(), args.new.clone()];
    let project = Project::load(
        &super::project_options(&args.library, crate::template::MAX_CLAUSE_OUTPUT),
        refused,
    )?
    .with_overlays(&both, refused)?;
    let pair = pair::load(&project, &args.old, &args.new)?;
    let changes = amend::changes(&pair.old, &pair.amended);
    if changes.is_empty() {
        if !args.verbosity.quiet {
            crate::say!(
                "nothing to amend: {} and {} read the same",
                crate::diag::display_path(&args.old),
                crate::diag::display_path(&args.new)
            );
        }
        return Ok(());
    }
    let (old_raw, new_raw) = (&pair.old_profile.raw, &pair.new_profile.raw);
    let new_date = new_raw.agreement.date;
    let ended = old_raw
        .term
        .end
        .filter(|end| new_date.is_some_and(|d| d > *end));
    let ratify_from = new_raw.term.start.filter(|start| {
        new_date.is_some_and(|d| *start < d)
            && old_raw.agreement.date.is_none_or(|d| *start >= d)
            && old_raw.term.start != Some(*start)
    });
    let parties = amend_doc::Parties {
        ended,
        ratify_from,
        agency: crate::profile::party_names(new_raw)
            .get(1)
            .map(|(_, short)| short.clone())
            .unwrap_or_default(),
        names: pair::party_names(&pair.new_profile, &pair.new),
        signatures: pair::signatures(&pair.new),
        term: pair
            .old_profile
            .raw
            .term
            .start
            .zip(pair.old_profile.raw.term.end),
    };
    let doc = amend_doc::document(args.number, &pair.old, &pair.new, &parties, &changes);
    let opts = WriteOptions {
        date: crate::batch::source_date().or(doc.date_iso),
        pdf_standard: args.pdf_standard.into(),
        esign_anchors: args.esign_anchors,
    };
    match &args.out {
        None => {
            let bytes = args.formats[0].write(&doc, &opts)?;
            std::io::stdout().lock().write_all(&bytes)?;
        }
        Some(dir) => {
            // Every file rendered before any is written: a failure leaves none.
            let mut files = Vec::new();
            for f in &args.formats {
                let name = format!(
                    "{}-amendment-{}.{}",
                    pair.old_profile.id.as_str(),
                    args.number,
                    f.extension()
                );
                files.push((dir.join(name), f.write(&doc, &opts)?));
            }
            std::fs::create_dir_all(dir)?;
            for (path, bytes) in files {
                crate::write::atomic_write(&path, &bytes)?;
                if !args.verbosity.quiet {
                    crate::say!("wrote {}", path.display());
                }
            }
        }
    }
    if args.verbosity.verbose {
        crate::say!("{} amendment(s)", changes.len());
    }
    Ok(())
}
