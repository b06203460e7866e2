//! The library stack (SPEC §4): an agreement's overlay, then the project's `clauses/`,
//! then the libraries `mou.toml` lists, searched top down. A clause id found in a
//! higher layer shadows that id in every layer below, all its versions and variants:
//! a layer replaces a clause, it never mixes its versions with those of another.
//!
//! The layers below the overlays are merged once, when the project opens (a shadowed
//! clause is dropped and never compiled); each overlay stays a [`Library`] of its own
//! and is consulted first by `resolve` for its one agreement.
use crate::check::codes;

use super::{Layer, Library, scan};
use crate::diag::Diagnostic;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The project's library: `project` (its `clauses/`) over `shared` (the libraries of
/// `mou.toml`: as written there, and the folder), with every problem found.
pub fn load(project: &Path, shared: &[(String, PathBuf)]) -> (Library, Vec<Diagnostic>) {
    let (mut lib, mut diags) = scan::load(project, &Layer::Project);
    for (written, dir) in shared {
        let (below, d) = scan::load(dir, &Layer::Shared(written.clone()));
        diags.extend(d);
        merge_below(&mut lib, below);
    }
    scan::check_outlines(&lib, &mut diags);
    (lib, diags)
}

/// One overlay folder, read with the same checks (and the same sandbox: no link out of
/// the folder is followed) as `clauses/`. `shown` names it in template names and
/// messages.
pub fn load_overlay(dir: &Path, shown: &str) -> (Library, Vec<Diagnostic>) {
    scan::load(dir, &Layer::Overlay(shown.to_string()))
}

/// Adds what `below` has and `lib` lacks: ids `lib` has (as standard text or variant)
/// shadow all of `below`'s versions and variants of that id; outlines and rules files
/// of a higher layer replace those of the same name.
fn merge_below(lib: &mut Library, below: Library) {
    let upper: BTreeSet<String> = lib
        .clauses
        .keys()
        .chain(lib.variants.keys())
        .cloned()
        .collect();
    for (id, versions) in below.clauses {
        if !upper.contains(&id) {
            lib.clauses.insert(id, versions);
        }
    }
    for (id, variants) in below.variants {
        if !upper.contains(&id) {
            lib.variants.insert(id, variants);
        }
    }
    for (name, outline) in below.outlines {
        lib.outlines.entry(name).or_insert(outline);
    }
    for (state, rules) in below.rules {
        lib.rules.entry(state).or_insert(rules);
    }
}

/// The overlay folder of the profile at `profile`: `local` (relative to the profile's
/// folder) when the profile sets it, else `<stem>.clauses/` beside the profile when
/// that folder exists.
pub fn overlay_dir(profile: &Path, local: Option<&str>) -> Option<PathBuf> {
    let folder = profile.parent().unwrap_or(Path::new(""));
    if let Some(local) = local {
        return local_is_inside(local).then(|| folder.join(local));
    }
    let stem = profile.file_stem()?.to_string_lossy();
    let dir = folder.join(format!("{stem}.clauses"));
    dir.is_dir().then_some(dir)
}

/// `local` names a folder inside the profile's folder: relative, without `..`. A
/// profile from a script cannot make `mou` read (and quote in errors) another folder of
/// the machine as clauses.
pub fn local_is_inside(local: &str) -> bool {
    !local.is_empty()
        && Path::new(local).components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
}

/// The loaded overlay of `profile`, if it has one.
pub fn overlay_for<'l>(profile: &crate::profile::Profile, lib: &'l Library) -> Option<&'l Library> {
    let dir = overlay_dir(&profile.path, profile.raw.clauses.local.as_deref())?;
    lib.overlays.get(&dir)
}

/// Two layers that are one folder (a library listed twice, the project's `clauses/`
/// listed as a library of itself, an overlay that is a library): the stack would
/// search a folder twice, and shadowing would make no sense. `layers` are (as written,
/// folder) from top to bottom; each repeat is reported at `locate` of its name.
pub fn cycles(
    layers: &[(String, PathBuf)],
    mut locate: impl FnMut(&str, String) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut seen: Vec<(PathBuf, &str)> = Vec::new();
    let mut out = Vec::new();
    for (written, dir) in layers {
        let real = dir.canonicalize().unwrap_or_else(|_| dir.clone());
        match seen.iter().position(|(p, _)| *p == real) {
            Some(k) => out.push(locate(
                written,
                format!(
                    "cycle of layers: `{written}` is the same folder as `{}`, already {}",
                    seen[k].1,
                    if k == 0 {
                        "the top layer of this stack"
                    } else {
                        "a layer of this project"
                    }
                ),
            )),
            None => seen.push((real, written)),
        }
    }
    out
}

/// The error for a repeated layer, with its code.
pub fn cycle_error(file: &Path, message: String) -> Diagnostic {
    Diagnostic::error(codes::E0232, file, message)
        .with_help("each folder can be one layer only: remove the repeated entry")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(dir: &Path, rel: &str, title: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("+++\ntitle = \"{title}\"\n+++\nText.\n")).unwrap();
    }

    /// A higher layer's id shadows every version and variant of it below; ids only
    /// below come through, marked with their layer.
    #[test]
    fn higher_layers_shadow_whole_ids() {
        let tmp = tempfile::tempdir().unwrap();
        let (top, low) = (tmp.path().join("clauses"), tmp.path().join("vendor"));
        clause(&top, "duties/1.0.0.md", "Ours");
        clause(&low, "duties/2.0.0.md", "Theirs");
        clause(&low, "duties/short/1.0.0.md", "Theirs, short");
        clause(&low, "canine/1.0.0.md", "Canine");
        let (lib, diags) = load(&top, &[("vendor".into(), low)]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(lib.versions("duties").len(), 1);
        assert_eq!(lib.versions("duties")[0].front.title, "Ours");
        assert!(!lib.variants.contains_key("duties"));
        assert_eq!(
            lib.versions("canine")[0].layer,
            Layer::Shared("vendor".into())
        );
    }

    #[test]
    fn variants_are_read_from_their_folder() {
        let tmp = tempfile::tempdir().unwrap();
        clause(tmp.path(), "appointment/1.0.0.md", "Standard");
        clause(tmp.path(), "appointment/agency-selects/1.0.0.md", "Agency");
        clause(tmp.path(), "appointment/Bad_Name/1.0.0.md", "Bad");
        let (lib, diags) = load(tmp.path(), &[]);
        let v = &lib.variants["appointment"]["agency-selects"][0];
        assert_eq!(v.variant.as_deref(), Some("agency-selects"));
        assert_eq!(v.template_name(), "appointment/agency-selects@1.0.0");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "E0204");
    }

    #[test]
    fn overlay_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let profile = tmp.path().join("city.toml");
        assert_eq!(overlay_dir(&profile, None), None);
        std::fs::create_dir(tmp.path().join("city.clauses")).unwrap();
        assert_eq!(
            overlay_dir(&profile, None),
            Some(tmp.path().join("city.clauses"))
        );
        assert_eq!(
            overlay_dir(&profile, Some("other")),
            Some(tmp.path().join("other"))
        );
    }
}
