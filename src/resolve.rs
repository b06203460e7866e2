//! Chooses the clauses of one agreement: the outline, plus the clauses the profile
//! inserts, less exclusions, plus included optional clauses; each from the highest
//! layer of the stack that has its id (the agreement's overlay, then the library), in
//! the variant the profile (or the outline) names, at the version SPEC §3 selects:
//! among those meeting the requirement, the newest naming the state, else the newest
//! general one. The result is an ordered, numbered plan, with the agreement's exhibits.
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
    /// The agreement's exhibits, in the profile's order.
    pub exhibits: Vec<crate::exhibits::Planned<'l>>,
}

impl Plan<'_> {
    pub fn contains(&self, id: &str) -> bool {
        self.items.iter().any(|i| i.clause.id == id)
    }
}

/// One entry of the agreement's outline after `[clauses] insert`.
struct Entry<'o> {
    clause: &'o str,
    numbered: bool,
    optional: bool,
    /// The outline's own variant for it, if any.
    variant: Option<&'o String>,
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
    let overlay = overlay_of(profile, lib)?;
    let clauses = &profile.raw.clauses;
    let mut entries: Vec<Entry<'_>> = outline
        .articles
        .iter()
        .map(|a| Entry {
            clause: &a.clause,
            numbered: a.numbered,
            optional: a.optional,
            variant: a.variant.as_ref(),
        })
        .collect();
    insert(profile, lib, overlay, &mut entries, &mut diags);
    let known = |id: &str| entries.iter().any(|a| a.clause == id);
    let ids = || entries.iter().map(|a| a.clause);
    for (i, id) in clauses.include.iter().enumerate() {
        let keys = ["clauses", "include", &i.to_string()];
        match entries.iter().find(|a| a.clause == id) {
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
    for id in clauses.variants.keys() {
        if !known(id) {
            let keys = ["clauses", "variants", id.as_str()];
            diags.push(unknown_clause(&loc, &keys, id, outline_name, ids()));
        }
    }

    let state = profile.state();
    let mut items = Vec::new();
    let mut number = 0;
    for entry in &entries {
        let id = entry.clause;
        if clauses.exclude.iter().any(|e| e == id)
            || (entry.optional && !clauses.include.iter().any(|e| e == id))
        {
            continue;
        }
        // The highest layer that has the id holds all of it (SPEC §4).
        let layer = match overlay {
            Some(o) if o.has_id(id) => o,
            _ => lib,
        };
        // The profile's variant must exist; the outline's applies where the layer
        // that holds the id has it (an overlay's own text replaces it).
        let has = |v: &String| layer.variants.get(id).is_some_and(|vs| vs.contains_key(v));
        let variant = clauses
            .variants
            .get(id)
            .or(entry.variant.filter(|v| has(v)));
        let versions = match variant {
            None => layer.versions(id),
            Some(v) => match layer.variants.get(id).and_then(|vs| vs.get(v)) {
                Some(versions) => versions,
                None => {
                    diags.push(unknown_variant(&loc, layer, id, v));
                    continue;
                }
            },
        };
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
        match choose(versions, state, req) {
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
                let shown = match variant {
                    Some(v) => format!("{id}/{v}"),
                    None => id.to_string(),
                };
                diags.push(
                    loc.error(
                        codes::E0153,
                        &keys,
                        format!("no version of clause `{shown}` satisfies {why}"),
                    )
                    .with_help(format!("versions that exist: {}", list_versions(versions))),
                );
            }
        }
    }
    if let Some(o) = overlay {
        unused_overlay_clauses(profile, lib, o, &items, &mut diags);
    }
    let exhibits = crate::exhibits::plan(profile, lib, overlay).unwrap_or_else(|e| {
        diags.extend(e);
        Vec::new()
    });
    if diags.iter().any(Diagnostic::is_error) {
        Err(diags)
    } else {
        Ok(Plan {
            items,
            warnings: diags,
            exhibits,
        })
    }
}

/// SPEC §3: among the versions that meet the requirement, the newest that names the
/// state, else the newest general one. A newer general version therefore never
/// displaces a state's own version.
pub fn choose<'l>(
    versions: &'l [ClauseVersion],
    state: &str,
    req: Option<&semver::VersionReq>,
) -> Option<&'l ClauseVersion> {
    let fits = |c: &&ClauseVersion| req.is_none_or(|r| r.matches(&c.version));
    versions
        .iter()
        .rev()
        .filter(fits)
        .find(|c| c.names_state(state))
        .or_else(|| {
            versions
                .iter()
                .rev()
                .filter(fits)
                .find(|c| c.names_state("*"))
        })
}

/// The model's text of clause `id` for this profile: what the library (below the
/// overlay) gives without the profile's variants, in the variant the outline names if
/// any (a short outline's short text). What a deviation is measured against.
pub fn standard<'l>(profile: &Profile, lib: &'l Library, id: &str) -> Option<&'l ClauseVersion> {
    let versions = outline_variant(profile, lib, id)
        .and_then(|v| lib.variants.get(id)?.get(v))
        .map_or_else(|| lib.versions(id), Vec::as_slice);
    choose(versions, profile.state(), profile.versions.get(id))
}

/// The variant the profile's outline names for clause `id`, if any.
pub fn outline_variant<'l>(profile: &Profile, lib: &'l Library, id: &str) -> Option<&'l str> {
    lib.outlines
        .get(profile.outline())?
        .articles
        .iter()
        .find(|a| a.clause == id)?
        .variant
        .as_deref()
}

/// The profile's overlay, loaded with the project (see `Project::add_overlays`), or the
/// problems found in it.
fn overlay_of<'l>(
    profile: &Profile,
    lib: &'l Library,
) -> Result<Option<&'l Library>, Vec<Diagnostic>> {
    let local = profile.raw.clauses.local.as_deref();
    if let Some(l) = local.filter(|l| !crate::library::stack::local_is_inside(l)) {
        return Err(vec![
            profile
                .locator()
                .error(
                    codes::E0158,
                    &["clauses", "local"],
                    format!("overlay folder \"{l}\" is outside the profile's folder"),
                )
                .with_help("give a folder inside the profile's folder, without `..`"),
        ]);
    }
    let Some(dir) = crate::library::stack::overlay_dir(&profile.path, local) else {
        return Ok(None);
    };
    if let Some(problems) = lib.overlay_problems.get(&dir)
        && problems.iter().any(Diagnostic::is_error)
    {
        return Err(problems.clone());
    }
    let found = match lib.overlays.get(&dir) {
        Some(o) => Ok(Some(o)),
        None if local.is_some() && !dir.is_dir() => Err(profile
            .locator()
            .error(
                codes::E0158,
                &["clauses", "local"],
                format!(
                    "overlay folder {} not found",
                    crate::diag::display_path(&dir)
                ),
            )
            .with_help("`local` names a folder relative to the profile's own folder")),
        None => Err(profile.locator().error(
            codes::E0158,
            &["clauses", "local"],
            format!(
                "overlay folder {} was not loaded with the library",
                crate::diag::display_path(&dir)
            ),
        )),
    };
    found.map_err(|d| vec![d])
}

/// `[clauses] insert`: each clause placed after or before an entry of the outline (or
/// an entry inserted before it), numbered, never optional.
fn insert<'p>(
    profile: &'p Profile,
    lib: &Library,
    overlay: Option<&Library>,
    entries: &mut Vec<Entry<'p>>,
    diags: &mut Vec<Diagnostic>,
) {
    let loc = profile.locator();
    for (i, ins) in profile.raw.clauses.insert.iter().enumerate() {
        let n = i.to_string();
        let id = ins.clause.as_str();
        let (anchor, after, key) = match (&ins.after, &ins.before) {
            (Some(a), None) => (a.as_str(), true, "after"),
            (None, Some(b)) => (b.as_str(), false, "before"),
            _ => {
                diags.push(
                    loc.error(
                        codes::E0156,
                        &["clauses", "insert", &n],
                        format!("insert of `{id}` needs exactly one of `after` and `before`"),
                    )
                    .with_help(format!("e.g. {{ clause = \"{id}\", after = \"duties\" }}")),
                );
                continue;
            }
        };
        let exists = lib.has_id(id) || overlay.is_some_and(|o| o.has_id(id));
        if !exists {
            let mut all: Vec<&str> = lib.clauses.keys().map(String::as_str).collect();
            if let Some(o) = overlay {
                all.extend(o.clauses.keys().map(String::as_str));
            }
            let mut d = loc.error(
                codes::E0156,
                &["clauses", "insert", &n, "clause"],
                format!("inserted clause `{id}` is in no layer of the library (overlay, clauses/, mou.toml libraries)"),
            );
            if let Some(s) = did_you_mean(id, all) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            continue;
        }
        if entries.iter().any(|e| e.clause == id) {
            diags.push(
                loc.error(
                    codes::E0156,
                    &["clauses", "insert", &n, "clause"],
                    format!(
                        "clause `{id}` is already in outline \"{}\"",
                        profile.outline()
                    ),
                )
                .with_help("an optional clause of the outline is added with `include`"),
            );
            continue;
        }
        let Some(at) = entries.iter().position(|e| e.clause == anchor) else {
            let ids = entries.iter().map(|e| e.clause);
            let help = match did_you_mean(anchor, ids.clone()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "entries of the outline: {}",
                    ids.collect::<Vec<_>>().join(", ")
                ),
            };
            diags.push(
                loc.error(
                    codes::E0155,
                    &["clauses", "insert", &n, key],
                    format!(
                        "insert anchor `{anchor}` is not an entry of outline \"{}\"",
                        profile.outline()
                    ),
                )
                .with_help(help),
            );
            continue;
        };
        entries.insert(
            if after { at + 1 } else { at },
            Entry {
                clause: id,
                numbered: true,
                optional: false,
                variant: None,
            },
        );
    }
}

/// An unknown variant: located at the profile's `variants` key, listing those that exist.
fn unknown_variant(
    loc: &crate::profile::Locator<'_>,
    layer: &Library,
    id: &str,
    variant: &str,
) -> Diagnostic {
    let names: Vec<&str> = layer
        .variants
        .get(id)
        .map(|v| v.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let help = if names.is_empty() {
        format!("clause `{id}` has no variants; remove it from `variants` for the standard text")
    } else {
        let hint = did_you_mean(variant, names.iter().copied())
            .map(|s| format!("did you mean \"{s}\"? "))
            .unwrap_or_default();
        format!("{hint}variants of `{id}`: {}", names.join(", "))
    };
    loc.error(
        codes::E0154,
        &["clauses", "variants", id],
        format!("clause `{id}` has no variant \"{variant}\""),
    )
    .with_help(help)
}

/// An overlay clause the agreement does not use is a mistake in waiting: most often a
/// new clause that was meant to be inserted, or a misspelled folder.
fn unused_overlay_clauses(
    profile: &Profile,
    lib: &Library,
    overlay: &Library,
    items: &[PlanItem<'_>],
    diags: &mut Vec<Diagnostic>,
) {
    let ids = overlay.clauses.keys().chain(overlay.variants.keys());
    let mut seen = std::collections::BTreeSet::new();
    for id in ids {
        if !seen.insert(id) || items.iter().any(|i| i.clause.id == id.as_str()) {
            continue;
        }
        let Some(first) = overlay
            .clauses
            .get(id)
            .and_then(|v| v.first())
            .or_else(|| overlay.variants.get(id)?.values().next()?.first())
        else {
            continue;
        };
        let why = if lib.has_id(id) {
            "is not part of this agreement (an optional clause not included, or excluded)"
        } else {
            "exists in no outline and is not inserted"
        };
        diags.push(
            Diagnostic::warning(
                codes::W0152,
                &first.path,
                format!(
                    "overlay clause `{id}` of {} {why}; it is unused",
                    crate::diag::display_path(&profile.path)
                ),
            )
            .at(1, 1)
            .with_help(format!(
                "add it with [clauses] insert = [{{ clause = \"{id}\", after = \"…\" }}], or remove the folder"
            )),
        );
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
            variant: None,
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

    /// SPEC §3: a state's own version is preferred to any general one, so a newer
    /// general version never displaces it; the requirement still applies first.
    #[test]
    fn a_new_general_version_never_displaces_a_state_version() {
        let mut lib = library();
        lib.clauses
            .get_mut("training")
            .unwrap()
            .push(version("training", "3.0.0", &["*"]));
        assert_eq!(chosen(&profile("KY", ""), &lib)[1].1, "2.0.0");
        assert_eq!(chosen(&profile("WA", ""), &lib)[1].1, "3.0.0");
        let p = profile("KY", "versions = { training = \"^3\" }");
        assert_eq!(chosen(&p, &lib)[1].1, "3.0.0");
    }

    #[test]
    fn variants_are_chosen_by_the_profile_and_checked() {
        let mut lib = library();
        let mut v = version("training", "1.0.0", &["*"]);
        v.variant = Some("short".into());
        let mut ky = version("training", "1.1.0", &["KY"]);
        ky.variant = Some("short".into());
        let mut newer = version("training", "2.0.0", &["*"]);
        newer.variant = Some("short".into());
        lib.variants
            .entry("training".into())
            .or_default()
            .insert("short".into(), vec![v, ky, newer]);
        let p = profile("KY", "variants = { training = \"short\" }");
        let got = plan(&p, &lib).unwrap();
        assert_eq!(got.items[1].clause.variant.as_deref(), Some("short"));
        assert_eq!(got.items[1].clause.version.to_string(), "1.1.0");
        let p = profile("WA", "variants = { training = \"short\" }");
        assert_eq!(chosen(&p, &lib)[1].1, "2.0.0");
        let p = profile("WA", "variants = { training = \"shrot\" }");
        let err = plan(&p, &lib).unwrap_err();
        assert_eq!(err[0].code, "E0154");
        assert_eq!(
            err[0].help.as_deref(),
            Some("did you mean \"short\"? variants of `training`: short")
        );
    }

    #[test]
    fn inserts_go_after_or_before_their_anchor() {
        let mut lib = library();
        lib.clauses
            .insert("canine".into(), vec![version("canine", "1.0.0", &["*"])]);
        let p = profile(
            "WA",
            "insert = [{ clause = \"canine\", before = \"training\" }]",
        );
        let got = chosen(&p, &lib);
        assert_eq!(got[1], ("canine".into(), "1.0.0".into(), Some(1)));
        assert_eq!(got[2].0, "training");
        assert_eq!(got[2].2, Some(2));
        let p = profile(
            "WA",
            "insert = [{ clause = \"canine\", after = \"trainin\" }]",
        );
        let err = plan(&p, &lib).unwrap_err();
        assert_eq!(err[0].code, "E0155");
        assert_eq!(err[0].help.as_deref(), Some("did you mean `training`?"));
        for bad in [
            "insert = [{ clause = \"canine\" }]",
            "insert = [{ clause = \"nowhere\", after = \"training\" }]",
            "insert = [{ clause = \"training\", after = \"recitals\" }]",
        ] {
            let err = plan(&profile("WA", bad), &lib).unwrap_err();
            assert_eq!(err[0].code, "E0156", "{bad}");
        }
    }
}
