//! The library stack (issue #13): overlays, variants, inserts, exhibits, `mou.toml`
//! and project discovery, the lock and the deviation report, through the binary.

use crate::common::{self, mou, repo, valid};
use std::path::Path;

/// A project in a scratch folder: a copy of the repository's `clauses/`, and `files`
/// (path, text) written into it.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&repo().join("clauses"), &tmp.path().join("clauses"));
    for (path, text) in files {
        let at = tmp.path().join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, text).unwrap();
    }
    tmp
}

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = mou().current_dir(dir).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const OVERLAY_NOTICES: &str =
    "+++\ntitle = \"Notices\"\n+++\nNotices go to the Town Clerk by hand.\n";

/// The example with an overlay, variants, an insert and two exhibits: the exhibits
/// follow the signatures, each under its heading, and the deviation report names
/// exactly the clauses that depart from the model.
#[test]
fn the_overlay_example_builds_and_reports_its_deviations() {
    let out = tempfile::tempdir().unwrap();
    mou()
        .args([
            "build",
            "profiles/cedar-hollow-2024.toml",
            "-q",
            "-f",
            "md,pdf,docx",
            "-o",
        ])
        .arg(out.path())
        .assert()
        .success();
    let md = std::fs::read_to_string(out.path().join("cedar-hollow-2024.md")).unwrap();
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    let at = |h: &str| headings.iter().position(|x| x.contains(h)).unwrap();
    assert_eq!(at("TRAFFIC CONTROL"), at("ASSIGNMENT AND DUTIES") + 1);
    assert!(at("EXHIBIT A — DAILY SCHEDULE OF THE OFFICER") > at("SIGNATURES"));
    assert_eq!(headings.last(), Some(&"## EXHIBIT B — SALARY SCHEDULE"));
    assert!(md.contains("following the daily schedule set out in Exhibit A."));
    assert!(md.contains("the decision of the Chief of Police is final"));
    let (ok, json, err) = run(
        &repo(),
        &[
            "check",
            "--deviations",
            "--format",
            "json",
            "profiles/cedar-hollow-2024.toml",
        ],
    );
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    let got: Vec<(String, String, Option<String>)> = report["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["clause"].as_str().unwrap().to_string(),
                d["layer"].as_str().unwrap().to_string(),
                d["variant"].as_str().map(str::to_string),
            )
        })
        .collect();
    let want = [
        ("appointment", "project", Some("agency-selects")),
        ("traffic-control", "overlay", None),
        ("interviews-searches", "project", Some("assist-on-request")),
        ("dismissal", "overlay", None),
    ];
    let want: Vec<(String, String, Option<String>)> = want
        .iter()
        .map(|(c, l, v)| (c.to_string(), l.to_string(), v.map(str::to_string)))
        .collect();
    assert_eq!(got, want);
    // The overlay's dismissal differs from the model in one sentence only.
    let dismissal = &report["deviations"][3];
    let changed: Vec<&str> = dismissal["redline"]
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| l.contains("[+") || l.contains("[-"))
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].contains("[+will decide, after considering the views of the superintendent,")
    );
}

/// An overlay clause shadows the library's clause of that id; `--locked` notices an
/// edit to it, and the manifest records its layer.
#[test]
fn overlays_shadow_the_library_and_the_lock_notices_their_edits() {
    let text = valid();
    let tmp = project(&[
        ("profiles/town.toml", &text),
        ("profiles/town.clauses/notices/1.0.0.md", OVERLAY_NOTICES),
    ]);
    let dir = tmp.path();
    let (ok, _, err) = run(dir, &["lock"]);
    assert!(ok, "{err}");
    let lock = std::fs::read_to_string(dir.join("mou.lock")).unwrap();
    assert!(
        lock.contains("id = \"notices\"\nversion = \"1.0.0\""),
        "{lock}"
    );
    assert!(lock.contains("layer = \"overlay\""), "{lock}");
    let (ok, _, err) = run(dir, &["build", "--locked", "-f", "md", "-q"]);
    assert!(ok, "{err}");
    let md = std::fs::read_to_string(dir.join("out/town.md")).unwrap();
    assert!(md.contains("Notices go to the Town Clerk by hand."));
    let manifest = std::fs::read_to_string(dir.join("out/manifest.json")).unwrap();
    assert!(manifest.contains("\"layer\": \"overlay\""), "{manifest}");
    std::fs::write(
        dir.join("profiles/town.clauses/notices/1.0.0.md"),
        OVERLAY_NOTICES.replace("by hand", "by mail"),
    )
    .unwrap();
    let (ok, _, err) = run(dir, &["build", "--locked", "-f", "md", "-q"]);
    assert!(!ok);
    assert!(
        err.contains("town: clause notices 1.0.0 changed on disk without a new version"),
        "{err}"
    );
    let (_, list, _) = run(dir, &["clauses", "list", "profiles"]);
    assert!(list.contains("overlay profiles/town.clauses:"), "{list}");
    assert!(list.contains("[overlay profiles/town.clauses]"), "{list}");
}

/// Run from a folder inside the project, `mou` finds it; `mou.toml` adds a library
/// below `clauses/` (whose ids it cannot override) and sets the build defaults.
#[test]
fn projects_are_found_from_inside_and_mou_toml_sets_the_stack_and_defaults() {
    let profile = valid().replace(
        "include = [\"data-collection\"]",
        "include = [\"data-collection\"]\ninsert = [{ clause = \"bike-patrol\", after = \"duties\" }]",
    );
    let tmp = project(&[
        ("profiles/town.toml", &profile),
        (
            "mou.toml",
            "[library]\npaths = [\"vendor/model\"]\n[build]\nformats = [\"md\"]\nout = \"dist\"\n",
        ),
        (
            "vendor/model/bike-patrol/1.0.0.md",
            "+++\ntitle = \"Bicycle Patrol\"\n+++\nOfficers may patrol on bicycles.\n",
        ),
        (
            "vendor/model/notices/9.0.0.md",
            "+++\ntitle = \"Notices\"\n+++\nShadowed: never used.\n",
        ),
        ("profiles/deep/er/.keep", ""),
    ]);
    let inside = tmp.path().join("profiles/deep/er");
    let (ok, out, err) = run(&inside, &["build"]);
    assert!(ok, "{out}{err}");
    let dist = tmp.path().join("dist");
    let mut names: Vec<String> = std::fs::read_dir(&dist)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["manifest.json", "town.md"]);
    let md = std::fs::read_to_string(dist.join("town.md")).unwrap();
    assert!(md.contains("BICYCLE PATROL"));
    assert!(!md.contains("Shadowed"));
    let (_, list, _) = run(&inside, &["clauses", "list"]);
    assert!(
        list.contains("Bicycle Patrol  [library vendor/model]"),
        "{list}"
    );
}

/// Variants are chosen by the profile; an unknown one lists those that exist.
#[test]
fn variants_are_chosen_and_unknown_ones_listed() {
    let text = valid().replace(
        "include = [\"data-collection\"]",
        "include = [\"data-collection\"]\nvariants = { appointment = \"agency-selects-after-consultation\" }",
    );
    let tmp = project(&[("profiles/town.toml", &text)]);
    let (ok, _, err) = run(tmp.path(), &["build", "-f", "md", "-q"]);
    assert!(ok, "{err}");
    let md = std::fs::read_to_string(tmp.path().join("out/town.md")).unwrap();
    assert!(md.contains("Selection after consultation"));
    std::fs::write(
        tmp.path().join("profiles/town.toml"),
        text.replace("-after-consultation", "-after"),
    )
    .unwrap();
    let (ok, _, err) = run(tmp.path(), &["build", "-f", "md", "-q"]);
    assert!(!ok);
    assert!(err.contains("error[E0154]"), "{err}");
    assert!(
        err.contains(
            "variants of `appointment`: agency-selects, agency-selects-after-consultation"
        ),
        "{err}"
    );
}

/// An overlay's `rules/<STATE>.toml` adds requirements for its agreement alone, and an
/// overlay inside a folder of profiles is never searched for profiles.
#[test]
fn overlay_rules_add_requirements() {
    let rule = "[[require]]\ntag = \"canine\"\ncite = \"Town resolution 12\"\nmessage = \"The town requires the canine article.\"\nconfidence = \"secondary\"\n";
    let tmp = project(&[
        ("profiles/town.toml", &valid()),
        ("profiles/town.clauses/rules/CT.toml", rule),
        (
            "profiles/other.toml",
            &valid().replace("[agreement]\n", "[agreement]\nid = \"other\"\n"),
        ),
    ]);
    let (ok, _, err) = run(tmp.path(), &["check"]);
    assert!(!ok);
    assert!(
        err.contains("The town requires the canine article. (Town resolution 12)"),
        "{err}"
    );
    assert_eq!(err.matches("error[E0601]").count(), 1, "{err}");
    let with = valid().replace(
        "include = [\"data-collection\"]",
        "include = [\"data-collection\", \"canine\"]",
    );
    std::fs::write(tmp.path().join("profiles/town.toml"), with).unwrap();
    let (ok, _, err) = run(tmp.path(), &["check"]);
    assert!(ok, "{err}");
}

/// A broken overlay fails its own agreement, located in the overlay's file; the other
/// agreements of the batch are built.
#[test]
fn a_broken_overlay_fails_only_its_agreement() {
    let other = valid().replace("[agreement]\n", "[agreement]\nid = \"other\"\n");
    let tmp = project(&[
        ("profiles/town.toml", &valid()),
        (
            "profiles/town.clauses/notices/1.0.0.md",
            "+++\ntitle = \"Notices\"\n+++\n{% if %}\n",
        ),
        ("profiles/other.toml", &other),
    ]);
    let (ok, out, err) = run(tmp.path(), &["build", "-f", "md"]);
    assert!(!ok);
    assert!(
        err.contains("profiles/town.clauses/notices/1.0.0.md:4"),
        "{err}"
    );
    assert!(
        out.contains("built 1, failed 1") || err.contains("built 1, failed 1"),
        "{out}{err}"
    );
    assert!(tmp.path().join("out/other.md").is_file());
    assert!(!tmp.path().join("out/town.md").exists());
}

/// The short outline's clauses stand alone (no reference to an article it lacks);
/// the new optional clauses build when included; a library clause can be an exhibit.
#[test]
fn short_outline_optional_clauses_and_clause_exhibits_build() {
    // A draft: the short outline lacks articles Connecticut's law requires, which would
    // stop a final agreement (build's check gate); a draft builds and says so.
    let short = valid()
        .replace("[agreement]\n", "[agreement]\noutline = \"mou-short\"\n")
        .replace("status = \"final\"", "status = \"draft\"")
        .replace("include = [\"data-collection\"]", "");
    let full = valid().replace(
        "include = [\"data-collection\"]",
        "include = [\"data-collection\", \"education-programs\", \"canine\", \"immigration-status\", \"coverage-reports\"]",
    ) + "\n[[exhibits]]\nlabel = \"A\"\ntitle = \"Canine Units\"\nclause = \"canine\"\n";
    let tmp = project(&[
        ("profiles/short.toml", &short),
        ("profiles/full.toml", &full),
    ]);
    let (ok, out, err) = run(tmp.path(), &["build", "-f", "md,pdf,docx"]);
    assert!(ok, "{out}{err}");
    let headings = |name: &str| -> Vec<String> {
        std::fs::read_to_string(tmp.path().join("out").join(name))
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("## "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        headings("short.md"),
        [
            "## RECITALS",
            "## ARTICLE I. PURPOSE AND PROGRAM GOALS",
            "## ARTICLE II. TERM",
            "## ARTICLE III. STAFFING AND DUTIES",
            "## ARTICLE IV. FUNDING",
            "## ARTICLE V. GENERAL PROVISIONS",
            "## SIGNATURES",
        ]
    );
    let full = headings("full.md");
    for h in [
        "EDUCATION PROGRAMS TAUGHT BY OFFICERS",
        "CANINE UNITS",
        "IMMIGRATION STATUS",
        "COVERAGE LOGS AND REPORTS",
    ] {
        assert!(full.iter().any(|x| x.ends_with(h)), "{h}: {full:?}");
    }
    assert_eq!(full.last().unwrap(), "## EXHIBIT A — CANINE UNITS");
}
