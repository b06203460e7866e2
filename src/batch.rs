//! `mou build`: finds profiles, builds them in parallel, writes outputs atomically and
//! records what went into each in `OUT/manifest.json`.

use crate::assemble::{Assembled, assemble};
use crate::cli::{Format, PdfStandardArg};
use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::library::Library;
use crate::manifest::{Spill, Spilled};
use crate::profile::Profile;
use crate::template::Engine;
use crate::write::atomic_write;
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct BuildOptions {
    pub formats: Vec<Format>,
    pub out: PathBuf,
    pub pdf_standard: PdfStandardArg,
}

/// What happened to one profile.
pub struct Outcome {
    pub path: PathBuf,
    pub id: Option<String>,
    /// The agreement's manifest entry, in the run's spill.
    pub result: Result<Spilled, Diagnostics>,
    pub warnings: Vec<Diagnostic>,
}

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
    let bytes = crate::library::read_limited(path, crate::profile::MAX_PROFILE_BYTES).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let parsed: IdOnly = toml::from_str(text).ok()?;
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

/// Builds every profile. Each is independent: one failure never stops the others.
/// `tick` is called once per profile as it finishes (for a progress bar).
pub fn build_all(
    paths: &[PathBuf],
    lib: &Library,
    engine: &Engine,
    opts: &BuildOptions,
    spill: &Spill,
    tick: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    let dups = duplicate_ids(paths);
    paths
        .par_iter()
        .map(|path| {
            let outcome = match dups.get(path) {
                Some(d) => Outcome {
                    path: path.clone(),
                    id: None,
                    result: Err(d.clone().into()),
                    warnings: Vec::new(),
                },
                None => build_one(path, lib, engine, opts, spill),
            };
            tick();
            outcome
        })
        .collect()
}

fn build_one(
    path: &Path,
    lib: &Library,
    engine: &Engine,
    opts: &BuildOptions,
    spill: &Spill,
) -> Outcome {
    let profile = match Profile::from_file(path) {
        Ok(p) => p,
        Err(d) => {
            return Outcome {
                path: path.to_path_buf(),
                id: None,
                result: Err(d),
                warnings: Vec::new(),
            };
        }
    };
    let id = Some(profile.id.clone());
    let (result, warnings) = match assemble(&profile, lib, engine) {
        Ok(a) => {
            let warnings = a.warnings.clone();
            (render_and_write(&profile, &a, opts, spill), warnings)
        }
        Err(d) => (Err(d), Vec::new()),
    };
    Outcome {
        path: path.to_path_buf(),
        id,
        result,
        warnings,
    }
}

/// Renders every format in memory first, so a failure writes nothing, then writes
/// each file atomically. Returns where its manifest entry was spilled.
fn render_and_write(
    profile: &Profile,
    a: &Assembled,
    opts: &BuildOptions,
    spill: &Spill,
) -> Result<Spilled, Diagnostics> {
    let mut files = Vec::new();
    for format in &opts.formats {
        let bytes = crate::render::render(&a.document, *format, &render_options(profile, opts))
            .map_err(|e| {
                Diagnostic::error(
                    "E0401",
                    &profile.path,
                    format!("cannot write {}: {e:#}", format.extension()),
                )
            })?;
        files.push((output_name(&profile.id, *format), bytes));
    }
    let mut outputs = BTreeMap::new();
    for (name, bytes) in &files {
        let target = opts.out.join(name);
        atomic_write(&target, bytes)
            .map_err(|e| Diagnostic::error("E0402", &target, format!("{e:#}")))?;
        outputs.insert(name.clone(), crate::hash::sha256_hex(bytes));
    }
    let clauses: Vec<Value> = a
        .clauses
        .iter()
        .map(|(id, version, sha)| json!({"id": id, "version": version, "sha256": sha}))
        .collect();
    let entry = json!({
        "profile": display_path(&profile.path),
        "profile_sha256": crate::hash::sha256_hex(profile.source.as_bytes()),
        "clauses": clauses,
        "outputs": outputs,
    });
    spill.push(&entry.to_string()).map_err(|e| {
        Diagnostic::error(
            "E0402",
            opts.out.join("manifest.json"),
            format!("cannot record the manifest entry: {e}"),
        )
        .into()
    })
}

/// The file an agreement's output in `format` is written to, inside the output folder.
pub fn output_name(id: &str, format: Format) -> String {
    format!("{id}.{}", format.extension())
}

pub fn render_options(profile: &Profile, opts: &BuildOptions) -> crate::render::RenderOptions {
    crate::render::RenderOptions {
        date: source_date().or_else(|| {
            profile
                .raw
                .agreement
                .date
                .map(|d| (d.year(), d.month(), d.day()))
        }),
        pdf_standard: opts.pdf_standard,
    }
}

/// `SOURCE_DATE_EPOCH` as a calendar date, when set and valid.
pub fn source_date() -> Option<(i32, u8, u8)> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let t = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    Some((t.year(), t.month() as u8, t.day()))
}
