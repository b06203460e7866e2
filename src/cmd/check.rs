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
    let mut project = Project::open(&super::project_options(
        &args.library,
        args.max_clause_output,
    ));
    if args.deviations {
        return deviations(args, project);
    }
    let (checked, diags) = match crate::discover::discover(&super::profile_paths(&args.paths)) {
        Ok(found) => {
            project.add_overlays(&found.profiles);
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

/// `mou check --deviations`: the deviation report of each profile, text or JSON lines
/// (one object per agreement) on stdout; a profile that cannot be built is reported
/// as `check` would, and makes the exit code 1.
fn deviations(args: &CheckArgs, mut project: Project) -> Result {
    let found = crate::discover::discover(&super::profile_paths(&args.paths))?;
    project.add_overlays(&found.profiles);
    if project.has_errors() {
        return Err(Failure::invalid(
            project.diagnostics,
            "the clause library has errors; no report",
        ));
    }
    let mut failed = found.missing;
    let mut out = std::io::stdout().lock();
    for path in &found.profiles {
        match crate::deviations::report(path, &project.library, &project.engine) {
            Ok(r) => match args.format {
                ReportFormat::Json => {
                    let line = serde_json::to_string(&r).map_err(anyhow::Error::from)?;
                    writeln!(out, "{line}")?;
                }
                ReportFormat::Text => {
                    write!(out, "{}", crate::deviations::to_text(&r))?;
                    writeln!(out)?;
                }
            },
            Err(d) => failed.extend(crate::deviations::failed(path, d)),
        }
    }
    if !failed.is_empty() {
        crate::report::eprint(&failed);
        return Err(Failure::Reported);
    }
    Ok(())
}
