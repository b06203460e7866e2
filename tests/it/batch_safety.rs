//! Batch safety (issue #19): an agreement's files are replaced together or not at all,
//! two builds into one folder keep each other's work, SIGINT and SIGTERM stop a batch
//! cleanly, `-j` is capped, a profile named twice is built once, a corrupt manifest is
//! kept aside, manifest paths do not depend on how a profile was typed, symbolic links
//! out of a profile folder are refused, and the summary names the failed profiles.
//!
//! No test waits for a time: processes are started and waited for, and a running batch
//! is watched until it has written its first file.

use crate::common;

use common::{repo, valid};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The fixture profile with agreement id `id`.
fn profile(id: &str) -> String {
    valid().replacen("[agreement]\n", &format!("[agreement]\nid = \"{id}\"\n"), 1)
}

/// The same agreement with a different share and school name: every output differs.
fn changed(text: &str) -> String {
    text.replace("school_share_percent = 70", "school_share_percent = 60")
        .replace("Hall High School", "Hall High School Annex")
}

/// `mou build` of `paths` into `out` with the repository library, run from `cwd`.
fn build_cmd(cwd: &Path, paths: &[&Path], out: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mou"));
    c.current_dir(cwd)
        .arg("build")
        .args(paths)
        .arg("--library")
        .arg(repo().join("clauses"))
        .arg("-o")
        .arg(out)
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

struct Ran {
    code: Option<i32>,
    stderr: String,
}

fn run(mut c: Command) -> Ran {
    let out = c.output().unwrap();
    Ran {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn finish(child: Child) -> Ran {
    let out = child.wait_with_output().unwrap();
    Ran {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn manifest(dir: &Path) -> serde_json::Value {
    let bytes = std::fs::read(dir.join("manifest.json")).unwrap();
    serde_json::from_slice(&bytes).expect("manifest.json is complete, valid JSON")
}

/// Every entry of `dir` (dot files too), by name, with its bytes (empty for folders).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = if e.file_type().unwrap().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// No temporary file and no lock file is left in `dir`.
fn assert_clean(dir: &Path) {
    let dot: Vec<String> = files(dir)
        .into_keys()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(dot.is_empty(), "left behind in {}: {dot:?}", dir.display());
}

/// Agreement id → (output name → sha256) as the manifest records it.
fn recorded(dir: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let m = manifest(dir);
    m["agreements"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, e)| {
            let outputs = e["outputs"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(n, s)| (n.clone(), s.as_str().unwrap().to_string()))
                .collect();
            (id.clone(), outputs)
        })
        .collect()
}

/// #4: a file that cannot be replaced fails its agreement, and the agreement's other
/// files (written earlier in the same build) stay the old ones, as does the manifest.
#[test]
fn a_failed_write_leaves_every_file_of_the_agreement_old() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("a.toml");
    std::fs::write(&p, profile("a")).unwrap();
    let out = tmp.path().join("out");
    let formats = ["-f", "md,pdf,docx", "-q"];
    let first = run(build_cmd(tmp.path(), &[&p], &out, &formats));
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = files(&out);

    // The PDF's place is taken by a folder: it cannot be replaced. The profile changes,
    // so every output of this build differs from the old ones.
    std::fs::remove_file(out.join("a.pdf")).unwrap();
    std::fs::create_dir(out.join("a.pdf")).unwrap();
    std::fs::write(out.join("a.pdf/keep"), "x").unwrap();
    std::fs::write(&p, changed(&profile("a"))).unwrap();
    let second = run(build_cmd(tmp.path(), &[&p], &out, &formats));
    assert_eq!(second.code, Some(1), "{}", second.stderr);
    assert!(second.stderr.contains("a.pdf"), "{}", second.stderr);
    assert!(
        second.stderr.contains("built 0, failed 1"),
        "{}",
        second.stderr
    );
    let after = files(&out);
    assert!(after["a.md"] == before["a.md"], "a.md was replaced alone");
    assert!(
        after["a.docx"] == before["a.docx"],
        "a.docx was replaced alone"
    );
    assert!(
        after["manifest.json"] == before["manifest.json"],
        "the manifest changed"
    );
    assert_clean(&out);
}

/// A manifest of `n` agreements built earlier (made up, as a shared output folder
/// collects them over many batches): merging into it takes a while.
fn earlier_manifest(n: usize) -> String {
    let agreements: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| {
            let clauses: Vec<serde_json::Value> = (0..15)
                .map(|c| serde_json::json!({"id": format!("c{c}"), "version": "1.0.0", "sha256": "1".repeat(64)}))
                .collect();
            let entry = serde_json::json!({
                "clauses": clauses,
                "outputs": {format!("old-{i:04}.md"): "2".repeat(64)},
                "profile": format!("profiles/old-{i:04}.toml"),
                "profile_sha256": "0".repeat(64),
            });
            (format!("old-{i:04}"), entry)
        })
        .collect();
    serde_json::json!({"agreements": agreements, "generator": "mou 0.1.0"}).to_string()
}

/// #13: two builds of different profiles into one folder that already has a manifest,
/// started at once: both agreements' files and manifest entries, and the earlier
/// entries, are there afterwards, every time.
#[test]
fn two_builds_into_one_folder_keep_both() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.toml"), tmp.path().join("b.toml"));
    std::fs::write(&a, profile("a")).unwrap();
    std::fs::write(&b, profile("b")).unwrap();
    let earlier = earlier_manifest(1000);
    for round in 0..6 {
        let out = tmp.path().join(format!("out-{round}"));
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("manifest.json"), &earlier).unwrap();
        let args = ["-f", "md,pdf", "-q"];
        let first = build_cmd(tmp.path(), &[&a], &out, &args).spawn().unwrap();
        let second = build_cmd(tmp.path(), &[&b], &out, &args).spawn().unwrap();
        let (first, second) = (finish(first), finish(second));
        assert_eq!(first.code, Some(0), "round {round}: {}", first.stderr);
        assert_eq!(second.code, Some(0), "round {round}: {}", second.stderr);
        let m = recorded(&out);
        assert_eq!(m.len(), 1002, "round {round}: every manifest entry");
        for (id, outputs) in m.iter().filter(|(id, _)| !id.starts_with("old-")) {
            assert_eq!(outputs.len(), 2, "round {round}: {id}");
            for (name, sha) in outputs {
                let bytes = std::fs::read(out.join(name))
                    .unwrap_or_else(|e| panic!("round {round}: {name}: {e}"));
                assert_eq!(&mou::hash::sha256_hex(&bytes), sha, "round {round}: {name}");
            }
        }
        assert_clean(&out);
    }
}

/// Sends `signal` (`TERM`, `INT`) to a child process.
#[cfg(unix)]
fn signal(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args(["-s", signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -s {signal}");
}

/// Waits for an event, not a time: until `dir` holds an output (`.md` or `.pdf`)
/// that is not as it was in `before`, or the child has ended. Returns whether the
/// child is still running. The deadline is only a hang guard.
#[cfg(unix)]
fn wait_for_first_output(child: &mut Child, dir: &Path, before: &BTreeMap<String, u64>) -> bool {
    use std::os::unix::fs::DirEntryExt;
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let written = std::fs::read_dir(dir).into_iter().flatten().any(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with('.')
                && (name.ends_with(".md") || name.ends_with(".pdf"))
                && before.get(&name) != Some(&e.ino())
        });
        if written {
            return true;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("hang guard: no output written in 10 minutes");
        }
        // The polling interval, not a guess at how long the build takes.
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[cfg(unix)]
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::DirEntryExt;
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), e.ino())
        })
        .collect()
}

/// #14: SIGTERM or SIGINT while a batch runs: the build stops starting agreements,
/// finishes the ones in flight, writes the manifest of what it built, removes its
/// temporary files and exits with 128 + the signal. Every agreement is then wholly new
/// and recorded, or wholly as it was before.
#[cfg(unix)]
#[test]
fn sigterm_and_sigint_stop_a_batch_cleanly() {
    const N: usize = 40;
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    std::fs::create_dir_all(&old).unwrap();
    std::fs::create_dir_all(&new).unwrap();
    let ids: Vec<String> = (0..N).map(|i| format!("city-{i:03}")).collect();
    for id in &ids {
        let text = profile(id);
        std::fs::write(old.join(format!("{id}.toml")), &text).unwrap();
        std::fs::write(new.join(format!("{id}.toml")), changed(&text)).unwrap();
    }
    let args = ["-f", "md,pdf", "-j", "2"];
    for (sig, code, fresh) in [("TERM", 143, false), ("INT", 130, true)] {
        let out = tmp.path().join(format!("out-{sig}"));
        if !fresh {
            let ran = run(build_cmd(tmp.path(), &[&old], &out, &args));
            assert_eq!(ran.code, Some(0), "{}", ran.stderr);
        }
        let before_files = if fresh { BTreeMap::new() } else { files(&out) };
        let before_manifest = if fresh {
            BTreeMap::new()
        } else {
            recorded(&out)
        };
        let mut child = build_cmd(tmp.path(), &[&new], &out, &args).spawn().unwrap();
        let running = wait_for_first_output(&mut child, &out, &inodes(&out));
        assert!(running, "SIG{sig}: the batch ended before its first output");
        signal(&child, sig);
        let ran = finish(child);
        assert_eq!(ran.code, Some(code), "SIG{sig}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("interrupted"),
            "SIG{sig}: {}",
            ran.stderr
        );

        let now = files(&out);
        let m = recorded(&out);
        let mut built = 0;
        for id in &ids {
            let names = [format!("{id}.md"), format!("{id}.pdf")];
            let new_entry = m.get(id).filter(|e| Some(*e) != before_manifest.get(id));
            match new_entry {
                // Built by the interrupted run: both files are there, as recorded, and new.
                Some(entry) => {
                    built += 1;
                    assert_eq!(entry.len(), 2, "SIG{sig}: {id}");
                    for name in &names {
                        let bytes = now
                            .get(name)
                            .unwrap_or_else(|| panic!("SIG{sig}: {name} is recorded but missing"));
                        assert_eq!(
                            &mou::hash::sha256_hex(bytes),
                            &entry[name],
                            "SIG{sig}: {name} is not what the manifest records"
                        );
                        assert!(before_files.get(name) != Some(bytes), "SIG{sig}: {name}");
                    }
                }
                // Not built: its files and entry are as they were (none, when fresh).
                None => {
                    assert_eq!(m.get(id), before_manifest.get(id), "SIG{sig}: {id}");
                    for name in &names {
                        assert!(
                            now.get(name) == before_files.get(name),
                            "SIG{sig}: {name} changed but is not recorded as built"
                        );
                    }
                }
            }
        }
        assert!(built >= 1, "SIG{sig}: the agreement in flight is finished");
        assert!(
            built < N,
            "SIG{sig}: the batch stopped early ({built} built)"
        );
        assert_clean(&out);
        eprintln!("SIG{sig}: {built} of {N} built before the batch stopped");
    }
}

/// #18: `-j` is capped at four threads per core (with a warning); `-j 0` is all cores.
#[test]
fn jobs_are_capped() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.toml"), tmp.path().join("b.toml"));
    std::fs::write(&a, profile("a")).unwrap();
    std::fs::write(&b, profile("b")).unwrap();
    let out = tmp.path().join("out");
    let ran = run(build_cmd(
        tmp.path(),
        &[&a, &b],
        &out,
        &["-f", "md", "-j", "100000"],
    ));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("warning: -j 100000 is more than 4 jobs per core"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("built 2, failed 0"), "{}", ran.stderr);
    let ran = run(build_cmd(
        tmp.path(),
        &[&a, &b],
        &out,
        &["-f", "md", "-j", "0"],
    ));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(!ran.stderr.contains("warning"), "{}", ran.stderr);
}

/// #19: the same profile named twice, however it is spelled, is one profile, not a
/// duplicate id.
#[test]
fn a_profile_named_twice_is_built_once() {
    let tmp = tempfile::tempdir().unwrap();
    let profiles = tmp.path().join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(profiles.join("a.toml"), profile("a")).unwrap();
    let abs = profiles.join("a.toml");
    let spellings: [&[&Path]; 4] = [
        &[Path::new("profiles/a.toml"), Path::new("profiles/a.toml")],
        &[Path::new("profiles/a.toml"), Path::new("./profiles/a.toml")],
        &[Path::new("profiles"), Path::new("profiles/a.toml")],
        &[&abs, Path::new("profiles/../profiles/a.toml")],
    ];
    for (i, paths) in spellings.iter().enumerate() {
        let out = tmp.path().join(format!("out-{i}"));
        let ran = run(build_cmd(tmp.path(), paths, &out, &["-f", "md"]));
        assert_eq!(ran.code, Some(0), "{paths:?}: {}", ran.stderr);
        assert!(ran.stderr.contains("built 1, failed 0"), "{}", ran.stderr);
        assert!(out.join("a.md").is_file());
    }
}

/// #20: a manifest that cannot be read is kept aside under a new name each time, with
/// a warning naming it, not silently replaced.
#[test]
fn a_corrupt_manifest_is_kept_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.toml"), tmp.path().join("b.toml"));
    std::fs::write(&a, profile("a")).unwrap();
    std::fs::write(&b, profile("b")).unwrap();
    let out = tmp.path().join("out");
    let ran = run(build_cmd(tmp.path(), &[&a], &out, &["-f", "md"]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    for (n, corrupt) in [
        (
            1,
            "{\"agreements\": {\"a\": {\"profile\": \"a.toml\",\n  broken",
        ),
        (2, "[]"),
    ] {
        std::fs::write(out.join("manifest.json"), corrupt).unwrap();
        let ran = run(build_cmd(tmp.path(), &[&b], &out, &["-f", "md"]));
        assert_eq!(ran.code, Some(0), "{}", ran.stderr);
        let aside = out.join(format!("manifest.json.corrupt-{n}"));
        assert!(
            ran.stderr.contains("warning:")
                && ran
                    .stderr
                    .contains(&aside.to_string_lossy().replace('\\', "/")),
            "{}",
            ran.stderr
        );
        assert_eq!(std::fs::read_to_string(&aside).unwrap(), corrupt);
        assert_eq!(recorded(&out).keys().collect::<Vec<_>>(), ["b"]);
    }
    // The first one kept aside is still there, untouched.
    assert!(
        std::fs::read_to_string(out.join("manifest.json.corrupt-1"))
            .unwrap()
            .ends_with("broken")
    );
}

/// #21: the manifest records a profile's path relative to the project root (the folder
/// holding the library), with forward slashes, however the path was typed and wherever
/// the command ran.
#[test]
fn manifest_paths_are_relative_to_the_project_root() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj");
    common::copy_dir(&repo().join("clauses"), &proj.join("clauses"));
    std::fs::create_dir_all(proj.join("profiles")).unwrap();
    std::fs::write(proj.join("profiles/a.toml"), profile("a")).unwrap();
    let build = |cwd: &Path, profile: &Path, library: &Path, out: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_mou"))
            .current_dir(cwd)
            .arg("build")
            .arg(profile)
            .arg("--library")
            .arg(library)
            .arg("-o")
            .arg(out)
            .args(["-f", "md", "-q"])
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let abs = |p: &str| proj.join(p);
    build(
        &proj,
        Path::new("profiles/a.toml"),
        Path::new("clauses"),
        Path::new("out-1"),
    );
    build(
        &proj,
        &abs("profiles/a.toml"),
        &abs("clauses"),
        &abs("out-2"),
    );
    build(
        &proj.join("profiles"),
        Path::new("a.toml"),
        Path::new("../clauses"),
        Path::new("../out-3"),
    );
    build(
        &proj,
        Path::new("./profiles/../profiles/a.toml"),
        Path::new("clauses"),
        Path::new("out-4"),
    );
    let first = std::fs::read(proj.join("out-1/manifest.json")).unwrap();
    assert_eq!(
        manifest(&proj.join("out-1"))["agreements"]["a"]["profile"],
        "profiles/a.toml"
    );
    for n in 2..=4 {
        let other = std::fs::read(proj.join(format!("out-{n}/manifest.json"))).unwrap();
        assert!(
            other == first,
            "out-{n}: {}",
            manifest(&proj.join(format!("out-{n}")))["agreements"]["a"]["profile"]
        );
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// #3: a symbolic link in a profile folder that leaves the folder is refused, located
/// and never read; links inside the folder are one more name for a profile; a link
/// named on the command line is the user's choice and is followed.
#[cfg(unix)]
#[test]
fn symbolic_links_out_of_a_profile_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let marker = "SECRET-91b4-MARKER";
    std::fs::write(
        tmp.path().join("secret.env"),
        format!("[default]\nkey = {marker}\n"),
    )
    .unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("c.toml"), profile("c")).unwrap();
    let profiles = tmp.path().join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(profiles.join("a.toml"), profile("a")).unwrap();
    let out = tmp.path().join("out");

    for (link, target) in [
        ("leak.toml", Path::new("../secret.env")),
        ("environ.toml", Path::new("/proc/self/environ")),
        ("shared", Path::new("../elsewhere")),
    ] {
        symlink(target, &profiles.join(link));
        let ran = run(build_cmd(
            tmp.path(),
            &[Path::new("profiles")],
            &out,
            &["-f", "md"],
        ));
        assert_eq!(ran.code, Some(1), "{link}: {}", ran.stderr);
        assert!(
            ran.stderr.contains(&format!("profiles/{link}"))
                && ran.stderr.contains("symbolic link points outside"),
            "{link}: {}",
            ran.stderr
        );
        assert!(!ran.stderr.contains(marker), "{link}: {}", ran.stderr);
        assert!(!ran.stderr.contains("PATH="), "{link}: {}", ran.stderr);
        assert!(!out.join("a.md").exists(), "{link}: nothing is built");
        std::fs::remove_file(profiles.join(link)).unwrap();
    }

    // A link inside the folder names a profile once more: built once.
    symlink(Path::new("a.toml"), &profiles.join("alias.toml"));
    let ran = run(build_cmd(
        tmp.path(),
        &[Path::new("profiles")],
        &out,
        &["-f", "md"],
    ));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(ran.stderr.contains("built 1, failed 0"), "{}", ran.stderr);

    // Named on the command line, a link to a profile elsewhere is built.
    let named = tmp.path().join("named.toml");
    symlink(&elsewhere.join("c.toml"), &named);
    let ran = run(build_cmd(tmp.path(), &[&named], &out, &["-f", "md"]));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(out.join("c.md").is_file());
}

/// #12: after a batch, the summary says which profiles failed.
#[test]
fn the_summary_names_the_failed_profiles() {
    let tmp = tempfile::tempdir().unwrap();
    let profiles = tmp.path().join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(profiles.join("good.toml"), profile("good")).unwrap();
    let broken = valid().replace("end = 2023-06-30", "end = 2021-06-30");
    std::fs::write(profiles.join("bad.toml"), &broken).unwrap();
    std::fs::write(profiles.join("worse.toml"), &broken).unwrap();
    let out = tmp.path().join("out");
    let ran = run(build_cmd(
        tmp.path(),
        &[Path::new("profiles")],
        &out,
        &["-f", "md"],
    ));
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let lines: Vec<&str> = ran.stderr.lines().collect();
    let summary = lines
        .iter()
        .position(|l| l.starts_with("built 1, failed 2"))
        .unwrap_or_else(|| panic!("{}", ran.stderr));
    assert_eq!(
        lines[summary - 2..summary],
        ["failed: profiles/bad.toml", "failed: profiles/worse.toml"],
        "{}",
        ran.stderr
    );
}
