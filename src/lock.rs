//! `mou.lock`: for each profile, the clause versions (and file hashes) its agreement
//! uses. `build --locked` refuses to build when the library or a profile would now pick
//! something else, so a CI job notices a clause change instead of shipping it silently.
use crate::check::codes;

use crate::diag::{Diagnostic, display_path};
use crate::library::Library;
use crate::profile::Profile;
use crate::resolve::plan;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const LOCK_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    pub version: u32,
    #[serde(default)]
    pub agreements: BTreeMap<String, Locked>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locked {
    pub profile: String,
    pub clauses: Vec<LockedClause>,
}

/// One clause (or exhibit file) an agreement uses, as the lock and the manifest record
/// it: which file of which layer, at which version of which variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedClause {
    pub id: String,
    pub version: String,
    pub sha256: String,
    /// `project`, `overlay` or `library` (see [`crate::library::Layer`]); a lock
    /// written before layers existed reads as `project`.
    #[serde(default = "project_layer")]
    pub layer: String,
    /// The variant, when not the standard text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

fn project_layer() -> String {
    "project".to_string()
}

impl LockedClause {
    pub fn of(clause: &crate::library::ClauseVersion) -> LockedClause {
        LockedClause {
            id: clause.id.to_string(),
            version: clause.version.to_string(),
            sha256: clause.sha256.clone(),
            layer: clause.layer.kind().to_string(),
            variant: clause.variant.clone(),
        }
    }

    /// What an agreement's plan uses: its clauses, then its exhibits read from a file
    /// or a clause (`exhibit:A`), in document order.
    pub fn all_of(plan: &crate::resolve::Plan<'_>) -> Vec<LockedClause> {
        let mut out: Vec<LockedClause> = plan.items.iter().map(|i| Self::of(i.clause)).collect();
        for e in &plan.exhibits {
            if let crate::exhibits::Source::Template(c) = &e.source {
                let mut l = Self::of(c);
                l.id = format!("{}{}", crate::exhibits::ID_PREFIX, e.label);
                out.push(l);
            }
        }
        out
    }

    /// `layer` and `variant` as one phrase (`overlay`, `project, variant short`).
    fn place(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}, variant {v}", self.layer),
            None => self.layer.clone(),
        }
    }
}

/// What each profile resolves to now. Profiles that fail to load or resolve are left
/// out (the build reports them).
pub fn resolve_all(paths: &[PathBuf], lib: &Library) -> BTreeMap<String, Locked> {
    paths
        .par_iter()
        .filter_map(|path| {
            let profile = Profile::from_file(path).ok()?;
            let plan = plan(&profile, lib).ok()?;
            let clauses = LockedClause::all_of(&plan);
            Some((
                profile.id.to_string(),
                Locked {
                    profile: display_path(path),
                    clauses,
                },
            ))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

pub fn to_toml(lock: &LockFile) -> anyhow::Result<String> {
    let body = toml::to_string(lock)?;
    Ok(format!(
        "# This file is written by `mou lock`; `mou build --locked` checks builds against it.\n{body}"
    ))
}

/// A lock file for thousands of agreements stays well under this.
const MAX_LOCK_BYTES: usize = 64 << 20;

pub fn read(path: &Path) -> Result<LockFile, Diagnostic> {
    let text = crate::source::read_text(path, MAX_LOCK_BYTES).map_err(|e| {
        Diagnostic::error(
            codes::E0160,
            path,
            format!("cannot read the lock file: {e}"),
        )
        .with_help("run `mou lock` first")
    })?;
    let lock: LockFile = toml::from_str(&text).map_err(|e| {
        let d = Diagnostic::error(
            codes::E0160,
            path,
            format!("not a valid lock file: {}", e.message().trim()),
        )
        .with_help("run `mou lock` to write it again");
        match e.span() {
            Some(span) => d.at_offset(&text, span.start),
            None => d,
        }
    })?;
    if lock.version != LOCK_VERSION {
        let d = Diagnostic::error(
            codes::E0160,
            path,
            format!(
                "lock version {}; this mou writes version {LOCK_VERSION}",
                lock.version
            ),
        )
        .with_help("run `mou lock`");
        let at = text.find("version").unwrap_or(0);
        return Err(d.at_offset(&text, at));
    }
    Ok(lock)
}

/// Human-readable differences between the lock and what would be built now.
pub fn differences(lock: &LockFile, now: &BTreeMap<String, Locked>) -> Vec<String> {
    let mut out = Vec::new();
    for (id, current) in now {
        let Some(locked) = lock.agreements.get(id) else {
            out.push(format!("{id}: not in the lock file ({})", current.profile));
            continue;
        };
        let old: BTreeMap<&str, &LockedClause> =
            locked.clauses.iter().map(|c| (c.id.as_str(), c)).collect();
        let new: BTreeMap<&str, &LockedClause> =
            current.clauses.iter().map(|c| (c.id.as_str(), c)).collect();
        for (cid, c) in &new {
            match old.get(cid) {
                None => out.push(format!("{id}: clause {cid} {} added", c.version)),
                Some(o) if o.layer != c.layer || o.variant != c.variant => out.push(format!(
                    "{id}: clause {cid} now comes from {} (was {})",
                    c.place(),
                    o.place()
                )),
                Some(o) if o.version != c.version => {
                    out.push(format!("{id}: clause {cid} {} -> {}", o.version, c.version))
                }
                Some(o) if o.sha256 != c.sha256 => out.push(format!(
                    "{id}: clause {cid} {} changed on disk without a new version (sha256 {} -> {})",
                    c.version,
                    &o.sha256[..o.sha256.len().min(12)],
                    &c.sha256[..c.sha256.len().min(12)]
                )),
                Some(_) => {}
            }
        }
        for (cid, o) in &old {
            if !new.contains_key(cid) {
                out.push(format!("{id}: clause {cid} {} removed", o.version));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(clauses: &[(&str, &str, &str)]) -> Locked {
        Locked {
            profile: "p.toml".into(),
            clauses: clauses
                .iter()
                .map(|(id, v, h)| LockedClause {
                    id: id.to_string(),
                    version: v.to_string(),
                    sha256: h.to_string(),
                    layer: "project".into(),
                    variant: None,
                })
                .collect(),
        }
    }

    #[test]
    fn lists_every_kind_of_change() {
        let lock = LockFile {
            version: 1,
            agreements: BTreeMap::from([(
                "a".to_string(),
                entry(&[
                    ("x", "1.0.0", "aa"),
                    ("y", "1.0.0", "bb"),
                    ("z", "1.0.0", "cc"),
                ]),
            )]),
        };
        let now = BTreeMap::from([
            (
                "a".to_string(),
                entry(&[
                    ("x", "1.1.0", "aa"),
                    ("y", "1.0.0", "bd"),
                    ("w", "2.0.0", "dd"),
                ]),
            ),
            ("b".to_string(), entry(&[])),
        ]);
        let d = differences(&lock, &now);
        assert_eq!(
            d,
            [
                "a: clause w 2.0.0 added",
                "a: clause x 1.0.0 -> 1.1.0",
                "a: clause y 1.0.0 changed on disk without a new version (sha256 bb -> bd)",
                "a: clause z 1.0.0 removed",
                "b: not in the lock file (p.toml)",
            ]
        );
        let text = to_toml(&lock).unwrap();
        let back: LockFile = toml::from_str(&text).unwrap();
        assert_eq!(back, lock);
    }
}
