//! Hostile inputs: a clause library from another office, a profile from a script.
//! Neither may crash `mou`, read what it should not, or write where it should not.
//!
//! The catalogue in `tests/bad_inputs/` is run case by case: each folder has a
//! `case.toml` (kind, command, expected code, message excerpt, exit code, optional
//! setup), an optional `profile.toml` (default: tests/fixtures/valid.toml), an
//! optional `library/` overlay on a copy of `clauses/` and an optional `root/` copied
//! over the work folder (an agreement's overlay in `root/profiles/`, a `mou.toml`). `README.md` there tables them.

use crate::common;

use common::{repo, valid};

use assert_cmd::Command;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `mou` run from `dir`, stopped if a hostile input makes it hang.
fn mou(dir: &Path) -> Command {
    let mut c = common::mou();
    c.current_dir(dir).timeout(Duration::from_secs(120));
    c
}

/// Every file and folder under `root` except those under `skip`, with sizes: a
/// snapshot to prove a command wrote nothing outside its output folder.
fn listing(root: &Path, skip: &Path) -> BTreeSet<(PathBuf, u64)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.path() != skip)
        .filter_map(Result::ok)
        .map(|e| {
            let len = e.path().symlink_metadata().map(|m| m.len()).unwrap_or(0);
            (
                e.path().to_path_buf(),
                if e.file_type().is_dir() { 0 } else { len },
            )
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    kind: String,
    command: String,
    code: String,
    exit: i32,
    excerpt: String,
    #[serde(default)]
    setup: Option<String>,
    #[serde(default)]
    profile_name: Option<String>,
    #[serde(default)]
    args: Option<Vec<String>>,
}

struct Workspace {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

/// A scratch folder with `clauses/` (the repository library plus the case's overlay)
/// and `profiles/<name>`.
fn workspace(case_dir: &Path, case: &Case) -> (Workspace, String) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("work");
    let lib = root.join("clauses");
    common::copy_dir(&repo().join("clauses"), &lib);
    if case_dir.join("library").is_dir() {
        common::copy_dir(&case_dir.join("library"), &lib);
    }
    // Files beside the library: a profile's overlay folder, mou.toml.
    if case_dir.join("root").is_dir() {
        common::copy_dir(&case_dir.join("root"), &root);
    }
    let profiles = root.join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    let name = case
        .profile_name
        .clone()
        .unwrap_or_else(|| "agreement.toml".into());
    let own = case_dir.join("profile.toml");
    let bytes = if own.exists() {
        std::fs::read(&own).unwrap()
    } else {
        valid().into_bytes()
    };
    std::fs::write(profiles.join(&name), bytes).unwrap();
    let ws = Workspace { _tmp: tmp, root };
    if let Some(setup) = &case.setup {
        prepare(&ws.root, &profiles.join(&name), setup);
    }
    (ws, format!("profiles/{name}"))
}

/// Inputs too large, too odd or too file-system-specific to keep in git.
fn prepare(root: &Path, profile: &Path, setup: &str) {
    let lib = root.join("clauses");
    let valid = valid();
    match setup {
        "huge-profile" => {
            let text = format!("{valid}\n# {}\n", "x".repeat(1 << 20));
            std::fs::write(profile, text).unwrap();
        }
        "many-schools" => {
            let mut text = valid;
            for i in 0..999 {
                text.push_str(&format!(
                    "\n[[schools]]\nname = \"School {i}\"\nlevel = \"other\"\n"
                ));
            }
            std::fs::write(profile, text).unwrap();
        }
        "deep-nesting" => {
            let depth = 100_000;
            let text = format!(
                "{valid}\n[vars]\nx = {}{}\n",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            std::fs::write(profile, text).unwrap();
        }
        "duplicate-id" => {
            let text = valid.replacen("[agreement]\n", "[agreement]\nid = \"agreement\"\n", 1);
            std::fs::write(root.join("profiles/other.toml"), text).unwrap();
        }
        "empty-folder" => std::fs::create_dir_all(root.join("empty")).unwrap(),
        "huge-clause" => {
            let head = "+++\ntitle = \"Notices\"\n+++\n";
            let body = "x".repeat((1 << 20) + 1 - head.len());
            std::fs::write(lib.join("notices/2.0.0.md"), format!("{head}{body}")).unwrap();
        }
        "symlink-loop" => {
            std::fs::create_dir_all(lib.join("loop")).unwrap();
            symlink(Path::new(".."), &lib.join("loop/again"));
        }
        "dangling-symlink" => {
            symlink(
                &lib.join("notices/nowhere.md"),
                &lib.join("notices/2.0.0.md"),
            );
        }
        "symlink-outside" => {
            let secret = root.parent().unwrap().join("credentials");
            std::fs::write(&secret, "[default]\naws_secret = SECRET-7c1f-MARKER\n").unwrap();
            std::fs::remove_file(lib.join("rules/CT.toml")).unwrap();
            symlink(&secret, &lib.join("rules/CT.toml"));
        }
        "profile-symlink-outside" => {
            let secret = root.parent().unwrap().join("credentials");
            std::fs::write(&secret, "[default]\naws_secret = SECRET-7c1f-MARKER\n").unwrap();
            symlink(&secret, &root.join("profiles/leak.toml"));
        }
        "corrupt-manifest" => {
            std::fs::create_dir_all(root.join("out")).unwrap();
            let cut = "{\"agreements\": {\"other\": {\"profile\": \"profiles/other.toml\",\n";
            std::fs::write(root.join("out/manifest.json"), cut).unwrap();
        }
        "out-is-a-file" => std::fs::write(root.join("out"), "not a folder").unwrap(),
        other => panic!("unknown setup `{other}`"),
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(not(unix))]
fn symlink(_: &Path, _: &Path) {}

fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/bad_inputs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn read_case(dir: &Path) -> Case {
    let text = std::fs::read_to_string(dir.join("case.toml")).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

#[test]
fn bad_inputs_catalogue() {
    let dirs = case_dirs();
    assert!(dirs.len() >= 30, "at least 30 cases, found {}", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let case = read_case(dir);
        if cfg!(not(unix)) && case.setup.as_deref().is_some_and(|s| s.contains("symlink")) {
            continue;
        }
        let (ws, profile) = workspace(dir, &case);
        let default: &[&str] = match case.command.as_str() {
            "check" => &[
                "check",
                "{profile}",
                "--library",
                "{lib}",
                "--format",
                "json",
            ],
            "build" => &[
                "build",
                "{profile}",
                "--library",
                "{lib}",
                "-o",
                "{out}",
                "-f",
                "md",
                "-q",
            ],
            other => panic!("{name}: unknown command {other}"),
        };
        let args: Vec<String> = case
            .args
            .clone()
            .unwrap_or_else(|| default.iter().map(|s| s.to_string()).collect())
            .into_iter()
            .map(|a| {
                a.replace("{profile}", &profile)
                    .replace("{lib}", "clauses")
                    .replace("{out}", "out")
            })
            .collect();
        let out_dir = ws.root.join("out");
        let before = listing(&ws.root, &out_dir);
        let outside_before = listing(ws.root.parent().unwrap(), &ws.root);
        let output = mou(&ws.root).args(&args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let code = output.status.code().unwrap_or(-1);
        let mut problems = Vec::new();
        if code != case.exit {
            problems.push(format!("exit {code}, expected {}", case.exit));
        }
        if case.code != "-" && !text.contains(&case.code) {
            problems.push(format!("no {}", case.code));
        }
        if !text.contains(&case.excerpt) {
            problems.push(format!("no excerpt {:?}", case.excerpt));
        }
        if text.contains("SECRET-7c1f-MARKER") {
            problems.push("a file outside the library was quoted".into());
        }
        if text.contains("panicked") || text.contains("RUST_BACKTRACE") || code == 101 {
            problems.push("panicked".into());
        }
        // Nothing written outside -o, nor beside the work folder.
        if listing(&ws.root, &out_dir) != before {
            problems.push("files changed outside the output folder".into());
        }
        if listing(ws.root.parent().unwrap(), &ws.root) != outside_before {
            problems.push("files written beside the work folder".into());
        }
        // A failed agreement writes no output at all.
        if case.exit != 0 && out_dir.is_dir() {
            let written: Vec<_> = std::fs::read_dir(&out_dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            if !written.is_empty() {
                problems.push(format!("outputs written: {written:?}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name} ({}): {}\n--- output ---\n{}",
                case.kind,
                problems.join("; "),
                text.chars().take(1500).collect::<String>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The README table lists every case with the code and exit code its case.toml gives.
#[test]
fn bad_inputs_readme_matches() {
    let readme = std::fs::read_to_string(repo().join("tests/bad_inputs/README.md")).unwrap();
    let rows: Vec<Vec<String>> = readme
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().trim_matches('`').to_string())
                .collect()
        })
        .collect();
    let dirs = case_dirs();
    assert_eq!(rows.len(), dirs.len(), "one README row per case");
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let case = read_case(&dir);
        let row = rows
            .iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("{name} is not in the README table"));
        assert_eq!(row[1], case.kind, "{name}: kind");
        assert_eq!(row[2], case.code, "{name}: code");
        assert_eq!(row[4], case.exit.to_string(), "{name}: exit code");
    }
}

/// A clause that asks for the environment or for a file outside the library gets a
/// located error (the clause file and line), never the content.
#[test]
fn templates_cannot_read_environment_or_files() {
    let marker = "hostile-env-marker-7c1f";
    for (body, excerpt) in [
        (
            "{{ get_env(name=\"MOU_SECRET\") }}",
            "Unknown function `get_env`",
        ),
        (
            "{% include \"/etc/passwd\" %}",
            "Unknown template `/etc/passwd`",
        ),
        (
            "{% include \"../profiles/agreement.toml\" %}",
            "Unknown template",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let lib = tmp.path().join("clauses");
        common::copy_dir(&repo().join("clauses"), &lib);
        std::fs::write(
            lib.join("notices/2.0.0.md"),
            format!("+++\ntitle = \"Notices\"\n+++\nFirst line.\n{body}\n"),
        )
        .unwrap();
        std::fs::create_dir_all(tmp.path().join("profiles")).unwrap();
        std::fs::write(tmp.path().join("profiles/agreement.toml"), valid()).unwrap();
        let out = mou(tmp.path())
            .env("MOU_SECRET", marker)
            .args([
                "check",
                "profiles",
                "--library",
                "clauses",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{body}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let diag: serde_json::Value = stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|d| d["code"] == "E0211")
            .unwrap_or_else(|| panic!("{body}: no E0211 in {stdout}"));
        assert!(
            diag["message"].as_str().unwrap().contains(excerpt),
            "{diag}"
        );
        assert!(
            diag["file"]
                .as_str()
                .unwrap()
                .ends_with("clauses/notices/2.0.0.md")
        );
        assert_eq!(diag["line"], 5, "{body}: the clause file's line");
        let all = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
        assert!(!all.contains(marker), "environment leaked: {all}");
        assert!(!all.contains("root:x:0:0"), "/etc/passwd leaked: {all}");
    }
}

/// Runaway templates are stopped by their meters, with their own codes, and the build
/// goes on for other profiles; the output limit is configurable. What proves a meter
/// stopped a loop nest that would spin for hours is its diagnostic, which names the
/// limit it hit, not a stopwatch; the command's timeout is only a hang guard.
#[test]
fn runaway_templates_stop() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("clauses");
    common::copy_dir(&repo().join("clauses"), &lib);
    std::fs::create_dir_all(tmp.path().join("profiles")).unwrap();
    std::fs::write(tmp.path().join("profiles/agreement.toml"), valid()).unwrap();
    let write = |body: &str| {
        std::fs::write(
            lib.join("notices/2.0.0.md"),
            format!("+++\ntitle = \"Notices\"\n+++\n{body}\n"),
        )
        .unwrap()
    };
    let build = |extra: &[&str]| {
        let out = mou(tmp.path())
            .args([
                "build",
                "profiles",
                "--library",
                "clauses",
                "-o",
                "out",
                "-f",
                "md",
            ])
            .args(extra)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.code().is_some(),
            "killed by a signal (the hang guard?): {err}"
        );
        (out.status.code(), err)
    };
    let md = tmp.path().join("out/agreement.md");

    // 10^10 iterations with output: stopped at the first write past 1 MiB.
    write(
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}Again. {% endfor %}{% endfor %}",
    );
    let (code, err) = build(&[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error[E0213]"), "{err}");
    let limit = mou::template::MAX_CLAUSE_OUTPUT;
    assert!(
        err.contains(&format!("renders to more than {limit} bytes")),
        "stopped by the output meter: {err}"
    );
    assert!(!md.exists(), "a stopped agreement writes nothing");

    // A smaller limit set on the command line.
    write("{% for i in range(end=2000) %}Again. {% endfor %}");
    let (code, err) = build(&["--max-clause-output", "4096"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("more than 4096 bytes"), "{err}");
    let (code, err) = build(&[]);
    assert_eq!(code, Some(0), "{err}");
    let built = std::fs::read(&md).unwrap();

    // 10^10 iterations without output: the loop meter stops them.
    write(
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    let (code, err) = build(&[]);
    assert!(err.contains("error[E0214]"), "{err}");
    assert_eq!(code, Some(1));
    let meter = mou::template::guard::MAX_LOOP_ITERATIONS;
    assert!(
        err.contains(&format!("run more than {meter} times in all; stopped")),
        "stopped by the loop meter: {err}"
    );
    assert_eq!(
        std::fs::read(&md).unwrap(),
        built,
        "the earlier output stays"
    );

    // Loops over literal lists, nested: metered the same way.
    let list = format!("[{}]", vec!["1"; 1000].join(","));
    write(&format!(
        "{{% set xs = {list} %}}{{% for a in xs %}}{{% for b in xs %}}{{% for c in xs %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}"
    ));
    let (code, err) = build(&[]);
    assert!(err.contains("error[E0214]"), "{err}");
    assert_eq!(code, Some(1));

    // A raw block whose end only looks like one to a careless reader (a no-break
    // space): the loops after the real end are still metered.
    write(
        "{% raw %}{%\u{a0}endraw %}{{ {% endraw %}{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    let (code, err) = build(&[]);
    assert!(err.contains("error[E0214]"), "{err}");
    assert_eq!(code, Some(1));

    // A value that doubles without being written: the memory budget stops it.
    write(&format!(
        "{{% set s = \"0123456789\" %}}{}",
        "{% set s = s ~ s %}".repeat(40)
    ));
    let (code, err) = build(&[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error[E0215]"), "{err}");
    assert!(!err.contains("memory allocation of"), "no abort: {err}");

    // Include cycles are found when the library loads (E0220); self-inclusion never
    // recurses forever.
    write("{% include \"notices@2.0.0\" %}");
    let (code, err) = build(&[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error["), "{err}");
}

/// Ids that would escape `-o` are refused, whatever the file is called, and nothing
/// appears outside the output folder.
#[test]
fn hostile_ids_never_write_outside_out() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("work");
    let lib = root.join("clauses");
    common::copy_dir(&repo().join("clauses"), &lib);
    let profiles = root.join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    let valid = valid();
    let ids = [
        "../x",
        "a/b",
        ".hidden",
        "a\\u0000b",
        "/tmp/mou-escape",
        "..",
        "x/../../y",
        "A",
        "-x",
        "",
    ];
    for (i, id) in ids.iter().enumerate() {
        let text = valid.replacen("[agreement]\n", &format!("[agreement]\nid = \"{id}\"\n"), 1);
        std::fs::write(profiles.join(format!("p{i}.toml")), text).unwrap();
    }
    // File names that are not ids, with no id inside: `..toml`, `.x.toml` (given
    // explicitly, since folder searches skip dot files), `a b.toml`.
    for name in ["..toml", ".x.toml", "a b.toml", "UPPER.toml"] {
        std::fs::write(profiles.join(name), &valid).unwrap();
    }
    let before = listing(tmp.path(), &root.join("out"));
    let mut args: Vec<String> = vec!["build".into(), "profiles".into()];
    args.extend(["profiles/..toml", "profiles/.x.toml"].map(String::from));
    args.extend(["--library", "clauses", "-o", "out", "-f", "md"].map(String::from));
    let out = mou(&root).args(&args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let failed = ids.len() + 4;
    assert!(err.contains(&format!("built 0, failed {failed}")), "{err}");
    assert_eq!(err.matches("error[E0110]").count(), failed, "{err}");
    assert_eq!(listing(tmp.path(), &root.join("out")), before);
    assert!(!Path::new("/tmp/mou-escape.md").exists());
    let written: Vec<_> = std::fs::read_dir(root.join("out"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
}

/// A symbolic-link loop inside the library is reported once and the command ends.
#[cfg(unix)]
#[test]
fn symlink_loops_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("clauses");
    common::copy_dir(&repo().join("clauses"), &lib);
    std::os::unix::fs::symlink("..", lib.join("notices/up")).unwrap();
    std::os::unix::fs::symlink(".", lib.join("self")).unwrap();
    std::fs::create_dir_all(tmp.path().join("profiles")).unwrap();
    std::fs::write(tmp.path().join("profiles/agreement.toml"), valid()).unwrap();
    let out = mou(tmp.path())
        .args([
            "check",
            "profiles",
            "--library",
            "clauses",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let loops = stdout
        .lines()
        .filter(|l| l.contains("E0209") && l.contains("symbolic link loop"))
        .count();
    assert_eq!(loops, 2, "{stdout}");
}

/// A profile folder that links back into itself is searched once, not forever.
#[cfg(unix)]
#[test]
fn profile_folder_loops_end() {
    let tmp = tempfile::tempdir().unwrap();
    let profiles = tmp.path().join("profiles");
    std::fs::create_dir_all(profiles.join("sub")).unwrap();
    std::fs::write(profiles.join("sub/agreement.toml"), valid()).unwrap();
    std::os::unix::fs::symlink("..", profiles.join("sub/back")).unwrap();
    let out = mou(tmp.path())
        .args(["build", "profiles", "--library"])
        .arg(repo().join("clauses"))
        .args(["-o", "out", "-f", "md"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("built 1, failed 0"), "{err}");
}
