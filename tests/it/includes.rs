//! Issue #19 (#16): `{% include %}` finds every clause of the library, whatever the
//! order of their ids, and an include cycle is reported as one, with its chain, at
//! the include tag.

use crate::common;

use common::{mou, repo, valid};
use serde_json::Value;

/// A copy of the library plus `files` (path under clauses/, body after the front
/// matter), and the valid profile.
fn library(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::copy_dir(&repo().join("clauses"), &root.join("clauses"));
    for (path, body) in files {
        let path = root.join("clauses").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("+++\ntitle = \"T\"\n+++\n{body}\n")).unwrap();
    }
    std::fs::create_dir_all(root.join("profiles")).unwrap();
    std::fs::write(root.join("profiles/agreement.toml"), valid()).unwrap();
    tmp
}

fn check(tmp: &tempfile::TempDir) -> (i32, Vec<Value>) {
    let out = mou()
        .current_dir(tmp.path())
        .args([
            "check",
            "profiles/agreement.toml",
            "--library",
            "clauses",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let diags = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap_or(-1), diags)
}

/// `notices` includes `zz-extra`, whose id sorts after it, and `aa-first`, whose id
/// sorts before: both are found.
#[test]
fn includes_resolve_whatever_the_id_order() {
    let tmp = library(&[
        (
            "notices/2.0.0.md",
            "Notices.\n{% include \"zz-extra@1.0.0\" %}\n{% include \"aa-first@1.0.0\" %}",
        ),
        ("zz-extra/1.0.0.md", "Extra text for {{ school.name }}."),
        ("aa-first/1.0.0.md", "First text."),
    ]);
    let (code, diags) = check(&tmp);
    assert_eq!(code, 0, "{diags:#?}");
    let out = mou()
        .current_dir(tmp.path())
        .args(["build", "profiles/agreement.toml", "--library", "clauses"])
        .args(["-f", "md", "-o", "out"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let md = std::fs::read_to_string(tmp.path().join("out/agreement.md")).unwrap();
    assert!(
        md.contains("Extra text for West Hartford Public Schools."),
        "{md}"
    );
    assert!(md.contains("First text."), "{md}");
}

/// Two clauses that include each other: a cycle, reported in each clause at its
/// include tag, with the chain; never "Unknown template".
#[test]
fn a_mutual_include_is_a_cycle() {
    let tmp = library(&[
        (
            "notices/2.0.0.md",
            "Notices.\n{% include \"zz-extra@1.0.0\" %}",
        ),
        (
            "zz-extra/1.0.0.md",
            "Extra.\n\nMore. {% include \"notices@2.0.0\" %}",
        ),
    ]);
    let (code, diags) = check(&tmp);
    assert_eq!(code, 1);
    assert!(
        !diags
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("Unknown template")),
        "{diags:#?}"
    );
    let cycle = |file: &str| {
        diags
            .iter()
            .find(|d| d["code"] == "E0220" && d["file"] == file)
            .unwrap_or_else(|| panic!("no E0220 in {file}: {diags:#?}"))
    };
    let d = cycle("clauses/notices/2.0.0.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(1))
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("notices@2.0.0 → zz-extra@1.0.0 → notices@2.0.0"),
        "{d}"
    );
    let d = cycle("clauses/zz-extra/1.0.0.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(7))
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("zz-extra@1.0.0 → notices@2.0.0 → zz-extra@1.0.0"),
        "{d}"
    );
}

/// A clause that includes a broken one is not usable either; the broken one carries
/// the syntax error, the includer says why it cannot be used, and a clause that
/// includes a file outside the library is still refused by name.
#[test]
fn an_include_of_a_broken_clause_is_reported_at_the_include() {
    let tmp = library(&[
        (
            "notices/2.0.0.md",
            "Notices.\n{% include \"zz-extra@1.0.0\" %}",
        ),
        ("zz-extra/1.0.0.md", "Broken {{ x"),
    ]);
    let (code, diags) = check(&tmp);
    assert_eq!(code, 1);
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "E0210" && d["file"] == "clauses/zz-extra/1.0.0.md"),
        "{diags:#?}"
    );
    let d = diags
        .iter()
        .find(|d| d["file"] == "clauses/notices/2.0.0.md" && d["line"] == 5)
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d["code"], "E0211", "{d}");
    assert!(
        d["message"].as_str().unwrap().contains("zz-extra@1.0.0"),
        "{d}"
    );
}
