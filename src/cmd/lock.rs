use super::{load_library, report};
use crate::batch::discover;
use crate::diag::Diagnostic;
use crate::lock::{LOCK_VERSION, LockFile, resolve_all, to_toml};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn lock(paths: &[PathBuf], library: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    let (lib, _, diags) = load_library(library);
    if diags.iter().any(Diagnostic::is_error) {
        report(&diags);
        crate::say!(
            "error: the clause library has errors; {} not written",
            out.display()
        );
        return Ok(ExitCode::from(1));
    }
    let paths = match discover(paths) {
        Ok(p) => p,
        Err(d) => {
            report(&[d]);
            return Ok(ExitCode::from(1));
        }
    };
    let agreements = resolve_all(&paths, &lib);
    if agreements.len() < paths.len() {
        crate::say!(
            "error: {} profile(s) do not resolve; run `mou check` — {} not written",
            paths.len() - agreements.len(),
            out.display()
        );
        return Ok(ExitCode::from(1));
    }
    let lock = LockFile {
        version: LOCK_VERSION,
        agreements,
    };
    crate::write::atomic_write(out, to_toml(&lock)?.as_bytes())?;
    crate::say!(
        "wrote {} ({} agreements)",
        out.display(),
        lock.agreements.len()
    );
    Ok(ExitCode::SUCCESS)
}
