//! Which profiles a command works on: the paths given, folders searched for `*.toml`,
//! ids read cheaply to find duplicates before anything is written, and shards of a CI
//! matrix. Kept apart from building so `check`, `lock` and `used-by` share it.

use crate::diag::{Diagnostic, display_path};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Profiles named on the command line: files as given, folders searched recursively
/// for `*.toml` (sorted, so runs are repeatable).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "toml")
                        && !p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            found.sort();
            out.extend(found);
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            return Err(Diagnostic::error(
                "E0001",
                path,
                "no such profile or folder",
            ));
        }
    }
    out.dedup();
    Ok(out)
}

#[derive(Deserialize)]
struct IdOnly {
    agreement: Option<IdAgreement>,
}

#[derive(Deserialize)]
struct IdAgreement {
    id: Option<String>,
}

/// The id a profile will get, read cheaply (no validation): for duplicate detection
/// before anything is written.
fn peek_id(path: &Path) -> Option<String> {
    let text = crate::source::read_text(path, crate::profile::MAX_PROFILE_BYTES).ok()?;
    let parsed: IdOnly = toml::from_str(&text).ok()?;
    parsed
        .agreement
        .and_then(|a| a.id)
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
}

/// Diagnostics for profiles that share an id: both would write the same files.
pub fn duplicate_ids(paths: &[PathBuf]) -> BTreeMap<PathBuf, Diagnostic> {
    let ids: Vec<Option<String>> = paths.par_iter().map(|p| peek_id(p)).collect();
    let mut first: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut dups = BTreeMap::new();
    for (path, id) in paths.iter().zip(&ids) {
        let Some(id) = id else { continue };
        if let Some(other) = first.get(id.as_str()) {
            for (p, o) in [(path.as_path(), *other), (*other, path.as_path())] {
                dups.insert(
                    p.to_path_buf(),
                    Diagnostic::error(
                        "E0115",
                        p,
                        format!(
                            "agreement id \"{id}\" is also used by {}; ids must be unique",
                            display_path(o)
                        ),
                    ),
                );
            }
        } else {
            first.insert(id, path);
        }
    }
    dups
}

/// The profiles of shard `k` of `n` (1-based): by a hash of the agreement id, so the
/// assignment is stable as profiles come and go, and `n` shards cover every profile
/// exactly once.
pub fn shard(paths: &[PathBuf], k: u32, n: u32) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| {
            let id = peek_id(p).unwrap_or_else(|| p.to_string_lossy().into_owned());
            let digest = crate::hash::sha256_hex(id.as_bytes());
            let bucket = u64::from_str_radix(&digest[..15], 16).unwrap_or(0) % u64::from(n);
            bucket == u64::from(k - 1)
        })
        .cloned()
        .collect()
}
