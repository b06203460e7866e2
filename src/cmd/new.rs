use crate::failure::{Failure, Result};
use std::path::PathBuf;

const TEMPLATE: &str = include_str!("new_profile.toml");

/// `mou new NAME`: `NAME` is an id (written to `profiles/NAME.toml`) or a path to a
/// `.toml` file. Never overwrites.
pub fn new_profile(name: &str, v: crate::cli::Verbosity) -> Result {
    let (path, id) = if name.ends_with(".toml") {
        let path = PathBuf::from(name);
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        (path, id)
    } else {
        let dir = PathBuf::from("profiles");
        let path = if dir.is_dir() {
            dir.join(format!("{name}.toml"))
        } else {
            PathBuf::from(format!("{name}.toml"))
        };
        (path, name.to_string())
    };
    let valid = !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(Failure::Usage(format!(
            "\"{}\" is not a valid agreement id: use lower-case letters, digits and '-'",
            id.escape_default()
        )));
    }
    if path.exists() {
        return Err(Failure::message(format!(
            "{} already exists; not overwritten",
            path.display()
        )));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let text = TEMPLATE.replace("{{id}}", &id);
    crate::write::atomic_write(&path, text.as_bytes())?;
    if !v.quiet {
        crate::say!("wrote {}", path.display());
    }
    if v.verbose {
        crate::say!(
            "fill in the blanks, then run `mou check {}`",
            path.display()
        );
    }
    Ok(())
}
