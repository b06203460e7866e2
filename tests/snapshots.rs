//! Whole agreements as a reviewer reads them: any change to a clause or to the
//! Markdown writer shows up here as a text diff (`cargo insta review`).

use mou::assemble::assemble;
use mou::profile::Profile;
use std::path::PathBuf;

fn agreement(profile: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (lib, engine, diags) = mou::cmd::load_library(&root.join("clauses"));
    assert!(diags.is_empty(), "{diags:?}");
    let profile = Profile::from_file(&root.join("profiles").join(profile)).unwrap();
    let assembled = assemble(&profile, &lib, &engine).unwrap();
    mou::render::markdown::render(&assembled.document)
}

#[test]
fn west_hartford_2022() {
    insta::assert_snapshot!(agreement("west-hartford-2022.toml"));
}

#[test]
fn tehachapi_2018() {
    insta::assert_snapshot!(agreement("tehachapi-2018.toml"));
}

#[test]
fn kentucky_draft() {
    insta::assert_snapshot!(agreement("kentucky-city-2025.toml"));
}
