//! `docs/profile.md`, the profile reference that ships with the project, kept in step
//! with the code: every key the program accepts is documented in its table's section,
//! and every key the reference lists is one the program accepts.
use crate::common::repo;
use std::collections::BTreeMap;

/// The reference's sections by the table they document (`agreement`, `schools`,
/// `extends`), each with the words inside its backtick spans.
fn sections() -> BTreeMap<String, (String, Vec<String>)> {
    let text = std::fs::read_to_string(repo().join("docs/profile.md")).unwrap();
    let mut out = BTreeMap::new();
    for part in text.split("\n## ").skip(1) {
        let heading = part.lines().next().unwrap_or_default();
        let Some(table) = heading.split('`').nth(1) else {
            continue;
        };
        let table = table.trim_matches(|c| c == '[' || c == ']').to_string();
        let words: Vec<String> = part
            .split('`')
            .skip(1)
            .step_by(2)
            .flat_map(|span| {
                span.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        out.insert(table, (part.to_string(), words));
    }
    out
}

#[test]
fn every_profile_key_is_in_the_reference() {
    let sections = sections();
    let mut missing = Vec::new();
    for key in mou::profile::accepted_keys() {
        let mut parts = key.split('.');
        let top = parts.next().unwrap();
        let leaf = key.rsplit('.').next().unwrap();
        match sections.get(top) {
            Some((_, words)) if words.iter().any(|w| w == leaf) => {}
            Some(_) => missing.push(format!("`{key}` (no `{leaf}` in the `{top}` section)")),
            None => missing.push(format!("`{key}` (no section for `{top}`)")),
        }
    }
    assert!(
        missing.is_empty(),
        "docs/profile.md does not document:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_key_the_reference_lists_is_accepted() {
    let accepted = mou::profile::accepted_keys();
    let mut unknown = Vec::new();
    for (table, (text, _)) in sections() {
        for line in text.lines().filter(|l| l.starts_with("| `")) {
            let cell = line.split('|').nth(1).unwrap_or_default();
            for key in cell.split('`').skip(1).step_by(2) {
                let known = accepted.iter().any(|a| {
                    a == &key.to_string()
                        || (a.starts_with(&format!("{table}.")) && a.ends_with(&format!(".{key}")))
                });
                // Derived values and role names are documented in tables of their own.
                let documented_elsewhere = table == "school"
                    && ["signs", "attests", "approves-as-to-form", "preaudit"].contains(&key);
                if !known && !documented_elsewhere && !key.contains('.') {
                    unknown.push(format!("{table}: `{key}`"));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "docs/profile.md lists keys the program does not accept:\n{}",
        unknown.join("\n")
    );
}
