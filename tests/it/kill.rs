//! Nothing half-written (SPEC §6): `mou build` killed with SIGKILL at any moment leaves
//! every output either the previous complete version or the new complete version, and
//! a valid manifest; a failed build leaves earlier outputs and the manifest untouched.

use crate::common;

use common::{repo, valid};

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PROFILES: usize = 60;

/// `PROFILES` profiles with distinct ids; the new generation changes the share, a
/// school name and the notice period, so every Markdown and PDF file differs.
fn write_profiles(dir: &Path, new: bool) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..PROFILES {
        let mut text = valid().replacen(
            "[agreement]\n",
            &format!("[agreement]\nid = \"city-{i:03}\"\n"),
            1,
        );
        if new {
            text = text
                .replace("school_share_percent = 70", "school_share_percent = 60")
                .replace("Hall High School", "Hall High School Annex")
                .replace(
                    "termination_notice_days = 7",
                    "termination_notice_days = 30",
                );
        }
        std::fs::write(dir.join(format!("city-{i:03}.toml")), text).unwrap();
    }
}

fn build_cmd(profiles: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mou"));
    c.arg("build")
        .arg(profiles)
        .arg("--library")
        .arg(repo().join("clauses"))
        .arg("-o")
        .arg(out)
        .args(["-f", "md,pdf", "-q"])
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn build(profiles: &Path, out: &Path) {
    let output = build_cmd(profiles, out).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The outputs of a folder (not the manifest, not dot files), by name.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            !n.starts_with('.') && n != "manifest.json"
        })
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn copy_files(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

fn manifest(dir: &Path) -> serde_json::Value {
    let bytes = std::fs::read(dir.join("manifest.json")).unwrap();
    serde_json::from_slice(&bytes).expect("manifest.json is complete, valid JSON")
}

/// The inode of every entry in `dir`, by name. Outputs are written to a temporary file
/// and renamed over the old one, so an output the build has replaced has a new inode.
#[cfg(unix)]
fn inodes(dir: &Path) -> BTreeMap<OsString, u64> {
    use std::os::unix::fs::DirEntryExt;
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name(), e.ino())
        })
        .collect()
}

/// Waits for an event, not for a time: until the build `child` has replaced `k` of the
/// outputs that were in `dir` before it started (`before`) and is writing its next file
/// (a temporary file is in `dir`), or has ended. Returns how many it had replaced. The
/// deadline is only a hang guard.
#[cfg(unix)]
fn wait_for_write(
    child: &mut Child,
    dir: &Path,
    before: &BTreeMap<OsString, u64>,
    k: usize,
) -> usize {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let now = inodes(dir);
        let replaced = before
            .iter()
            .filter(|(name, ino)| {
                let output = Path::new(name)
                    .extension()
                    .is_some_and(|e| e == "md" || e == "pdf");
                output && now.get(*name).is_some_and(|i| i != *ino)
            })
            .count();
        let writing = now.keys().any(|n| is_temp(&n.to_string_lossy()));
        if (replaced >= k && writing) || child.try_wait().unwrap().is_some() {
            return replaced;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("hang guard: the build replaced {replaced} of {k} outputs in 10 minutes");
        }
        // The polling interval, not a guess at how long the build takes.
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// `.<name>.<random>.tmp`: an output or manifest being written (src/write.rs).
fn is_temp(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

/// Small deterministic generator for the kill points.
struct Lcg(u64);

impl Lcg {
    fn fraction(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(unix)]
#[test]
fn sigkill_during_a_batch_leaves_whole_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (old_profiles, new_profiles) = (tmp.path().join("old"), tmp.path().join("new"));
    write_profiles(&old_profiles, false);
    write_profiles(&new_profiles, true);
    let (ref_old, ref_new) = (tmp.path().join("ref-old"), tmp.path().join("ref-new"));
    build(&old_profiles, &ref_old);
    build(&new_profiles, &ref_new);
    let (old, new) = (outputs(&ref_old), outputs(&ref_new));
    assert_eq!(old.len(), 2 * PROFILES);
    for (name, bytes) in &old {
        assert_ne!(Some(bytes), new.get(name), "{name} must change");
        if name.ends_with(".pdf") {
            assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"), "{name}");
        }
    }

    let out = tmp.path().join("out");
    copy_files(&ref_old, &out);
    let mut rng = Lcg(0x5eed_1234);
    let mut killed_mid_run = 0;
    let mut stale_temps = 0;
    for round in 0..6 {
        // Killed while it writes a file, once it has replaced `k` of the 2 × PROFILES
        // outputs (from the first to all of them, when the manifest is the file being
        // written), however fast or slow it runs.
        let k = 1 + (rng.fraction() * (2 * PROFILES) as f64) as usize;
        let before = inodes(&out);
        let mut child = build_cmd(&new_profiles, &out).spawn().unwrap();
        let replaced = wait_for_write(&mut child, &out, &before, k);
        let mid_run = child.try_wait().unwrap().is_none();
        if mid_run {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL on unix
        child.wait().unwrap();

        let now = outputs(&out);
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            old.keys().collect::<Vec<_>>(),
            "round {round}: the same files"
        );
        let (mut was_old, mut was_new) = (0, 0);
        for (name, bytes) in &now {
            if Some(bytes) == old.get(name) {
                was_old += 1;
            } else if Some(bytes) == new.get(name) {
                was_new += 1;
            } else {
                panic!("round {round}: {name} is neither the old nor the new version");
            }
        }
        assert!(
            was_new >= replaced,
            "round {round}: {replaced} outputs were replaced, only {was_new} are new"
        );
        let m = manifest(&out);
        assert_eq!(m["agreements"].as_object().unwrap().len(), PROFILES);
        stale_temps += std::fs::read_dir(&out)
            .unwrap()
            .filter(|e| is_temp(&e.as_ref().unwrap().file_name().to_string_lossy()))
            .count();
        eprintln!(
            "round {round}: {} once {replaced} outputs were replaced (waiting for {k}): {was_old} old, {was_new} new, {stale_temps} stale temp files so far",
            if mid_run {
                "killed"
            } else {
                "ended on its own"
            }
        );
    }
    assert!(killed_mid_run > 0, "no kill landed while the build ran");

    // A run to the end leaves exactly the new outputs, a manifest that records them,
    // and no temporary files.
    build(&new_profiles, &out);
    assert_eq!(outputs(&out), new);
    let m = manifest(&out);
    for (id, entry) in m["agreements"].as_object().unwrap() {
        for (name, sha) in entry["outputs"].as_object().unwrap() {
            assert!(name.starts_with(id.as_str()));
            assert_eq!(sha, &manifest(&ref_new)["agreements"][id]["outputs"][name]);
        }
    }
    let temps: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
}

/// A profile that fails keeps its earlier outputs and manifest entry; a library that
/// fails writes nothing at all.
#[test]
fn failed_builds_leave_earlier_outputs_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let profiles = tmp.path().join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(profiles.join("a.toml"), valid()).unwrap();
    std::fs::write(profiles.join("b.toml"), valid()).unwrap();
    let out = tmp.path().join("out");
    build(&profiles, &out);
    let before = outputs(&out);
    let manifest_before = std::fs::read(out.join("manifest.json")).unwrap();

    // b breaks (term ends before it starts); a changes and is rebuilt.
    let broken = valid().replace("end = 2023-06-30", "end = 2021-06-30");
    std::fs::write(profiles.join("b.toml"), broken).unwrap();
    let changed = valid().replace("school_share_percent = 70", "school_share_percent = 65");
    std::fs::write(profiles.join("a.toml"), changed).unwrap();
    let status = build_cmd(&profiles, &out).output().unwrap().status;
    assert_eq!(status.code(), Some(1));
    let after = outputs(&out);
    assert_eq!(after["b.md"], before["b.md"]);
    assert_eq!(after["b.pdf"], before["b.pdf"]);
    assert_ne!(after["a.md"], before["a.md"]);
    let (m0, m1): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(&manifest_before).unwrap(),
        manifest(&out),
    );
    assert_eq!(m1["agreements"]["b"], m0["agreements"]["b"]);
    assert_ne!(m1["agreements"]["a"], m0["agreements"]["a"]);

    // A broken library: nothing is built, nothing is touched.
    let lib = tmp.path().join("clauses");
    common::copy_dir(&repo().join("clauses"), &lib);
    std::fs::write(
        lib.join("notices/2.0.0.md"),
        "+++\ntitle = \"Notices\"\n+++\n{% if %}\n",
    )
    .unwrap();
    std::fs::write(profiles.join("b.toml"), valid()).unwrap();
    let snapshot = |dir: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let all_before = snapshot(&out);
    let output = Command::new(env!("CARGO_BIN_EXE_mou"))
        .arg("build")
        .arg(&profiles)
        .arg("--library")
        .arg(&lib)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing was built"));
    assert_eq!(snapshot(&out), all_before);
}
