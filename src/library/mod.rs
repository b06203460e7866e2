//! The clause library on disk (SPEC §3–§4): clause versions, outlines and
//! jurisdiction rules. Loading reads every file once and reports every problem found.

mod front;
mod scan;
pub mod stack;

pub use front::{FrontMatter, split as split_front_matter};

use crate::diag::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Clause files larger than this are refused.
pub const MAX_CLAUSE_BYTES: usize = 1 << 20;

/// One version of one clause.
#[derive(Debug, Clone)]
pub struct ClauseVersion {
    pub id: crate::ids::ClauseId,
    pub version: semver::Version,
    pub path: PathBuf,
    pub front: FrontMatter,
    /// The template body (after the front matter).
    pub body: String,
    /// 1-based line of the file where the body starts: template errors add it.
    pub body_line: usize,
    /// sha256 of the whole file, hex.
    pub sha256: String,
    /// The layer of the stack the file was read from (SPEC §4).
    pub layer: Layer,
    /// `Some("agency-selects")` for `clauses/appointment/agency-selects/1.0.0.md`;
    /// `None` for the standard text.
    pub variant: Option<String>,
}

/// Where in the library stack a clause comes from (SPEC §4), top down.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Layer {
    /// One agreement's overlay folder; the folder as its profile names it.
    Overlay(String),
    /// The project's own `clauses/`.
    #[default]
    Project,
    /// A library `mou.toml` lists; its path as written there.
    Shared(String),
}

impl Layer {
    /// `overlay`, `project` or `library`: the kind, as the manifest and lock record it.
    pub fn kind(&self) -> &'static str {
        match self {
            Layer::Overlay(_) => "overlay",
            Layer::Project => "project",
            Layer::Shared(_) => "library",
        }
    }

    /// The kind with its folder (`overlay profiles/x.clauses`), for listings.
    pub fn describe(&self) -> String {
        match self {
            Layer::Overlay(dir) => format!("overlay {dir}"),
            Layer::Project => "project".to_string(),
            Layer::Shared(dir) => format!("library {dir}"),
        }
    }
}

impl ClauseVersion {
    /// Name under which the body is registered with Tera.
    ///
    /// The standard text of a project or shared clause keeps the name `id@version`
    /// (a clause may include another by it); a variant is `id/variant@version`, and an
    /// overlay clause is prefixed with its overlay folder, so the clauses of every
    /// agreement's overlay live in one engine without clashing.
    pub fn template_name(&self) -> String {
        let base = match &self.variant {
            Some(v) => format!("{}/{v}@{}", self.id, self.version),
            None => format!("{}@{}", self.id, self.version),
        };
        match &self.layer {
            Layer::Overlay(dir) => format!("{dir}:{base}"),
            _ => base,
        }
    }

    /// `appointment` or `appointment/agency-selects`, for messages and listings.
    pub fn qualified_id(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{v}", self.id),
            None => self.id.to_string(),
        }
    }

    /// Names the profile's state (rather than serving every state with `*`).
    pub fn names_state(&self, state: &str) -> bool {
        self.front.states.iter().any(|s| s == state)
    }

    pub fn serves(&self, state: &str) -> bool {
        self.front.states.iter().any(|s| s == "*" || s == state)
    }

    /// A clause version for unit tests: `id` at `version`, titled by its id, serving
    /// every state, its body starting on line 4 of its file.
    #[cfg(test)]
    pub fn sample(id: &str, version: &str, body: &str) -> ClauseVersion {
        ClauseVersion {
            id: crate::ids::ClauseId::parse(id).unwrap(),
            version: semver::Version::parse(version).unwrap(),
            path: format!("clauses/{id}/{version}.md").into(),
            front: FrontMatter {
                title: id.to_string(),
                summary: String::new(),
                tags: vec![],
                states: vec!["*".into()],
                changes: String::new(),
                id: None,
                version: None,
            },
            body: body.to_string(),
            body_line: 4,
            sha256: String::new(),
            layer: Layer::Project,
            variant: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutlineEntry {
    pub clause: String,
    #[serde(default = "yes")]
    pub numbered: bool,
    #[serde(default)]
    pub optional: bool,
    /// (v2) The variant this outline uses unless the profile names another (a short
    /// outline's own short texts).
    #[serde(default)]
    pub variant: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone)]
pub struct Outline {
    pub name: String,
    pub path: PathBuf,
    pub source: String,
    pub articles: Vec<OutlineEntry>,
}

/// One jurisdiction rule of `clauses/rules/<STATE>.toml` (SPEC §4), checked when read
/// (`check::rule_file`): it names exactly one target, cites its law and says what it
/// rests on.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The clause tag the rule requires or forbids; `None` for a profile check.
    pub tag: Option<String>,
    /// The profile value the rule requires (`require` only).
    pub profile: Option<ProfileCheck>,
    pub cite: String,
    pub message: String,
    /// Where the law was read (a URL); `None` when the file records none.
    pub source: Option<String>,
    pub confidence: Confidence,
    /// The rule applies to agreements dated on or after this day…
    pub since: Option<crate::date::Date>,
    /// …and on or before this one.
    pub until: Option<crate::date::Date>,
    /// Byte offset of the rule's table in the rules file, for diagnostics.
    pub offset: usize,
}

/// What a rule rests on: the statute (or regulation) text itself, or a secondary
/// source that describes it (a bill summary, an agency page, a district policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Statute,
    Secondary,
}

/// The closed set of profile values a rule can require: named checks, not an
/// expression language, so every rule file stays readable and every check is tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileCheck {
    /// Every school listed in `[[schools]]` has at least one officer stationed there.
    /// (A `[[require]]` check.)
    EverySchoolHasOfficer,
    /// One party indemnifies, defends or insures the other: the insurance article is in
    /// the agreement and `insurance.indemnity` is not `each-own` or `none`. (A
    /// `[[forbid]]` condition: where public bodies may not take on each other's
    /// liability.)
    CrossIndemnity,
    /// The agreement rests officers' terms on a collective bargaining agreement
    /// (`agency.collective_bargaining` names one). (A `[[forbid]]` condition.)
    CollectiveBargaining,
}

impl ProfileCheck {
    /// Whether the check is a condition a `[[forbid]]` bars (else a requirement a
    /// `[[require]]` asks for).
    pub fn is_condition(self) -> bool {
        matches!(
            self,
            ProfileCheck::CrossIndemnity | ProfileCheck::CollectiveBargaining
        )
    }
}

#[derive(Debug, Clone)]
pub struct Rules {
    pub state: String,
    pub path: PathBuf,
    pub source: String,
    pub require: Vec<Rule>,
    /// Tags the state's law bars from an agreement.
    pub forbid: Vec<Rule>,
}

/// The whole library, every clause version sorted by version.
///
/// A project's library is its stack below the overlays (`clauses/`, then the libraries
/// `mou.toml` lists, a shadowed id dropped: see [`stack`]); the overlays of the
/// agreements a command works on are kept beside it, each a `Library` of its own,
/// keyed by the overlay folder as its profile names it.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub root: PathBuf,
    /// The standard text of each clause, by id.
    pub clauses: BTreeMap<String, Vec<ClauseVersion>>,
    /// The named variants of each clause: id → variant → versions.
    pub variants: BTreeMap<String, BTreeMap<String, Vec<ClauseVersion>>>,
    pub outlines: BTreeMap<String, Outline>,
    pub rules: BTreeMap<String, Rules>,
    /// Overlay folders of the agreements loaded (see [`stack::overlay_dir`]).
    pub overlays: BTreeMap<PathBuf, Library>,
    /// Exhibit files the agreements loaded name, read as templates, or why not.
    pub exhibit_files: BTreeMap<PathBuf, Result<ClauseVersion, String>>,
    /// What reading an overlay folder or an exhibit file found, by folder or file:
    /// reported by (and failing) the agreements that use it, not the whole batch.
    pub overlay_problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

impl Library {
    /// Loads a library; returns it together with every problem found (errors included),
    /// so `check` can report everything while `build` refuses on any error.
    pub fn load(root: &Path) -> (Library, Vec<Diagnostic>) {
        stack::load(root, &[])
    }

    pub fn versions(&self, id: &str) -> &[ClauseVersion] {
        self.clauses.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The library has the id, as standard text or as a variant.
    pub fn has_id(&self, id: &str) -> bool {
        self.clauses.contains_key(id) || self.variants.contains_key(id)
    }

    /// Every clause version: standard texts, then variants, by id.
    pub fn all_versions(&self) -> impl Iterator<Item = &ClauseVersion> {
        self.clauses
            .values()
            .flatten()
            .chain(self.variants.values().flat_map(|v| v.values().flatten()))
    }

    /// `ID` (newest) or `ID@VERSION`; `ID/VARIANT` or `ID/VARIANT@VERSION` for a
    /// variant.
    pub fn find(&self, spec: &str) -> Result<&ClauseVersion, String> {
        let (id, version) = match spec.split_once('@') {
            Some((id, v)) => (id, Some(v)),
            None => (spec, None),
        };
        let versions = match id.split_once('/') {
            None => self.versions(id),
            Some((id, variant)) => {
                let variants = self.variants.get(id);
                match variants.and_then(|v| v.get(variant)) {
                    Some(v) => v.as_slice(),
                    None => {
                        let names: Vec<&str> = variants
                            .map(|v| v.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        return Err(format!(
                            "clause `{id}` has no variant `{variant}` (variants: {})",
                            if names.is_empty() {
                                "none".to_string()
                            } else {
                                names.join(", ")
                            }
                        ));
                    }
                }
            }
        };
        if versions.is_empty() {
            let hint = crate::diag::did_you_mean(id, self.clauses.keys().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!("no clause `{id}` in the library{hint}"));
        }
        match version {
            None => versions
                .last()
                .ok_or_else(|| format!("no clause `{id}` in the library")),
            Some(v) => {
                let wanted =
                    semver::Version::parse(v).map_err(|e| format!("invalid version `{v}`: {e}"))?;
                versions
                    .iter()
                    .find(|c| c.version == wanted)
                    .ok_or_else(|| {
                        format!(
                            "clause `{id}` has no version {v}; versions: {}",
                            list_versions(versions)
                        )
                    })
            }
        }
    }
}

pub fn list_versions(versions: &[ClauseVersion]) -> String {
    versions
        .iter()
        .map(|c| {
            if c.front.states.iter().any(|s| s == "*") {
                c.version.to_string()
            } else {
                format!("{} ({})", c.version, c.front.states.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
