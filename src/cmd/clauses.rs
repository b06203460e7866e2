use super::{load_library, report};
use crate::diag::Diagnostic;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn clauses_list(root: &Path) -> anyhow::Result<ExitCode> {
    let (lib, _, diags) = load_library(root);
    report(&diags);
    let mut out = std::io::stdout().lock();
    for (id, versions) in &lib.clauses {
        let newest = versions
            .last()
            .map(|c| c.front.title.as_str())
            .unwrap_or("");
        writeln!(out, "{id:<26} {newest}")?;
        for c in versions {
            writeln!(
                out,
                "  {:<10} states {:<8} {}",
                c.version.to_string(),
                c.front.states.join(","),
                c.front.summary
            )?;
        }
    }
    Ok(exit(&diags))
}

pub fn clauses_show(root: &Path, spec: &str) -> anyhow::Result<ExitCode> {
    let (lib, _, diags) = load_library(root);
    report(&diags);
    match lib.find(spec) {
        Ok(c) => {
            let text = std::fs::read_to_string(&c.path)?;
            print!("{text}");
            Ok(exit(&diags))
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            Ok(ExitCode::from(1))
        }
    }
}

fn exit(diags: &[Diagnostic]) -> ExitCode {
    if diags.iter().any(Diagnostic::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
