//! `mou check` on broken fixtures: each asserts the exact code, file and line of its
//! diagnostic. Profiles carry their expectation on their first line
//! (`# expect: CODE FILE LINE`, FILE `self` for the profile itself); library cases are
//! overlays on a copy of `clauses/` with an `expect` file (path relative to the library).

use crate::common;

use common::{mou, repo};
use serde_json::Value;
use std::path::PathBuf;

fn check_json(args: &[&std::ffi::OsStr]) -> (i32, Vec<Value>) {
    let out = mou()
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let diags = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    (out.status.code().unwrap_or(-1), diags)
}

fn has(diags: &[Value], code: &str, file: &str, line: u64) -> bool {
    diags
        .iter()
        .any(|d| d["code"] == code && d["file"] == file && d["line"] == line)
}

fn summary(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| format!("{} {}:{} {}", d["code"], d["file"], d["line"], d["message"]))
        .collect()
}

#[test]
fn broken_profiles() {
    let dir = repo().join("tests/fixtures/check/profiles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 20, "at least 20 broken profiles");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let expect: Vec<&str> = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .expect("first line: # expect: CODE FILE LINE")
            .split_whitespace()
            .collect();
        let [code, where_, line] = expect[..] else {
            panic!("{}", file.display())
        };
        let rel = file.strip_prefix(repo()).unwrap();
        let shown = if where_ == "self" {
            rel.to_string_lossy().into_owned()
        } else {
            where_.to_string()
        };
        let (status, diags) = check_json(&[rel.as_os_str()]);
        assert!(
            has(&diags, code, &shown, line.parse().unwrap()),
            "{}: expected {code} at {shown}:{line}, got {:#?}",
            rel.display(),
            summary(&diags)
        );
        let expected_status = if code.starts_with('E') { 1 } else { 0 };
        assert_eq!(status, expected_status, "{}: exit status", rel.display());
    }
}

#[test]
fn broken_library_entries() {
    let cases = repo().join("tests/fixtures/check/library");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 6, "at least 6 broken library entries");
    for case in names {
        let tmp = tempfile::tempdir().unwrap();
        let lib = tmp.path().join("clauses");
        common::copy_dir(&repo().join("clauses"), &lib);
        common::copy_dir(&case, &lib);
        std::fs::remove_file(lib.join("expect")).unwrap();
        let expect = std::fs::read_to_string(case.join("expect")).unwrap();
        let parts: Vec<&str> = expect.split_whitespace().collect();
        let [code, file, line] = parts[..] else {
            panic!("{}", case.display())
        };
        let shown = format!("{}/{file}", lib.display());
        let (status, diags) = check_json(&[
            "tests/fixtures/valid.toml".as_ref(),
            "--library".as_ref(),
            lib.as_os_str(),
        ]);
        assert!(
            has(&diags, code, &shown, line.parse().unwrap()),
            "{}: expected {code} at {shown}:{line}, got {:#?}",
            case.display(),
            summary(&diags)
        );
        assert_eq!(status, 1, "{}", case.display());
    }
}

#[test]
fn examples_are_clean() {
    let (status, diags) = check_json(&["profiles".as_ref()]);
    let errors: Vec<_> = diags.iter().filter(|d| d["severity"] == "error").collect();
    assert!(errors.is_empty(), "{:#?}", summary(&diags));
    assert_eq!(status, 0);
    // Only the Kentucky draft's deliberate blanks are left as warnings, and each names
    // the profile it belongs to (its `file` is a clause).
    for d in &diags {
        assert_eq!(d["code"], "W0301", "{:#?}", summary(&diags));
        assert_eq!(d["profile"], "profiles/kentucky-city-2025.toml", "{d}");
    }
    assert!(!diags.is_empty());
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let fixture = "tests/fixtures/check/profiles/short-notice-warning.toml";
    mou().args(["check", fixture]).assert().code(0);
    mou()
        .args(["check", fixture, "--deny-warnings"])
        .assert()
        .code(1);
}

#[test]
fn text_output_shows_the_source_line() {
    let out = mou()
        .args(["check", "tests/fixtures/check/profiles/unknown-key.toml"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("error[E0103]: unknown field `monhts`"),
        "{text}"
    );
    assert!(
        text.contains("tests/fixtures/check/profiles/unknown-key.toml:36:1"),
        "{text}"
    );
    assert!(text.contains("monhts = 10"), "{text}");
    assert!(text.contains("^^^^^^"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour without a terminal");
    assert!(text.contains("1 error(s), 0 warning(s)"), "{text}");
}

#[test]
fn explain() {
    let out = mou()
        .args(["check", "--explain", "E0103"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("unknown-key"), "{text}");
    assert!(
        text.contains("\n\nExample: `monhts = 10` under [funding].\nFix: "),
        "{text}"
    );
    mou().args(["check", "--explain", "E9999"]).assert().code(2);
}

/// The README's table of codes is the code table: every code, its name and the first
/// sentence of its explanation. (That every emitted code is explained is checked by the
/// compiler: a diagnostic is made from a `Code` constant.)
#[test]
fn readme_lists_every_code() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let rows: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("| E0") || l.starts_with("| W0"))
        .collect();
    let expected: Vec<String> = mou::check::codes::CODES
        .iter()
        .map(|c| {
            // The first sentence of the first paragraph (the Example and Fix lines follow).
            let text = c.explanation.split("\n\n").next().unwrap_or_default();
            let first = match text.find(". ") {
                Some(i) => &text[..=i],
                None => text,
            };
            format!("| {} | {} | {} |", c.id, c.name, first.replace('|', "\\|"))
        })
        .collect();
    assert!(
        rows == expected,
        "README code table differs from src/check/codes.rs; it should read:\n{}",
        expected.join("\n")
    );
}

/// A final agreement that `check` finds in error (here a Connecticut agreement without
/// the data-collection article its law requires) is not built: exit 1, nothing written.
/// The same profile as a draft builds, and says what is missing.
#[test]
fn build_refuses_a_final_agreement_that_check_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let base = crate::common::valid();
    assert!(base.contains("state = \"CT\"") && base.contains("status = \"final\""));
    let without = base.replace("include = [\"data-collection\"]", "include = []");
    assert_ne!(without, base, "the fixture includes data-collection");
    let path = dir.path().join("ct.toml");
    std::fs::write(&path, &without).unwrap();
    let out = dir.path().join("out");
    let run = mou()
        .args(["build", "-f", "md", "-o"])
        .arg(&out)
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("E0601"), "{err}");
    assert!(!out.join("valid.md").exists() && !out.join("ct.md").exists());

    std::fs::write(
        &path,
        without.replace("status = \"final\"", "status = \"draft\""),
    )
    .unwrap();
    let run = mou()
        .args(["build", "-f", "md", "-o"])
        .arg(&out)
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning[E0601]") && err.contains("a final agreement would not"),
        "{err}"
    );
}
