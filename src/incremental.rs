//! Incremental builds (issue #17): an agreement is rebuilt only when something that goes
//! into its files changed, or its files did.
//!
//! What goes in is hashed into one digest per agreement, recorded as `inputs` in its
//! manifest entry. The manifest already holds what a skipped agreement needs (its entry
//! is kept as it was), so a build that skips writes the same manifest, byte for byte, as
//! one that rebuilt everything from the same inputs. Hashing what went in (rather than
//! comparing modification times, as make does) keeps the answer right after a
//! `git checkout`, a copy or a clock change, and costs a profile parse and a resolve,
//! which are small beside rendering a PDF.
//!
//! The digest covers: the run's settings ([`RunKey`]: `mou` version, formats, PDF
//! standard and e-signature anchors, `SOURCE_DATE_EPOCH`, clause output limit, `mou.toml`, every rule file of
//! the library), the profile and its bases, where the manifest records it, its outline,
//! its overlay's rules, and every clause and exhibit file it uses with what those
//! include, by sha256. [`Inputs::files`] lists the same files by path, for `watch`.

use crate::library::{ClauseVersion, Library};
use crate::profile::Profile;
use crate::render::{Format, PdfStandard};
use crate::resolve::Plan;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// What the whole run shares, hashed once: a change here rebuilds every agreement.
#[derive(Debug, Clone)]
pub struct RunKey(String);

impl RunKey {
    pub fn new(
        formats: &[Format],
        pdf_standard: PdfStandard,
        esign_anchors: bool,
        date: Option<crate::date::Date>,
        max_clause_output: usize,
        config: Option<&crate::config::Config>,
        lib: &Library,
    ) -> RunKey {
        let mut h = Sha256::new();
        let mut field = |name: &str, value: &[u8]| {
            // Length-prefixed, so no two different inputs give the same text.
            h.update(format!("{name}:{}:", value.len()).as_bytes());
            h.update(value);
        };
        field("mou", env!("CARGO_PKG_VERSION").as_bytes());
        let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
        field("formats", names.join(",").as_bytes());
        field("pdf", format!("{pdf_standard:?}").as_bytes());
        // Only when set, so that the key of a run without it is what it always was.
        if esign_anchors {
            field("esign-anchors", b"on");
        }
        field("date", format!("{date:?}").as_bytes());
        field("max-output", max_clause_output.to_string().as_bytes());
        field(
            "mou.toml",
            config.map(|c| c.source.as_bytes()).unwrap_or_default(),
        );
        for (state, rules) in &lib.rules {
            field(&format!("rules {state}"), rules.source.as_bytes());
        }
        RunKey(hex(&h.finalize()))
    }
}

/// The templates a run may use, by template name, with the names each includes: the
/// library, the overlays and the exhibit files loaded.
pub struct Templates<'l> {
    by_name: HashMap<String, (&'l ClauseVersion, Vec<String>)>,
}

impl<'l> Templates<'l> {
    pub fn of(lib: &'l Library) -> Templates<'l> {
        let all = lib
            .all_versions()
            .chain(lib.overlays.values().flat_map(Library::all_versions))
            .chain(lib.exhibit_files.values().filter_map(|r| r.as_ref().ok()));
        let by_name = all
            .map(|c| {
                let includes = if c.body.contains("{%") {
                    crate::template::syntax::scan(&c.body)
                        .includes()
                        .into_iter()
                        .map(|i| i.name)
                        .collect()
                } else {
                    Vec::new()
                };
                (c.template_name(), (c, includes))
            })
            .collect();
        Templates { by_name }
    }

    /// `roots` and every template they include, at any depth, by name (sorted).
    fn closure(&self, roots: impl Iterator<Item = &'l ClauseVersion>) -> Vec<&'l ClauseVersion> {
        let mut seen: BTreeMap<String, &'l ClauseVersion> = BTreeMap::new();
        let mut todo: Vec<&'l ClauseVersion> = roots.collect();
        while let Some(c) = todo.pop() {
            let name = c.template_name();
            if seen.contains_key(&name) {
                continue;
            }
            if let Some((_, includes)) = self.by_name.get(&name) {
                todo.extend(
                    includes
                        .iter()
                        .filter_map(|i| self.by_name.get(i).map(|t| t.0)),
                );
            }
            seen.insert(name, c);
        }
        seen.into_values().collect()
    }
}

/// What goes into one agreement's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    /// The digest recorded as `inputs` in the manifest entry.
    pub sha256: String,
    /// Every file read for it (profile, bases, clauses, includes, exhibit files,
    /// outline, rule files), sorted: what `watch` rebuilds it for.
    pub files: BTreeSet<PathBuf>,
}

/// The inputs of the agreement of `profile`, planned as `plan`, whose manifest entry
/// records its profile as `recorded`.
pub fn inputs(
    key: &RunKey,
    profile: &Profile,
    recorded: &str,
    plan: &Plan<'_>,
    lib: &Library,
    templates: &Templates<'_>,
) -> Inputs {
    let mut h = Sha256::new();
    let mut files = BTreeSet::new();
    let mut field = |name: &str, value: &[u8]| {
        h.update(format!("{name}:{}:", value.len()).as_bytes());
        h.update(value);
    };
    field("run", key.0.as_bytes());
    field("profile", profile.sha256().as_bytes());
    field("recorded", recorded.as_bytes());
    files.insert(profile.path.clone());
    files.extend(profile.bases.iter().map(|b| b.path.clone()));
    if let Some(outline) = lib.outlines.get(profile.outline()) {
        field("outline", outline.source.as_bytes());
        files.insert(outline.path.clone());
    }
    if let Some(rules) = lib.rules.get(profile.state().as_str()) {
        files.insert(rules.path.clone());
    }
    if let Some(overlay) = crate::library::stack::overlay_for(profile, lib) {
        for (state, rules) in &overlay.rules {
            field(&format!("overlay rules {state}"), rules.source.as_bytes());
            files.insert(rules.path.clone());
        }
    }
    let exhibits = plan.exhibits.iter().filter_map(|e| match &e.source {
        crate::exhibits::Source::Template(c) => Some(*c),
        crate::exhibits::Source::Table { .. } => None,
    });
    let used = templates.closure(plan.items.iter().map(|i| i.clause).chain(exhibits));
    for c in used {
        field(&c.template_name(), c.sha256.as_bytes());
        field("layer", c.layer.kind().as_bytes());
        files.insert(c.path.clone());
    }
    Inputs {
        sha256: hex(&h.finalize()),
        files,
    }
}

/// What the existing manifest says of each agreement: enough to tell whether it is
/// up to date.
#[derive(Debug, Default)]
pub struct Previous {
    entries: BTreeMap<String, PreviousEntry>,
    /// When the manifest was last written. A build writes its outputs before its
    /// manifest, so an output last modified before this time still holds what the
    /// manifest recorded unless someone set its time back; only the others are hashed
    /// (make's rule, as cargo and git use it). Hashing every output was half the cost
    /// of finding nothing to rebuild: 292 MB for 1,000 agreements.
    written: Option<std::time::SystemTime>,
}

#[derive(Debug, serde::Deserialize)]
struct PreviousEntry {
    #[serde(default)]
    inputs: Option<String>,
    #[serde(default)]
    outputs: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
struct PreviousManifest {
    #[serde(default)]
    agreements: BTreeMap<String, PreviousEntry>,
}

impl Previous {
    /// The manifest in `out`. None, or one that cannot be read, means nothing is up to
    /// date (the build then rebuilds all, and keeps an unreadable manifest aside).
    pub fn read(out: &Path) -> Previous {
        let Ok(file) = std::fs::File::open(out.join("manifest.json")) else {
            return Previous::default();
        };
        let written = file.metadata().and_then(|m| m.modified()).ok();
        let read: Result<PreviousManifest, _> =
            serde_json::from_reader(std::io::BufReader::new(file));
        match read {
            Ok(m) => Previous {
                entries: m.agreements,
                written,
            },
            Err(_) => Previous::default(),
        }
    }

    /// Whether the agreement `id` was built from `inputs` into exactly the files
    /// `names` in `out`, each still holding the bytes recorded: untouched since the
    /// manifest was written, or hashing to what it records.
    pub fn up_to_date(&self, id: &str, inputs: &Inputs, out: &Path, names: &[String]) -> bool {
        let Some(entry) = self.entries.get(id) else {
            return false;
        };
        if entry.inputs.as_deref() != Some(inputs.sha256.as_str())
            || entry.outputs.len() != names.len()
        {
            return false;
        }
        names.iter().all(|name| {
            entry.outputs.get(name).is_some_and(|recorded| {
                let path = out.join(name);
                let Ok(meta) = std::fs::symlink_metadata(&path) else {
                    return false;
                };
                let untouched = meta.is_file()
                    && self
                        .written
                        .zip(meta.modified().ok())
                        .is_some_and(|(manifest, output)| output < manifest);
                untouched
                    || std::fs::read(&path)
                        .is_ok_and(|bytes| crate::hash::sha256_hex(&bytes) == *recorded)
            })
        })
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
