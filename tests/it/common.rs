//! Helpers shared by the integration tests: the repository root, the binary with a
//! clean environment, and the valid fixture profile that broken cases start from.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `mou`, run from the repository root, with no SOURCE_DATE_EPOCH or colour leaking in.
pub fn mou() -> Command {
    let mut c = Command::cargo_bin("mou").unwrap();
    c.current_dir(repo())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    c
}

/// A complete, final Connecticut profile (`tests/fixtures/valid.toml`).
pub fn valid() -> String {
    std::fs::read_to_string(repo().join("tests/fixtures/valid.toml")).unwrap()
}

/// An example profile (`profiles/<name>`) assembled through the library API.
pub fn example_document(name: &str) -> mou::document::Document {
    let root = repo();
    let mut project =
        mou::project::Project::open(&mou::project::ProjectOptions::new(root.join("clauses")));
    // The profile's overlay and exhibit files, if it has any.
    project.add_overlays(&[root.join("profiles").join(name)]);
    let errors: Vec<String> = project
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "clause library errors:\n{}",
        errors.join("\n")
    );
    project
        .assemble(&root.join("profiles").join(name))
        .unwrap_or_else(|d| panic!("{d}"))
        .document
}

/// Copies a folder tree (a library to break, a set of profiles to rebuild).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// One plain run.
pub fn text(s: &str) -> Vec<mou::document::Run> {
    vec![mou::document::Run::plain(s)]
}

/// An article holding `blocks`, its id from its title.
pub fn article(
    number: Option<u32>,
    title: &str,
    blocks: Vec<mou::document::Block>,
) -> mou::document::Article {
    mou::document::Article {
        id: title.to_lowercase(),
        version: "1.0.0".to_string(),
        number,
        title: title.to_string(),
        numbering: Default::default(),
        variant: None,
        redline: None,
        blocks,
    }
}

/// A draft document of just `articles`: no parties, date or subject.
pub fn bare(articles: Vec<mou::document::Article>) -> mou::document::Document {
    mou::document::Document {
        title: "Agreement".to_string(),
        short_title: String::new(),
        parties: vec![],
        subtitle: String::new(),
        date: None,
        date_iso: None,
        draft: true,
        language: String::new(),
        subject: String::new(),
        articles,
        redline: None,
    }
}
