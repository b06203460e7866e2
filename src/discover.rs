//! Which profiles a command works on: the paths given, folders searched for `*.toml`,
//! ids read cheaply to find duplicates before anything is written, and shards of a CI
//! matrix. Kept apart from building so `check`, `lock` and `used-by` share it.
use crate::check::codes;

use crate::diag::{Diagnostic, display_path};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Profiles named on the command line: files as given, folders searched recursively
/// for `*.toml` (sorted, so runs are repeatable).
///
/// A profile named more than once (`p.toml ./p.toml`, or a folder and a file in it, or
/// a file and a symbolic link to it) is one profile: kept once, under the first name
/// it was given, before duplicate ids are looked for.
///
/// Symbolic links inside a searched folder follow the library's rule: a link that
/// leaves the folder is refused, located at the link and never read (it could name
/// `~/.env` or `/proc/self/environ`, whose lines a parse error would quote); the whole
/// command then stops before anything is built, as it does for a broken library. A
/// link to a profile or folder inside the folder is one more name for it. A profile
/// named on the command line may be a link to anywhere: the user chose it.
pub fn discover(paths: &[PathBuf]) -> Result<Found, Diagnostic> {
    let mut out = Vec::new();
    let mut refused = Vec::new();
    let mut missing = Vec::new();
    let mut searched = std::collections::HashSet::new();
    for path in paths {
        if path.is_dir() {
            let before = out.len();
            search(path, &mut out, &mut refused);
            searched.extend(out[before..].iter().cloned());
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            missing.push(no_such_path(path));
        }
    }
    if let Some(first) = refused.first() {
        let mut d = Diagnostic::error(
            codes::E0001,
            first,
            "symbolic link points outside the profile folder; not followed",
        );
        d = match refused.len() {
            1 => d.with_help("to build the file it points to, name that file on the command line"),
            n => d.with_help(format!(
                "{} more such links; to build a file one points to, name that file on the command line",
                n - 1
            )),
        };
        return Err(d);
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
    // A file found in a folder that another profile extends is a base of shared terms,
    // not an agreement: it is not built on its own (named on the command line, it is).
    let bases = extended(&out);
    if !bases.is_empty() {
        out.retain(|p| {
            !searched.contains(p)
                || !bases.contains(&p.canonicalize().unwrap_or_else(|_| p.clone()))
        });
    }
    Ok(Found {
        profiles: out,
        missing,
    })
}

/// The files the profiles extend, canonical.
fn extended(paths: &[PathBuf]) -> std::collections::HashSet<PathBuf> {
    paths
        .par_iter()
        .filter_map(|p| {
            let text = crate::source::read_text(p, crate::profile::MAX_PROFILE_BYTES).ok()?;
            let target = crate::profile::base_path(p, &text)?;
            Some(target.canonicalize().unwrap_or(target))
        })
        .collect()
}

/// What a list of paths names: the profiles found, and a diagnostic for each path that
/// names nothing. A missing path does not stop the others: a batch reports it with the
/// rest and counts it as failed.
#[derive(Debug, Default)]
pub struct Found {
    pub profiles: Vec<PathBuf>,
    pub missing: Vec<Diagnostic>,
}

/// "no such profile or folder", with the closest name in the same folder when one is
/// close (`tacoma-2012.toml` → `tacoma-2021.toml`).
fn no_such_path(path: &Path) -> Diagnostic {
    if path.exists() {
        // `/dev/zero`, a FIFO, a socket: never read (one would hang, one never ends).
        return Diagnostic::error(
            codes::E0001,
            path,
            "not a profile or folder: a FIFO, a device or a socket is never read",
        );
    }
    let d = Diagnostic::error(codes::E0001, path, "no such profile or folder");
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (Some(name), Ok(entries)) = (path.file_name(), std::fs::read_dir(folder)) else {
        return d;
    };
    let name = name.to_string_lossy();
    let siblings: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .take(10_000)
        .collect();
    match crate::diag::did_you_mean(&name, siblings.iter().map(String::as_str)) {
        Some(close) => d.with_help(format!(
            "did you mean `{}`?",
            display_path(&folder.join(close))
        )),
        None => d,
    }
}

/// The profiles under `folder` (`*.toml`, not dot files), sorted; links that leave it
/// go to `refused`.
fn search(folder: &Path, out: &mut Vec<PathBuf>, refused: &mut Vec<PathBuf>) {
    let inside = folder.canonicalize().ok();
    let is_profile = |p: &Path| {
        p.extension().is_some_and(|x| x == "toml")
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    };
    let mut found = Vec::new();
    // Links are not followed by the walk: each is looked at here, once.
    // An overlay folder beside a profile (`<stem>.clauses/`, SPEC §4) holds clauses
    // and rules files, never profiles.
    let overlay = |e: &walkdir::DirEntry| {
        e.depth() > 0
            && e.file_type().is_dir()
            && e.file_name().to_string_lossy().ends_with(".clauses")
    };
    for entry in walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !overlay(e))
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if entry.file_type().is_file() {
            if is_profile(path) {
                found.push(path.to_path_buf());
            }
            continue;
        }
        if !entry.path_is_symlink() || entry.depth() == 0 {
            continue;
        }
        // A link to a folder could lead to profiles, a link named `*.toml` is one:
        // where either leaves the folder, it is refused. Other links are never read.
        let Ok(meta) = std::fs::metadata(path) else {
            continue; // dangling: nothing to read
        };
        if !(meta.is_dir() || (meta.is_file() && is_profile(path))) {
            continue;
        }
        let within = match (&inside, path.canonicalize()) {
            (Some(inside), Ok(target)) => target.starts_with(inside),
            _ => false,
        };
        if !within {
            refused.push(path.to_path_buf());
        } else if meta.is_file() {
            found.push(path.to_path_buf());
        }
        // A link to a folder inside: its profiles are found under their own path.
    }
    found.sort();
    out.extend(found);
}

/// `path` as outputs record it (the manifest's `profile`): relative to the project
/// `root`, with forward slashes, the same however it was typed (`./p.toml`, absolute,
/// `a/../p.toml`) and wherever `mou` ran. The folder holding the file is resolved (links
/// and `..`); the file itself is not, so a linked profile is recorded under its own
/// name. A profile outside the root is recorded with `..` steps up from it
/// (`../shared/p.toml`); only where no relative path exists (another drive on Windows)
/// is the absolute path recorded. A path that cannot be resolved is recorded as typed.
pub fn recorded_path(root: &Path, path: &Path) -> String {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (Ok(folder), Some(name)) = (folder.canonicalize(), path.file_name()) else {
        return display_path(path);
    };
    let full = folder.join(name);
    display_path(&relative(&full, root).unwrap_or(full))
}

/// `path` relative to `base` (both absolute, resolved), with `..` where it is outside;
/// `None` when they share no root.
fn relative(path: &Path, base: &Path) -> Option<PathBuf> {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    Some(out)
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
                        codes::E0115,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_recorded_relative_to_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("proj/profiles")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        let proj = root.join("proj");
        assert_eq!(
            recorded_path(&proj, &proj.join("profiles/../profiles/a.toml")),
            "profiles/a.toml"
        );
        assert_eq!(
            recorded_path(&proj, &root.join("shared/b.toml")),
            "../shared/b.toml"
        );
        assert_eq!(recorded_path(&proj, &proj.join("c.toml")), "c.toml");
        assert_eq!(
            recorded_path(&proj, Path::new("/no/such/folder/d.toml")),
            "/no/such/folder/d.toml"
        );
    }
}
