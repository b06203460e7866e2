//! Batch and CI features: shards, the lock file, impact lists, completions, man page.

use crate::common;

use common::{mou, repo, valid};
use std::collections::BTreeSet;
use std::path::Path;

fn outputs(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn shards_cover_every_profile_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("profiles");
    std::fs::create_dir(&profiles).unwrap();
    for i in 0..30 {
        std::fs::write(profiles.join(format!("city-{i:02}.toml")), valid()).unwrap();
    }
    let mut union = BTreeSet::new();
    let mut total = 0;
    for k in 1..=3 {
        let out = dir.path().join(format!("out{k}"));
        mou()
            .args(["build", "-f", "md", "--shard", &format!("{k}/3"), "-o"])
            .arg(&out)
            .arg(&profiles)
            .assert()
            .success();
        let got = outputs(&out);
        assert!(
            !got.is_empty() && got.len() < 30,
            "shard {k} has {}",
            got.len()
        );
        total += got.len();
        union.extend(got);
    }
    assert_eq!(total, 30, "disjoint");
    assert_eq!(union.len(), 30, "complete");
    // Stable: the same shard again picks the same profiles.
    let again = dir.path().join("again");
    mou()
        .args(["build", "-f", "md", "--shard", "2/3", "-o"])
        .arg(&again)
        .arg(&profiles)
        .assert()
        .success();
    assert_eq!(outputs(&again), outputs(&dir.path().join("out2")));
    mou().args(["build", "--shard", "4/3"]).assert().code(2);
    mou().args(["build", "--shard", "0/3"]).assert().code(2);
}

#[test]
fn repository_lock_is_current() {
    let out = tempfile::tempdir().unwrap();
    mou()
        .args(["build", "--locked", "-f", "md", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
}

#[test]
fn locked_build_lists_changes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("clauses");
    common::copy_dir(&repo().join("clauses"), &lib);
    let profile = dir.path().join("city.toml");
    std::fs::write(&profile, valid()).unwrap();
    let lock = dir.path().join("mou.lock");
    mou()
        .args(["lock", "--library"])
        .arg(&lib)
        .arg("-o")
        .arg(&lock)
        .arg(&profile)
        .assert()
        .success();
    let locked_build = |out: &Path| {
        mou()
            .args(["build", "--locked", "-f", "md", "--library"])
            .arg(&lib)
            .arg("--lockfile")
            .arg(&lock)
            .arg("-o")
            .arg(out)
            .arg(&profile)
            .output()
            .unwrap()
    };
    assert!(locked_build(&dir.path().join("ok")).status.success());
    // A new termination version is picked up: the locked build refuses.
    let newer = std::fs::read_to_string(lib.join("termination/1.1.0.md")).unwrap();
    std::fs::write(lib.join("termination/1.2.0.md"), newer).unwrap();
    let out = dir.path().join("refused");
    let output = locked_build(&out);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("city: clause termination 1.1.0 -> 1.2.0"),
        "{stderr}"
    );
    assert!(!out.exists() || outputs(&out).is_empty(), "nothing written");
}

#[test]
fn used_by_lists_profiles_of_a_clause() {
    let out = mou()
        .args(["clauses", "used-by", "insurance@1.0.0"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("tehachapi-2017\tinsurance@1.0.0\tprofiles/tehachapi-2017.toml"));
    let out = mou()
        .args(["clauses", "used-by", "training@2.0.0"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("kentucky-city-2025"), "{text}");
    assert!(!text.contains("west-hartford"), "{text}");
    mou()
        .args(["clauses", "used-by", "nonexistent"])
        .assert()
        .code(1);
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = mou().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("used-by"),
            "{shell}"
        );
    }
    let out = mou().arg("man").output().unwrap();
    assert!(out.status.success());
    let main_page = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(main_page.starts_with(".ie"));
    assert!(main_page.contains(".SH \"EXIT STATUS\""));
    // Every page the main page refers to exists, with its own exit status section.
    let dir = tempfile::tempdir().unwrap();
    mou()
        .args(["man", "-q", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let mut referenced = 0;
    for part in main_page.split("mou\\-").skip(1) {
        let Some((name, _)) = part.split_once("(1)") else {
            continue;
        };
        let file = dir
            .path()
            .join(format!("mou-{}.1", name.replace("\\-", "-")));
        let page =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(page.contains(".SH \"EXIT STATUS\""), "{}", file.display());
        referenced += 1;
    }
    assert!(referenced >= 6, "{referenced} pages referenced");
    let build = mou().args(["man", "build"]).output().unwrap();
    assert!(String::from_utf8_lossy(&build.stdout).contains("mou\\-build"));
    mou().args(["man", "nope"]).assert().code(2);
}

#[test]
fn ci_example_script_runs() {
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("bash")
        .arg("examples/ci/ci.sh")
        .current_dir(repo())
        .env("MOU", assert_cmd::cargo::cargo_bin("mou"))
        .env("OUT", out.path())
        .env("SHARD", "1/1")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(out.path().join("manifest.json").exists());
    assert!(out.path().join("tacoma-2021.docx").exists());
}

/// Dynamic completion (`source <(COMPLETE=bash mou)`) offers the library's clause ids
/// and versions, and the diagnostic codes.
#[test]
fn dynamic_completion_of_clause_ids_and_codes() {
    let complete = |args: &[&str]| {
        let out = mou()
            .env("COMPLETE", "fish")
            .arg("--")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let clauses = complete(&["mou", "clauses", "show", "insur"]);
    assert!(clauses.lines().any(|l| l == "insurance@2.0.0"), "{clauses}");
    let used = complete(&["mou", "clauses", "used-by", "term"]);
    assert!(used.lines().any(|l| l.starts_with("termination")), "{used}");
    let codes = complete(&["mou", "check", "--explain", "E010"]);
    assert!(codes.contains("E0103\tunknown-key"), "{codes}");
    let script = mou().env("COMPLETE", "bash").output().unwrap();
    assert!(String::from_utf8_lossy(&script.stdout).contains("_clap_complete_mou"));
}
