//! `mou build`: finds profiles, builds them in parallel, writes outputs atomically and
//! records what went into each in `OUT/manifest.json`.

use crate::assemble::{Assembled, assemble};
use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::manifest::{Spill, Spilled};
use crate::profile::Profile;
use crate::project::Project;
use crate::render::{Format, PdfStandard, WriteOptions};
use crate::write::atomic_write;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct BuildOptions {
    pub formats: Vec<Format>,
    pub out: PathBuf,
    pub pdf_standard: PdfStandard,
}

/// What happened to one profile.
pub struct Outcome {
    pub path: PathBuf,
    pub id: Option<String>,
    /// The agreement's manifest entry, in the run's spill.
    pub result: Result<Spilled, Diagnostics>,
    pub warnings: Vec<Diagnostic>,
}

/// Builds every profile. Each is independent: one failure never stops the others.
/// `tick` is called once per profile as it finishes (for a progress bar).
pub fn build_all(
    paths: &[PathBuf],
    project: &Project,
    opts: &BuildOptions,
    spill: &Spill,
    tick: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    let dups = crate::discover::duplicate_ids(paths);
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
                None => build_one(path, project, opts, spill),
            };
            tick();
            outcome
        })
        .collect()
}

fn build_one(path: &Path, project: &Project, opts: &BuildOptions, spill: &Spill) -> Outcome {
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
    let (result, warnings) = match assemble(&profile, &project.library, &project.engine) {
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
        let bytes = format
            .write(&a.document, &write_options(profile, opts))
            .map_err(|e| {
                crate::render::write_diagnostic(*format, &e, &profile.path, &profile.source)
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

pub fn write_options(profile: &Profile, opts: &BuildOptions) -> WriteOptions {
    WriteOptions {
        date: source_date().or(profile.raw.agreement.date),
        pdf_standard: opts.pdf_standard,
    }
}

/// `SOURCE_DATE_EPOCH` as a calendar date, when set and valid.
pub fn source_date() -> Option<crate::date::Date> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let t = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    Some(crate::date::Date(t.date()))
}
