//! Chooses the clauses of one agreement: the outline, less exclusions, plus included
//! optional clauses, each at the newest version that meets the profile's requirement
//! and serves its state. The result is an ordered, numbered plan.
use crate::check::codes;

use crate::diag::{Diagnostic, did_you_mean};
use crate::library::{ClauseVersion, Library, list_versions};
use crate::profile::Profile;

#[derive(Debug, Clone)]
pub struct PlanItem<'l> {
    pub clause: &'l ClauseVersion,
    pub number: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Plan<'l> {
    pub items: Vec<PlanItem<'l>>,
    /// What resolving found that is worth saying but not an error (an include that
    /// changes nothing): `check` reports them.
    pub warnings: Vec<Diagnostic>,
}

impl Plan<'_> {
    pub fn contains(&self, id: &str) -> bool {
        self.items.iter().any(|i| i.clause.id == id)
    }
}

pub fn plan<'l>(profile: &Profile, lib: &'l Library) -> Result<Plan<'l>, Vec<Diagnostic>> {
    let loc = profile.locator();
    let mut diags = Vec::new();
    let outline_name = profile.outline();
    let Some(outline) = lib.outlines.get(outline_name) else {
        let hint = did_you_mean(outline_name, lib.outlines.keys().map(String::as_str))
            .map(|s| format!("did you mean \"{s}\"?"))
            .unwrap_or_else(|| {
                format!(
                    "outlines in the library: {}",
                    lib.outlines.keys().cloned().collect::<Vec<_>>().join(", ")
                )
            });
        return Err(vec![
            loc.error(
                codes::E0150,
                &["agreement", "outline"],
                format!("no outline \"{outline_name}\" in the library"),
            )
            .with_help(hint),
        ]);
    };
    let known = |id: &str| outline.articles.iter().any(|a| a.clause == id);
    let ids = || outline.articles.iter().map(|a| a.clause.as_str());
    let clauses = &profile.raw.clauses;
    for (i, id) in clauses.include.iter().enumerate() {
        let keys = ["clauses", "include", &i.to_string()];
        match outline.articles.iter().find(|a| &a.clause == id) {
            None => diags.push(unknown_clause(&loc, &keys, id, outline_name, ids())),
            Some(a) if !a.optional => diags.push(loc.warning(
                codes::W0151,
                &keys,
                format!("`{id}` is always part of outline \"{outline_name}\"; including it changes nothing"),
            )),
            Some(_) => {}
        }
    }
    for (i, id) in clauses.exclude.iter().enumerate() {
        if !known(id) {
            let keys = ["clauses", "exclude", &i.to_string()];
            diags.push(unknown_clause(&loc, &keys, id, outline_name, ids()));
        }
    }
    for id in profile.versions.keys() {
        if !known(id) {
            let keys = ["clauses", "versions", id.as_str()];
            diags.push(unknown_clause(&loc, &keys, id, outline_name, ids()));
        }
    }

    let state = profile.state();
    let mut items = Vec::new();
    let mut number = 0;
    for entry in &outline.articles {
        let id = entry.clause.as_str();
        if clauses.exclude.iter().any(|e| e == id)
            || (entry.optional && !clauses.include.iter().any(|e| e == id))
        {
            continue;
        }
        let versions = lib.versions(id);
        if versions.is_empty() {
            let d = Diagnostic::error(
                codes::E0152,
                &outline.path,
                format!(
                    "outline \"{outline_name}\" names clause `{id}`, which the library does not have"
                ),
            );
            let offset = outline.source.find(&format!("\"{id}\""));
            diags.push(match offset {
                Some(o) => d.at_offset(&outline.source, o),
                None => d,
            });
            continue;
        }
        let req = profile.versions.get(id);
        let chosen = versions
            .iter()
            .rev()
            .find(|c| c.serves(state) && req.is_none_or(|r| r.matches(&c.version)));
        match chosen {
            Some(clause) => {
                let n = entry.numbered.then(|| {
                    number += 1;
                    number
                });
                items.push(PlanItem { clause, number: n });
            }
            None => {
                let why = match req {
                    Some(r) => format!("requirement \"{r}\" for state {state}"),
                    None => format!("state {state}"),
                };
                let keys: Vec<&str> = if req.is_some() {
                    vec!["clauses", "versions", id]
                } else {
                    vec!["agreement", "state"]
                };
                diags.push(
                    loc.error(
                        codes::E0153,
                        &keys,
                        format!("no version of clause `{id}` satisfies {why}"),
                    )
                    .with_help(format!("versions that exist: {}", list_versions(versions))),
                );
            }
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok(Plan {
            items,
            warnings: diags,
        })
    }
}

fn unknown_clause<'a>(
    loc: &crate::profile::Locator<'_>,
    keys: &[&str],
    id: &str,
    outline: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let help = match did_you_mean(id, ids.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "clauses of the outline: {}",
            ids.collect::<Vec<_>>().join(", ")
        ),
    };
    loc.error(
        codes::E0151,
        keys,
        format!("clause `{id}` is not in outline \"{outline}\""),
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Outline, OutlineEntry};
    use std::path::Path;

    fn version(id: &str, v: &str, states: &[&str]) -> ClauseVersion {
        let mut c = ClauseVersion::sample(id, v, "");
        c.front.states = states.iter().map(|s| s.to_string()).collect();
        c
    }

    fn library() -> Library {
        let mut lib = Library::default();
        lib.clauses.insert(
            "training".into(),
            vec![
                version("training", "1.0.0", &["*"]),
                version("training", "1.1.0", &["*"]),
                version("training", "2.0.0", &["KY"]),
                version("training", "2.1.0", &["CT"]),
            ],
        );
        lib.clauses.insert(
            "recitals".into(),
            vec![version("recitals", "1.0.0", &["*"])],
        );
        lib.clauses
            .insert("data".into(), vec![version("data", "1.0.0", &["*"])]);
        let entry = |clause: &str, numbered: bool, optional: bool| OutlineEntry {
            clause: clause.into(),
            numbered,
            optional,
        };
        lib.outlines.insert(
            "mou".into(),
            Outline {
                name: "mou".into(),
                path: "clauses/outlines/mou.toml".into(),
                source: String::new(),
                articles: vec![
                    entry("recitals", false, false),
                    entry("training", true, false),
                    entry("data", true, true),
                ],
            },
        );
        lib
    }

    fn profile(state: &str, clauses: &str) -> Profile {
        let src =
            crate::profile::tests::BASE.replace("state = \"CT\"", &format!("state = \"{state}\""));
        Profile::parse(
            Path::new("p.toml"),
            format!("{src}\n[clauses]\n{clauses}\n"),
        )
        .unwrap()
    }

    fn chosen(p: &Profile, lib: &Library) -> Vec<(String, String, Option<u32>)> {
        plan(p, lib)
            .unwrap()
            .items
            .iter()
            .map(|i| {
                (
                    i.clause.id.to_string(),
                    i.clause.version.to_string(),
                    i.number,
                )
            })
            .collect()
    }

    #[test]
    fn newest_version_serving_the_state() {
        let lib = library();
        let ky = chosen(&profile("KY", ""), &lib);
        assert_eq!(ky[1], ("training".into(), "2.0.0".into(), Some(1)));
        let ct = chosen(&profile("CT", ""), &lib);
        assert_eq!(ct[1].1, "2.1.0");
        let wa = chosen(&profile("WA", ""), &lib);
        assert_eq!(wa[1].1, "1.1.0");
        assert_eq!(wa[0], ("recitals".into(), "1.0.0".into(), None));
        assert_eq!(wa.len(), 2, "optional clause left out");
    }

    #[test]
    fn requirement_and_include() {
        let lib = library();
        let p = profile(
            "KY",
            "versions = { training = \"^1\" }\ninclude = [\"data\"]",
        );
        let got = chosen(&p, &lib);
        assert_eq!(got[1].1, "1.1.0");
        assert_eq!(got[2], ("data".into(), "1.0.0".into(), Some(2)));
        let p = profile("WA", "versions = { training = \"=1.0.0\" }");
        assert_eq!(chosen(&p, &lib)[1].1, "1.0.0");
    }

    #[test]
    fn unsatisfiable_lists_versions() {
        let lib = library();
        let p = profile("WA", "versions = { training = \"^2\" }");
        let err = plan(&p, &lib).unwrap_err();
        assert_eq!(err[0].code, "E0153");
        assert_eq!(
            err[0].help.as_deref(),
            Some("versions that exist: 1.0.0, 1.1.0, 2.0.0 (KY), 2.1.0 (CT)")
        );
    }

    #[test]
    fn exclude_renumbers() {
        let lib = library();
        let p = profile("WA", "include = [\"data\"]\nexclude = [\"training\"]");
        let got = chosen(&p, &lib);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], ("data".into(), "1.0.0".into(), Some(1)));
    }
}
