//! Issue #17: `mou build` skips an agreement whose inputs and files are as the manifest
//! records them, and the manifest is the same bytes whether a build skipped or not.

use crate::common;

use common::{mou, repo};
use std::path::Path;

const PROFILES: &[&str] = &[
    "tacoma-2021.toml",
    "tehachapi-2017.toml",
    "tehachapi-2018.toml",
    "cedar-hollow-2024.toml",
    "west-hartford-2022.toml",
];

/// A project of its own: the library and a few example profiles (with cedar-hollow's
/// overlay folder).
pub fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::copy_dir(&repo().join("clauses"), &root.join("clauses"));
    std::fs::create_dir_all(root.join("profiles")).unwrap();
    for p in PROFILES {
        std::fs::copy(
            repo().join("profiles").join(p),
            root.join("profiles").join(p),
        )
        .unwrap();
    }
    common::copy_dir(
        &repo().join("profiles/cedar-hollow-2024.clauses"),
        &root.join("profiles/cedar-hollow-2024.clauses"),
    );
    tmp
}

/// `mou build` in `root` into `out` with `extra` arguments: exit code, stderr.
fn build(root: &Path, out: &str, extra: &[&str]) -> (i32, String) {
    let o = mou()
        .current_dir(root)
        .args(["build", "-o", out])
        .args(extra)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The summary line of a build.
fn summary(stderr: &str) -> &str {
    stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("built "))
        .unwrap_or_else(|| panic!("no summary in:\n{stderr}"))
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The agreements `mou clauses used-by SPEC` names.
fn used_by(root: &Path, spec: &str) -> Vec<String> {
    let o = mou()
        .current_dir(root)
        .args(["clauses", "used-by", spec])
        .output()
        .unwrap();
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn an_unchanged_agreement_is_skipped_and_the_manifest_is_the_same() {
    let tmp = project();
    let root = tmp.path();
    let (code, err) = build(root, "out", &["-f", "md,pdf"]);
    assert_eq!(code, 0, "{err}");
    assert!(summary(&err).starts_with("built 5, failed 0 in"), "{err}");
    let manifest = read(&root.join("out/manifest.json"));
    let pdf = read(&root.join("out/tacoma-2021.pdf"));

    let (code, err) = build(root, "out", &["-f", "md,pdf"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        summary(&err).starts_with("built 0, failed 0, up to date 5 in"),
        "{err}"
    );
    assert_eq!(read(&root.join("out/manifest.json")), manifest);
    assert_eq!(read(&root.join("out/tacoma-2021.pdf")), pdf);

    // Every entry records what went in.
    let m: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    for (id, entry) in m["agreements"].as_object().unwrap() {
        let inputs = entry["inputs"].as_str().unwrap_or_else(|| panic!("{id}"));
        assert_eq!(inputs.len(), 64, "{id}");
    }

    // --force rebuilds every one, to the same bytes.
    let (code, err) = build(root, "out", &["-f", "md,pdf", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(summary(&err).starts_with("built 5, failed 0 in"), "{err}");
    assert_eq!(read(&root.join("out/manifest.json")), manifest);
}

#[test]
fn a_clause_edit_rebuilds_the_agreements_that_use_it_and_no_other() {
    let tmp = project();
    let root = tmp.path();
    let (code, err) = build(root, "out", &["-f", "md"]);
    assert_eq!(code, 0, "{err}");
    let users = used_by(root, "termination@1.1.0");
    assert!(
        !users.is_empty() && users.len() < PROFILES.len(),
        "{users:?}"
    );

    let clause = root.join("clauses/termination/1.1.0.md");
    let text = std::fs::read_to_string(&clause).unwrap();
    std::fs::write(&clause, format!("{text}\nAn added sentence.\n")).unwrap();
    let (code, err) = build(root, "out", &["-f", "md", "-v"]);
    assert_eq!(code, 0, "{err}");
    let expected = format!(
        "built {}, failed 0, up to date {} in",
        users.len(),
        PROFILES.len() - users.len()
    );
    assert!(summary(&err).starts_with(&expected), "{err}");
    for id in &users {
        let md = std::fs::read_to_string(root.join(format!("out/{id}.md"))).unwrap();
        assert!(md.contains("An added sentence."), "{id}");
        assert!(
            err.contains(&format!("{id}.md")),
            "{id} not written:\n{err}"
        );
    }

    // The same manifest and files as a full build of the edited project.
    let (code, err) = build(root, "full", &["-f", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(summary(&err).starts_with("built 5, failed 0 in"), "{err}");
    for entry in std::fs::read_dir(root.join("full")).unwrap() {
        let name = entry.unwrap().file_name();
        assert_eq!(
            read(&root.join("out").join(&name)),
            read(&root.join("full").join(&name)),
            "{name:?}"
        );
    }
}

#[test]
fn a_changed_or_missing_output_is_rebuilt() {
    let tmp = project();
    let root = tmp.path();
    let (code, err) = build(root, "out", &["-f", "md,pdf"]);
    assert_eq!(code, 0, "{err}");
    let pdf = read(&root.join("out/tacoma-2021.pdf"));
    let md = read(&root.join("out/tehachapi-2017.md"));
    std::fs::write(root.join("out/tacoma-2021.pdf"), b"not a pdf").unwrap();
    std::fs::remove_file(root.join("out/tehachapi-2017.md")).unwrap();
    let (code, err) = build(root, "out", &["-f", "md,pdf"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        summary(&err).starts_with("built 2, failed 0, up to date 3 in"),
        "{err}"
    );
    assert_eq!(read(&root.join("out/tacoma-2021.pdf")), pdf);
    assert_eq!(read(&root.join("out/tehachapi-2017.md")), md);
}

/// Only outputs modified since the manifest was written are hashed (make's rule): one
/// changed and then dated back before the manifest passes for what the manifest
/// records, as documented, and `--force` rebuilds it. An output changed with its
/// time left as the change set it is found (the test above).
#[test]
fn an_output_dated_before_the_manifest_is_not_hashed() {
    let tmp = project();
    let root = tmp.path();
    let (code, err) = build(root, "out", &["-f", "md"]);
    assert_eq!(code, 0, "{err}");
    let path = root.join("out/tacoma-2021.md");
    let md = read(&path);
    let manifest = std::fs::metadata(root.join("out/manifest.json"))
        .and_then(|m| m.modified())
        .unwrap();
    std::fs::write(&path, b"changed").unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(manifest - std::time::Duration::from_secs(60))
        .unwrap();
    drop(file);
    let (code, err) = build(root, "out", &["-f", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        summary(&err).starts_with("built 0, failed 0, up to date 5 in"),
        "{err}"
    );
    assert_eq!(read(&path), b"changed");
    let (code, err) = build(root, "out", &["-f", "md", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&path), md);
}

#[test]
fn settings_and_shared_inputs_rebuild_what_they_touch() {
    let tmp = project();
    let root = tmp.path();
    let (code, err) = build(root, "out", &["-f", "md"]);
    assert_eq!(code, 0, "{err}");
    // Another format set: every agreement.
    let (code, err) = build(root, "out", &["-f", "md,docx"]);
    assert_eq!(code, 0, "{err}");
    assert!(summary(&err).starts_with("built 5, failed 0 in"), "{err}");
    // A rule file: every agreement (rules are read for every state's check).
    let rules = root.join("clauses/rules/CA.toml");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(&rules, format!("{text}\n# a comment\n")).unwrap();
    let (code, err) = build(root, "out", &["-f", "md,docx"]);
    assert_eq!(code, 0, "{err}");
    assert!(summary(&err).starts_with("built 5, failed 0 in"), "{err}");
    // A profile: only itself.
    let profile = root.join("profiles/tacoma-2021.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(&profile, format!("{text}\n# a comment\n")).unwrap();
    let (code, err) = build(root, "out", &["-f", "md,docx"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        summary(&err).starts_with("built 1, failed 0, up to date 4 in"),
        "{err}"
    );
    // An overlay clause: only the agreement whose overlay it is.
    let overlay = root.join("profiles/cedar-hollow-2024.clauses");
    let file = walkdir::WalkDir::new(&overlay)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .expect("an overlay clause");
    let text = std::fs::read_to_string(file.path()).unwrap();
    std::fs::write(file.path(), format!("{text}\nOverlay words.\n")).unwrap();
    let (code, err) = build(root, "out", &["-f", "md,docx"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        summary(&err).starts_with("built 1, failed 0, up to date 4 in"),
        "{err}"
    );
}

/// A clause that another includes: editing it rebuilds the includer's agreements.
#[test]
fn an_included_clause_edit_rebuilds_its_includers() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::copy_dir(&repo().join("clauses"), &root.join("clauses"));
    let write = |path: &str, body: &str| {
        let path = root.join("clauses").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("+++\ntitle = \"T\"\n+++\n{body}\n")).unwrap();
    };
    write(
        "notices/2.0.0.md",
        "Notices.\n{% include \"zz-extra@1.0.0\" %}",
    );
    write("zz-extra/1.0.0.md", "Extra text one.");
    std::fs::create_dir_all(root.join("profiles")).unwrap();
    std::fs::write(root.join("profiles/agreement.toml"), common::valid()).unwrap();
    // Tacoma keeps the notices clause that includes nothing.
    let tacoma = std::fs::read_to_string(repo().join("profiles/tacoma-2021.toml")).unwrap();
    let tacoma = tacoma.replace(
        "[clauses]\n",
        "[clauses]\nversions = { notices = \"=1.0.0\" }\n",
    );
    std::fs::write(root.join("profiles/tacoma-2021.toml"), tacoma).unwrap();
    let (code, err) = build(root, "out", &["-f", "md"]);
    assert_eq!(code, 0, "{err}");
    let users = used_by(root, "notices@2.0.0");
    assert_eq!(users.len(), 1, "{users:?}");
    assert_ne!(users[0], "tacoma-2021");
    write("zz-extra/1.0.0.md", "Extra text two.");
    let (code, err) = build(root, "out", &["-f", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        summary(&err).starts_with("built 1, failed 0, up to date 1 in"),
        "{err}"
    );
    let md = std::fs::read_to_string(root.join(format!("out/{}.md", users[0]))).unwrap();
    assert!(md.contains("Extra text two."));
}
