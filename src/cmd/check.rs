use super::load_library;
use crate::batch::discover;
use crate::cli::{CheckArgs, ReportFormat};
use crate::diag::Severity;
use std::io::Write;
use std::process::ExitCode;

pub fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    if let Some(code) = &args.explain {
        return Ok(match crate::check::codes::explain(code) {
            Some(text) => {
                crate::out_raw!("{text}");
                ExitCode::SUCCESS
            }
            None => {
                crate::say!("error: no diagnostic code `{code}`");
                ExitCode::from(2)
            }
        });
    }
    let (lib, mut engine, lib_diags) = load_library(&args.library);
    engine.set_output_limit(args.max_clause_output);
    let diags = match discover(&args.paths) {
        Ok(paths) => crate::check::check(&paths, &lib, &engine, lib_diags),
        Err(d) => vec![d],
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
        ReportFormat::Text => {
            crate::report::eprint(&diags);
            crate::say!("{errors} error(s), {warnings} warning(s)");
        }
    }
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
