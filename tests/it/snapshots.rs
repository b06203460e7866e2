//! Whole agreements as a reviewer reads them: any change to a clause or to the
//! Markdown writer shows up here as a text diff (`cargo insta review`).

use crate::common;

fn agreement(profile: &str) -> String {
    mou::render::markdown::render(&common::example_document(profile))
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
