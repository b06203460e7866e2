//! Issue #17: `mou watch` rebuilds what a saved change touches, keeps a broken
//! agreement's last good files, reports a deleted profile and stops on Ctrl-C.
//!
//! No test sleeps: each waits, with a deadline, for the line the watcher prints when it
//! is done (`built N, failed M, up to date K in …`).

use crate::common;
use crate::incremental::project;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long any one step may take before the test fails (a debug build on a busy
/// machine is slow; a hang is still caught).
const DEADLINE: Duration = Duration::from_secs(120);

/// `mou` running in the background, its stdout lines readable as they come.
pub struct Running {
    child: Child,
    lines: Receiver<String>,
    /// Every stdout line so far.
    pub seen: Vec<String>,
    stderr: Arc<(Mutex<String>, Condvar)>,
}

impl Running {
    pub fn start(root: &Path, args: &[&str]) -> Running {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("mou"))
            .current_dir(root)
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new((Mutex::new(String::new()), Condvar::new()));
        let err = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut s = sink.0.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
                sink.1.notify_all();
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
            stderr,
        }
    }

    /// The next stdout line that starts with `prefix`, waiting at most [`DEADLINE`].
    pub fn wait_for(&mut self, prefix: &str) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no line starting {prefix:?} within {DEADLINE:?}; stdout:\n{}\nstderr:\n{}",
                    self.seen.join("\n"),
                    self.stderr()
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "mou ended before printing {prefix:?}; stdout:\n{}\nstderr:\n{}",
                    self.seen.join("\n"),
                    self.stderr()
                ),
            }
        }
    }

    /// The summary of the next rebuild, without its time: `built 1, failed 0, up to date 4`.
    pub fn next_build(&mut self) -> String {
        let line = self.wait_for("built ");
        line.split(" in ").next().unwrap().to_string()
    }

    pub fn stderr(&self) -> String {
        self.stderr.0.lock().unwrap().clone()
    }

    /// Stderr once it contains `needle` (it is read on its own thread, so it may lag
    /// behind stdout), waiting at most [`DEADLINE`].
    pub fn stderr_with(&self, needle: &str) -> String {
        let (text, arrived) = &*self.stderr;
        let (text, _) = arrived
            .wait_timeout_while(text.lock().unwrap(), DEADLINE, |t| !t.contains(needle))
            .unwrap();
        assert!(text.contains(needle), "no {needle:?} in stderr:\n{text}");
        text.clone()
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit code.
    pub fn interrupt(mut self) -> (Option<i32>, Vec<String>) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let end = Instant::now() + DEADLINE;
        // stdout closes when the process ends.
        loop {
            match self
                .lines
                .recv_timeout(end.saturating_duration_since(Instant::now()))
            {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("mou did not stop on SIGINT"),
            }
        }
        let status = self.child.wait().unwrap();
        (status.code(), std::mem::take(&mut self.seen))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn append(path: &Path, text: &str) {
    let old = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, format!("{old}{text}")).unwrap();
}

/// The agreements `mou clauses used-by SPEC` names.
fn used_by(root: &Path, spec: &str) -> Vec<String> {
    let o = common::mou()
        .current_dir(root)
        .args(["clauses", "used-by", spec])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_change_rebuilds_the_agreements_it_touches() {
    let tmp = project();
    let root = tmp.path();
    let users = used_by(root, "termination@1.1.0");
    assert!(!users.is_empty() && users.len() < 5, "{users:?}");
    let mut w = Running::start(root, &["watch", "-f", "md"]);
    assert_eq!(w.next_build(), "built 5, failed 0, up to date 0");
    w.wait_for("watching 5 profile(s)");

    // A clause: the agreements that use it.
    append(
        &root.join("clauses/termination/1.1.0.md"),
        "\nA watched sentence.\n",
    );
    assert_eq!(
        w.wait_for("changed: "),
        "changed: clauses/termination/1.1.0.md"
    );
    assert_eq!(
        w.next_build(),
        format!(
            "built {}, failed 0, up to date {}",
            users.len(),
            5 - users.len()
        )
    );
    for id in &users {
        let md = std::fs::read_to_string(root.join(format!("out/{id}.md"))).unwrap();
        assert!(md.contains("A watched sentence."), "{id}");
    }

    // A profile: itself.
    append(&root.join("profiles/tacoma-2021.toml"), "\n# a comment\n");
    assert_eq!(w.next_build(), "built 1, failed 0, up to date 0");

    // A new profile: itself.
    let text = std::fs::read_to_string(root.join("profiles/tacoma-2021.toml")).unwrap();
    let text = text.replace("id = \"tacoma-2021\"", "id = \"tacoma-copy\"");
    std::fs::write(root.join("profiles/tacoma-copy.toml"), text).unwrap();
    assert_eq!(w.next_build(), "built 1, failed 0, up to date 0");
    assert!(root.join("out/tacoma-copy.md").is_file());

    let (code, seen) = w.interrupt();
    assert_eq!(code, Some(0), "{seen:?}");
    // The files it writes are not changes.
    assert!(!seen.iter().any(|l| l.contains("out/")), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("stopped"), "{seen:?}");
}

#[test]
fn a_broken_profile_keeps_its_last_good_files_and_a_deleted_one_is_reported() {
    let tmp = project();
    let root = tmp.path();
    let mut w = Running::start(root, &["watch", "-f", "md,pdf"]);
    assert_eq!(w.next_build(), "built 5, failed 0, up to date 0");
    w.wait_for("watching");
    let md = std::fs::read(root.join("out/tacoma-2021.md")).unwrap();
    let pdf = std::fs::read(root.join("out/tacoma-2021.pdf")).unwrap();
    let manifest = std::fs::read(root.join("out/manifest.json")).unwrap();

    append(&root.join("profiles/tacoma-2021.toml"), "\nbroken = = 1\n");
    assert_eq!(w.wait_for("failed: "), "failed: profiles/tacoma-2021.toml");
    assert_eq!(w.next_build(), "built 0, failed 1, up to date 0");
    // Stderr is read line by line on its own thread: wait for the location, which is
    // printed after the error's first line.
    let err = w.stderr_with("profiles/tacoma-2021.toml:");
    assert!(err.contains("error[E0101]"), "{err}");
    assert_eq!(std::fs::read(root.join("out/tacoma-2021.md")).unwrap(), md);
    assert_eq!(
        std::fs::read(root.join("out/tacoma-2021.pdf")).unwrap(),
        pdf
    );
    assert_eq!(
        std::fs::read(root.join("out/manifest.json")).unwrap(),
        manifest
    );

    std::fs::remove_file(root.join("profiles/tehachapi-2017.toml")).unwrap();
    assert_eq!(
        w.wait_for("removed: "),
        "removed: profiles/tehachapi-2017.toml (its files in out stay)"
    );
    assert!(root.join("out/tehachapi-2017.md").is_file());

    // Mended: rebuilt to the same bytes as before it broke.
    let text = std::fs::read_to_string(root.join("profiles/tacoma-2021.toml")).unwrap();
    std::fs::write(
        root.join("profiles/tacoma-2021.toml"),
        text.replace("\nbroken = = 1\n", ""),
    )
    .unwrap();
    assert_eq!(w.next_build(), "built 0, failed 0, up to date 1");
    assert_eq!(
        std::fs::read(root.join("out/tacoma-2021.pdf")).unwrap(),
        pdf
    );

    let (code, seen) = w.interrupt();
    assert_eq!(code, Some(0), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("stopped"));
}

#[test]
fn a_broken_library_builds_nothing_until_it_is_mended() {
    let tmp = project();
    let root = tmp.path();
    let mut w = Running::start(root, &["watch", "-f", "md"]);
    assert_eq!(w.next_build(), "built 5, failed 0, up to date 0");
    w.wait_for("watching");
    let clause = root.join("clauses/termination/1.1.0.md");
    let good = std::fs::read_to_string(&clause).unwrap();
    std::fs::write(&clause, format!("{good}\n{{% if %}}\n")).unwrap();
    w.wait_for("the clause library has errors");
    w.stderr_with("clauses/termination/1.1.0.md");
    std::fs::write(&clause, format!("{good}\nMended.\n")).unwrap();
    let line = w.next_build();
    assert!(
        line.starts_with("built ") && line.contains("failed 0"),
        "{line}"
    );
    assert_ne!(line, "built 0, failed 0, up to date 5");
}

/// The profile folder moved away and back: its profiles are reported gone, then found
/// again (the watch follows the name, not the folder moved away).
#[test]
fn a_profile_folder_moved_away_and_back() {
    let tmp = project();
    let root = tmp.path();
    let mut w = Running::start(root, &["watch", "-f", "md"]);
    assert_eq!(w.next_build(), "built 5, failed 0, up to date 0");
    w.wait_for("watching");
    std::fs::rename(root.join("profiles"), root.join("elsewhere")).unwrap();
    w.wait_for("removed: profiles/");
    // The folder given names nothing now: reported as `build` reports it.
    assert_eq!(w.next_build(), "built 0, failed 1, up to date 0");
    w.stderr_with("profiles");
    std::fs::rename(root.join("elsewhere"), root.join("profiles")).unwrap();
    assert_eq!(w.next_build(), "built 0, failed 0, up to date 5");
    // Watched again: a change inside is seen.
    append(&root.join("profiles/tacoma-2021.toml"), "\n# again\n");
    assert_eq!(w.next_build(), "built 1, failed 0, up to date 0");
}
