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
            crate::out_raw!("{text}");
            Ok(exit(&diags))
        }
        Err(msg) => {
            crate::say!("error: {msg}");
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

/// `mou clauses used-by ID[@VERSION]`: the profiles a clause change would touch.
pub fn used_by(root: &Path, spec: &str, paths: &[std::path::PathBuf]) -> anyhow::Result<ExitCode> {
    let (lib, _, diags) = load_library(root);
    report(&diags);
    let (id, version) = match spec.split_once('@') {
        Some((id, v)) => (id, Some(v)),
        None => (spec, None),
    };
    if let Err(msg) = lib.find(spec) {
        crate::say!("error: {msg}");
        return Ok(ExitCode::from(1));
    }
    let paths = match crate::batch::discover(paths) {
        Ok(p) => p,
        Err(d) => {
            report(&[d]);
            return Ok(ExitCode::from(1));
        }
    };
    let resolved = crate::lock::resolve_all(&paths, &lib);
    let mut out = std::io::stdout().lock();
    for (agreement, locked) in &resolved {
        if let Some(c) = locked
            .clauses
            .iter()
            .find(|c| c.id == id && version.is_none_or(|v| v == c.version))
        {
            writeln!(
                out,
                "{agreement}\t{}@{}\t{}",
                c.id, c.version, locked.profile
            )?;
        }
    }
    if resolved.len() < paths.len() {
        crate::say!(
            "warning: {} profile(s) do not resolve and were not considered; run `mou check`",
            paths.len() - resolved.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
