//! The clause library on disk (SPEC §3–§4): clause versions, outlines and
//! jurisdiction rules. Loading reads every file once and reports every problem found.

mod front;
mod scan;

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
}

impl ClauseVersion {
    /// Name under which the body is registered with Tera.
    pub fn template_name(&self) -> String {
        format!("{}@{}", self.id, self.version)
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
    EverySchoolHasOfficer,
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
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub root: PathBuf,
    pub clauses: BTreeMap<String, Vec<ClauseVersion>>,
    pub outlines: BTreeMap<String, Outline>,
    pub rules: BTreeMap<String, Rules>,
}

impl Library {
    /// Loads a library; returns it together with every problem found (errors included),
    /// so `check` can report everything while `build` refuses on any error.
    pub fn load(root: &Path) -> (Library, Vec<Diagnostic>) {
        scan::load(root)
    }

    pub fn versions(&self, id: &str) -> &[ClauseVersion] {
        self.clauses.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// `ID` (newest) or `ID@VERSION`.
    pub fn find(&self, spec: &str) -> Result<&ClauseVersion, String> {
        let (id, version) = match spec.split_once('@') {
            Some((id, v)) => (id, Some(v)),
            None => (spec, None),
        };
        let versions = self.versions(id);
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
