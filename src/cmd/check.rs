use crate::cli::{CheckArgs, ReportFormat};
use crate::diag::Severity;
use crate::failure::{Failure, Result};
use crate::project::Project;
use std::io::Write;

pub fn check(args: &CheckArgs) -> Result {
    if let Some(code) = &args.explain {
        return match crate::check::codes::explain(code) {
            Some(text) => {
                crate::out_raw!("{text}");
                Ok(())
            }
            None => Err(Failure::Usage(format!("no diagnostic code `{code}`"))),
        };
    }
    let project = Project::open(&super::project_options(
        &args.library,
        args.max_clause_output,
    ));
    let (checked, diags) = match crate::discover::discover(&args.paths) {
        Ok(found) => {
            let mut diags = crate::check::check(&found.profiles, &project);
            diags.extend(found.missing);
            (found.profiles.len(), diags)
        }
        Err(d) => {
            let mut diags = project.diagnostics.clone();
            diags.push(d);
            (0, diags)
        }
    };
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    match args.format {
        ReportFormat::Json => {
            std::io::stdout()
                .lock()
                .write_all(crate::report::to_json_lines(&diags).as_bytes())?;
        }
        ReportFormat::Text if args.verbosity.quiet => {
            let shown: Vec<_> = diags.iter().filter(|d| d.is_error()).cloned().collect();
            crate::report::eprint(&shown);
            if errors > 0 {
                crate::say!("{errors} error(s), {warnings} warning(s)");
            }
        }
        ReportFormat::Text => {
            crate::report::eprint(&diags);
            if args.verbosity.verbose {
                crate::say!(
                    "checked {} profile(s) against {}",
                    checked,
                    args.library.display()
                );
            }
            crate::say!("{errors} error(s), {warnings} warning(s)");
        }
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        return Err(Failure::Reported);
    }
    Ok(())
}
