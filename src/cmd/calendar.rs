//! `mou calendar [PATH...]`: every dated obligation of each agreement, in one
//! iCalendar file or JSON document for all of them.

use crate::cli::{CalendarArgs, CalendarFormat};
use crate::date::Date;
use crate::failure::{Failure, Result};
use crate::lifecycle::{calendar, ics};
use crate::profile::Profile;
use crate::project::Project;
use std::collections::BTreeMap;
use std::io::Write;

pub fn calendar(args: &CalendarArgs) -> Result {
    let refused = "no calendar was written";
    let project = Project::load(
        &super::project_options(&args.library, crate::template::MAX_CLAUSE_OUTPUT),
        refused,
    )?;
    let found = project.profiles(&super::profile_paths(&args.paths))?;
    if !found.missing.is_empty() {
        return Err(Failure::invalid(found.missing, refused));
    }
    let project = project.with_overlays(&found.profiles, refused)?;
    let mut events = Vec::new();
    let mut diags = Vec::new();
    let mut stamps: BTreeMap<String, Date> = BTreeMap::new();
    for path in &found.profiles {
        let built = Profile::from_file(path).and_then(|p| {
            crate::assemble::assemble(&p, &project.library, &project.engine).map(|a| (p, a))
        });
        match built {
            Ok((profile, assembled)) => {
                let (mut evs, warnings) = calendar::events(&profile, &assembled.document);
                diags.extend(warnings);
                if let Some(d) = profile.raw.agreement.date.or(profile.raw.term.start) {
                    stamps.insert(profile.id.as_str().to_string(), d);
                }
                events.append(&mut evs);
            }
            Err(d) => diags.extend(d.0),
        }
    }
    if diags.iter().any(crate::diag::Diagnostic::is_error) {
        return Err(Failure::invalid(diags, refused));
    }
    if !args.verbosity.quiet {
        crate::report::eprint(&diags);
    }
    events.sort_by(|a, b| {
        (a.date, &a.agreement, &a.kind, a.seq).cmp(&(b.date, &b.agreement, &b.kind, b.seq))
    });
    let bytes = match args.format {
        CalendarFormat::Ics => ics::write(&events, |id| stamps.get(id).copied()).into_bytes(),
        CalendarFormat::Json => {
            let mut s = serde_json::to_string_pretty(&serde_json::json!({ "events": events }))
                .map_err(anyhow::Error::from)?;
            s.push('\n');
            s.into_bytes()
        }
    };
    match &args.out {
        Some(path) => {
            crate::write::atomic_write(path, &bytes)?;
            if !args.verbosity.quiet {
                crate::say!(
                    "wrote {} ({} events, {} agreement(s))",
                    path.display(),
                    events.len(),
                    found.profiles.len()
                );
            }
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}
