//! `mou build`: finds profiles, builds them in parallel, writes outputs atomically and
//! records what went into each in `OUT/manifest.json`.
use crate::check::codes;

use crate::assemble::{Assembled, assemble_plan};
use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::document::Document;
use crate::incremental::{Inputs, Previous, RunKey, Templates};
use crate::manifest::{Spill, Spilled};
use crate::profile::Profile;
use crate::project::Project;
use crate::render::{Format, PdfStandard, WriteOptions};
use crate::write::Staged;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct BuildOptions {
    pub formats: Vec<Format>,
    pub out: PathBuf,
    pub pdf_standard: PdfStandard,
    /// PDF: e-signature anchors at the signature lines (`--esign-anchors`).
    pub esign_anchors: bool,
    /// What the run shares of every agreement's inputs (see [`crate::incremental`]).
    pub run_key: RunKey,
    /// The manifest already in `out`: an agreement it shows up to date is skipped.
    /// `None` rebuilds every agreement (`--force`).
    pub previous: Option<Previous>,
    /// Keep each agreement's input files in its [`Outcome`] (for `watch`).
    pub keep_inputs: bool,
    /// Keep each built agreement's Document in its [`Outcome`] (for `serve`'s preview).
    pub keep_documents: bool,
}

/// What happened to one profile.
pub struct Outcome {
    pub path: PathBuf,
    pub id: Option<String>,
    pub status: Status,
    /// This run's manifest entry for the agreement, in the run's spill: set when it was
    /// built, and when a failed commit left some of its files new (see
    /// [`render_and_write`]).
    pub entry: Option<Spilled>,
    pub warnings: Vec<Diagnostic>,
    /// The files the agreement was built from, when [`BuildOptions::keep_inputs`] and
    /// it resolved.
    pub inputs: Option<Inputs>,
    /// The Document written, when [`BuildOptions::keep_documents`] and it was built.
    pub document: Option<Arc<Document>>,
}

pub enum Status {
    Built,
    /// Skipped: its inputs and files are as the manifest records them.
    UpToDate,
    Failed(Diagnostics),
    /// Not started: the batch was interrupted (SIGINT, SIGTERM) first.
    NotStarted,
}

impl Outcome {
    fn failed(path: &Path, id: Option<String>, d: Diagnostics) -> Outcome {
        Outcome {
            path: path.to_path_buf(),
            id,
            status: Status::Failed(d),
            entry: None,
            warnings: Vec::new(),
            inputs: None,
            document: None,
        }
    }
}

/// Builds every profile. Each is independent: one failure never stops the others.
/// `tick` is called once per profile as it finishes (for a progress bar). Once `stop`
/// is not zero (a signal came), no further profile is started; those already started
/// are finished.
pub fn build_all(
    paths: &[PathBuf],
    project: &Project,
    opts: &BuildOptions,
    spill: &Spill,
    stop: &AtomicUsize,
    tick: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    let dups = crate::discover::duplicate_ids(paths);
    let templates = Templates::of(&project.library);
    paths
        .par_iter()
        .map(|path| {
            let outcome = if stop.load(Ordering::SeqCst) != 0 {
                Outcome {
                    status: Status::NotStarted,
                    ..Outcome::failed(path, None, Diagnostics(Vec::new()))
                }
            } else {
                match dups.get(path) {
                    Some(d) => Outcome::failed(path, None, d.clone().into()),
                    None => build_one(path, project, opts, spill, &templates),
                }
            };
            tick();
            outcome
        })
        .collect()
}

fn build_one(
    path: &Path,
    project: &Project,
    opts: &BuildOptions,
    spill: &Spill,
    templates: &Templates<'_>,
) -> Outcome {
    let profile = match Profile::from_file(path) {
        Ok(p) => p,
        Err(d) => return Outcome::failed(path, None, d),
    };
    let id = Some(profile.id.to_string());
    let plan = match crate::resolve::plan(&profile, &project.library) {
        Ok(p) => p,
        Err(d) => return Outcome::failed(path, id, Diagnostics(d)),
    };
    let recorded = crate::discover::recorded_path(&project.root, &profile.path);
    let inputs = crate::incremental::inputs(
        &opts.run_key,
        &profile,
        &recorded,
        &plan,
        &project.library,
        templates,
    );
    let kept = opts.keep_inputs.then(|| inputs.clone());
    if let Some(previous) = &opts.previous {
        let names: Vec<String> = opts
            .formats
            .iter()
            .map(|f| output_name(&profile.id, *f))
            .collect();
        if previous.up_to_date(&profile.id, &inputs, &opts.out, &names) {
            return Outcome {
                status: Status::UpToDate,
                inputs: kept,
                ..Outcome::failed(path, id, Diagnostics(Vec::new()))
            };
        }
    }
    let (a, warnings) = match checked(&profile, &plan, project) {
        Ok(done) => done,
        Err(d) => {
            return Outcome {
                inputs: kept,
                ..Outcome::failed(path, id, d)
            };
        }
    };
    let written = Written {
        recorded: &recorded,
        inputs: &inputs.sha256,
    };
    let (result, entry) = render_and_write(&profile, &a, opts, written, spill);
    let document = (opts.keep_documents && result.is_ok()).then(|| Arc::new(a.document));
    Outcome {
        path: path.to_path_buf(),
        id,
        status: match result {
            Ok(()) => Status::Built,
            Err(d) => Status::Failed(d),
        },
        entry,
        warnings,
        inputs: kept,
        document,
    }
}

/// One agreement assembled and checked as a build does, with its warnings: what
/// `check` calls an error (a rule of the state not met) stops a final agreement, which
/// would be signed as is; a draft builds, and the same findings are its warnings.
pub fn checked(
    profile: &Profile,
    plan: &crate::resolve::Plan<'_>,
    project: &Project,
) -> Result<(Assembled, Vec<Diagnostic>), Diagnostics> {
    let a = assemble_plan(profile, plan, &project.engine)?;
    let mut warnings = a.warnings.clone();
    let found = crate::check::after_assembly(profile, plan, &a, &project.library);
    let errors: Vec<Diagnostic> = found.iter().filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        if profile.status() == crate::profile::Status::Final {
            return Err(Diagnostics(errors));
        }
        warnings.extend(errors.into_iter().map(Diagnostic::downgraded));
    }
    Ok((a, warnings))
}

/// What the manifest entry records beside the outputs: the profile, as a path from the
/// project root ([`crate::discover::recorded_path`]), and the digest of the inputs.
#[derive(Clone, Copy)]
struct Written<'a> {
    recorded: &'a str,
    inputs: &'a str,
}

/// Renders each format and writes it to a temporary file, so a failure replaces
/// nothing, then replaces all of the agreement's files together (see
/// [`crate::write::Staged`]). Returns whether that worked, and where the manifest entry
/// of what was replaced lies: every output when it worked; when a failed commit could
/// not put back every old file, only the files left new (and no `inputs`, so the next
/// build does not take it for up to date); otherwise none.
fn render_and_write(
    profile: &Profile,
    a: &Assembled,
    opts: &BuildOptions,
    written: Written<'_>,
    spill: &Spill,
) -> (Result<(), Diagnostics>, Option<Spilled>) {
    let mut staged = Staged::default();
    let mut outputs = BTreeMap::new();
    for format in &opts.formats {
        let bytes = match format.write(&a.document, &write_options(profile, opts)) {
            Ok(bytes) => bytes,
            Err(e) => {
                let d =
                    crate::render::write_diagnostic(*format, &e, &profile.path, &profile.source);
                return (Err(d.into()), None);
            }
        };
        let name = output_name(&profile.id, *format);
        let target = opts.out.join(&name);
        if let Err(e) = staged.add(&target, &bytes) {
            let d = Diagnostic::error(codes::E0402, &target, format!("{e:#}"));
            return (Err(d.into()), None);
        }
        outputs.insert(name, crate::hash::sha256_hex(&bytes));
    }
    let result = match staged.commit() {
        Ok(()) => Ok(()),
        Err(e) => {
            let mut d = Diagnostic::error(codes::E0402, &e.target, format!("{:#}", e.error));
            if e.left_new.is_empty() {
                d = d.with_help("none of this agreement's files was replaced");
            } else {
                let left: Vec<String> = e.left_new.iter().map(|p| display_path(p)).collect();
                d = d.with_help(format!(
                    "could not put back the old {}: they are new, and the manifest records only them",
                    left.join(", ")
                ));
            }
            outputs.retain(|name, _| e.left_new.iter().any(|p| p.ends_with(name)));
            if outputs.is_empty() {
                return (Err(d.into()), None);
            }
            Err(d.into())
        }
    };
    let clauses: Vec<Value> = a.clauses.iter().map(|c| json!(c)).collect();
    let mut entry = json!({
        "profile": written.recorded,
        "profile_sha256": profile.sha256(),
        "clauses": clauses,
        "outputs": outputs,
    });
    if result.is_ok() {
        entry["inputs"] = json!(written.inputs);
    }
    match spill.push(&entry.to_string()) {
        Ok(at) => (result, Some(at)),
        Err(e) => {
            let d = Diagnostic::error(
                codes::E0402,
                opts.out.join("manifest.json"),
                format!("cannot record the manifest entry: {e}"),
            );
            (result.and(Err(d.into())), None)
        }
    }
}

/// The file an agreement's output in `format` is written to, inside the output folder.
pub fn output_name(id: &str, format: Format) -> String {
    format!("{id}.{}", format.extension())
}

pub fn write_options(profile: &Profile, opts: &BuildOptions) -> WriteOptions {
    WriteOptions {
        date: source_date().or(profile.raw.agreement.date),
        pdf_standard: opts.pdf_standard,
        esign_anchors: opts.esign_anchors,
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
