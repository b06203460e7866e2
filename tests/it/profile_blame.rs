//! Issue #19 (#12): a problem a profile value causes is reported in the profile. A
//! value a final profile lacks is reported at the profile table that should hold it,
//! with the clause that needs it in the help; an error raised while rendering a clause
//! for a profile names the profile.

use crate::common;

use common::{mou, repo, valid};
use serde_json::Value;

/// Runs `mou ARGS` in a folder with a copy of the library and `profiles/agreement.toml`.
fn run(profile: &str, notices: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::copy_dir(&repo().join("clauses"), &root.join("clauses"));
    if let Some(body) = notices {
        std::fs::write(
            root.join("clauses/notices/2.0.0.md"),
            format!("+++\ntitle = \"Notices\"\n+++\n{body}\n"),
        )
        .unwrap();
    }
    std::fs::create_dir_all(root.join("profiles")).unwrap();
    std::fs::write(root.join("profiles/agreement.toml"), profile).unwrap();
    let out = mou()
        .current_dir(root)
        .args(args)
        .args(["--library", "clauses"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l == needle).unwrap() as u64 + 1
}

/// A final profile without the school's name: the error is the profile's, at its
/// `[school]` table, and says which clause needs the value.
#[test]
fn a_value_a_final_profile_lacks_is_reported_in_the_profile() {
    let profile = valid().replace("name = \"West Hartford Public Schools\"\n", "");
    let school_line = line_of(&profile, "[school]");
    let (code, stdout, _) = run(
        &profile,
        None,
        &["check", "profiles/agreement.toml", "--format", "json"],
    );
    assert_eq!(code, 1);
    let diags: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let e0301: Vec<&Value> = diags.iter().filter(|d| d["code"] == "E0301").collect();
    assert!(!e0301.is_empty(), "{diags:#?}");
    for d in &e0301 {
        assert_eq!(d["file"], "profiles/agreement.toml", "{d}");
        assert_eq!(d["line"], school_line, "{d}");
        assert!(
            d["message"].as_str().unwrap().contains("`school.name`"),
            "{d}"
        );
        let help = d["help"].as_str().unwrap();
        assert!(help.contains("clauses/"), "the clause that needs it: {d}");
    }
    // The clause needing it is named with its line.
    assert!(
        e0301.iter().any(|d| d["help"]
            .as_str()
            .unwrap()
            .contains("clauses/notices/1.0.0.md:")),
        "{e0301:#?}"
    );

    // `build` says the same, in text.
    let (code, _, stderr) = run(
        &profile,
        None,
        &["build", "profiles/agreement.toml", "-f", "md", "-o", "out"],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("profiles/agreement.toml:{school_line}:")),
        "{stderr}"
    );
}

/// A filter given a bad profile value: the error is located in the clause, and names
/// the profile whose value it was.
#[test]
fn a_render_error_names_the_profile() {
    let profile = format!("{}\n[vars]\ncost = \"a lot\"\n", valid());
    let (code, _, stderr) = run(
        &profile,
        Some("Notices.\nThe cost is {{ vars.cost | money }}."),
        &["build", "profiles/agreement.toml", "-f", "md", "-o", "out"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[E0211]"), "{stderr}");
    assert!(stderr.contains("`money` expects a number"), "{stderr}");
    assert!(stderr.contains("clauses/notices/2.0.0.md:5:"), "{stderr}");
    assert!(
        stderr.contains("profiles/agreement.toml"),
        "the profile is named: {stderr}"
    );
}
