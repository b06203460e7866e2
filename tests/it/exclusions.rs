//! Every clause the outline does not need for its structure can be left out of every
//! example agreement: the other clauses refer to it with `ref(id=…, or=…)` or
//! `included(id=…)`, so nothing dangles (no E0304) and nothing speaks of the missing
//! article ("unless terminated earlier under…", a survival list naming insurance).

use crate::common;
use mou::project::{Project, ProjectOptions};
use std::path::Path;

/// The clauses of the standard outline, and whether each is optional.
fn outline() -> Vec<(String, bool)> {
    let text = std::fs::read_to_string(common::repo().join("clauses/outlines/mou.toml")).unwrap();
    let table: toml::Table = text.parse().unwrap();
    table["article"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["clause"].as_str().unwrap().to_string(),
                a.get("optional").and_then(|o| o.as_bool()).unwrap_or(false),
            )
        })
        .collect()
}

fn examples() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(common::repo().join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

/// `profile` with `id` left out: taken from `include` if the profile adds it, else
/// added to `exclude`.
fn without(profile: &toml::Table, id: &str, optional: bool) -> Option<toml::Table> {
    let mut p = profile.clone();
    let clauses = p
        .entry("clauses")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .unwrap();
    let list = |c: &toml::Table, key: &str| -> Vec<String> {
        c.get(key)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let include = list(clauses, "include");
    if optional {
        if !include.iter().any(|c| c == id) {
            return None;
        }
        let kept: Vec<toml::Value> = include
            .iter()
            .filter(|c| *c != id)
            .map(|c| toml::Value::from(c.as_str()))
            .collect();
        clauses.insert("include".into(), toml::Value::Array(kept));
    } else {
        let mut exclude = list(clauses, "exclude");
        exclude.push(id.to_string());
        clauses.insert(
            "exclude".into(),
            toml::Value::Array(exclude.into_iter().map(toml::Value::from).collect()),
        );
    }
    Some(p)
}

fn build(
    project: &mut Project,
    dir: &Path,
    stem: &str,
    name: &str,
    profile: &toml::Table,
) -> String {
    let path = dir.join(name);
    std::fs::write(&path, toml::to_string(profile).unwrap()).unwrap();
    // The example's overlay folder goes with it, under the copy's name.
    let overlay = common::repo()
        .join("profiles")
        .join(format!("{stem}.clauses"));
    if overlay.is_dir() {
        let copy = dir.join(format!("{}.clauses", name.trim_end_matches(".toml")));
        common::copy_dir(&overlay, &copy);
        // Exhibit paths in the profile name the original folder.
        common::copy_dir(&overlay, &dir.join(format!("{stem}.clauses")));
        project.add_overlays(std::slice::from_ref(&path));
    }
    let assembled = project
        .assemble(&path)
        .unwrap_or_else(|d| panic!("{name}: {d}"));
    mou::render::markdown::render(&assembled.document)
}

#[test]
fn every_clause_but_the_structure_can_be_left_out_of_every_example() {
    let mut project = Project::open(&ProjectOptions::new(common::repo().join("clauses")));
    assert!(!project.diagnostics.iter().any(|d| d.is_error()));
    let tmp = tempfile::tempdir().unwrap();
    let mut built = 0;
    for example in examples() {
        let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
        let profile: toml::Table = std::fs::read_to_string(&example).unwrap().parse().unwrap();
        for (id, optional) in outline() {
            if id == "recitals" || id == "signatures" {
                continue;
            }
            let Some(p) = without(&profile, &id, optional) else {
                continue;
            };
            let text = build(
                &mut project,
                tmp.path(),
                &stem,
                &format!("{stem}-without-{id}.toml"),
                &p,
            );
            if id == "termination" {
                assert!(!text.contains("terminated earlier"), "{stem} without {id}");
            }
            if id == "insurance" {
                assert!(
                    !text.contains("insurance and indemnification"),
                    "{stem} without {id}"
                );
            }
            built += 1;
        }
    }
    assert!(built > 100, "only {built} agreements built");
}

#[test]
fn a_final_agreement_without_termination_or_insurance_needs_neither_value() {
    let mut project = Project::open(&ProjectOptions::new(common::repo().join("clauses")));
    let tmp = tempfile::tempdir().unwrap();
    let mut p: toml::Table =
        std::fs::read_to_string(common::repo().join("profiles/tacoma-2021.toml"))
            .unwrap()
            .parse()
            .unwrap();
    p.remove("insurance");
    p["term"]
        .as_table_mut()
        .unwrap()
        .remove("termination_notice_days");
    p["clauses"].as_table_mut().unwrap().insert(
        "exclude".into(),
        toml::Value::Array(vec!["termination".into(), "insurance".into()]),
    );
    let text = build(&mut project, tmp.path(), "bare", "bare.toml", &p);
    for trace in ["terminat", "nsurance", "indemnif"] {
        assert!(!text.contains(trace), "`{trace}` in:\n{text}");
    }

    // With the insurance clause kept, the missing [insurance] is an error naming it.
    p["clauses"].as_table_mut().unwrap().insert(
        "exclude".into(),
        toml::Value::Array(vec!["termination".into()]),
    );
    let path = tmp.path().join("no-insurance.toml");
    std::fs::write(&path, toml::to_string(&p).unwrap()).unwrap();
    let Err(errors) = project.assemble(&path) else {
        panic!("a final agreement with an insurance clause and no [insurance] was assembled");
    };
    let errors = errors.0;
    assert!(
        errors
            .iter()
            .any(|d| d.code == "E0301" && d.message.contains("clause `insurance`")),
        "{errors:#?}"
    );
}
