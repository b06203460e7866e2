//! Runs the real binary on fixtures (SPEC §5 behaviour, exit codes, no partial output).

use crate::common;

use common::{mou, repo, valid};
use std::path::{Path, PathBuf};

struct Run {
    code: i32,
    stderr: String,
    out: tempfile::TempDir,
    profile: PathBuf,
}

/// Writes `src` as `<dir>/bad.toml` and builds it into a fresh folder.
fn build_text(src: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("bad.toml");
    std::fs::write(&profile, src).unwrap();
    let out = dir.path().join("out");
    let output = mou()
        .args(["build", "-f", "md", "-o"])
        .arg(&out)
        .arg(&profile)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        out: dir,
        profile,
    }
}

/// A refused profile: exit 1, a message naming file, line and column, no output.
fn assert_refused(src: &str, code: &str, line: usize, needle: &str) {
    let run = build_text(src);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let place = format!("{}:{line}:", run.profile.display());
    assert!(
        run.stderr.contains(&format!("error[{code}]: ")) && run.stderr.contains(&place),
        "expected {code} at {place} in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(needle),
        "expected {needle:?} in:\n{}",
        run.stderr
    );
    let out = run.out.path().join("out");
    assert!(!out.join("bad.md").exists(), "no output may be written");
    assert!(
        !out.join("manifest.json").exists(),
        "no manifest may be written"
    );
    assert!(run.stderr.contains("built 0, failed 1"), "{}", run.stderr);
}

#[test]
fn unknown_key() {
    let src = valid().replace("months = 10", "monhts = 10");
    assert_refused(&src, "E0103", 35, "did you mean `months`?");
}

#[test]
fn invalid_enum_value() {
    let src = valid().replace("kind = \"police\"", "kind = \"marshal\"");
    assert_refused(&src, "E0104", 13, "\"sheriff\"");
}

#[test]
fn wrong_type() {
    let src = valid().replace("officers = 2", "officers = \"two\"");
    assert_refused(
        &src,
        "E0102",
        25,
        "`schools.officers`: expected a whole number, e.g. 2, found the text \"two\"",
    );
}

/// Every unknown key and wrong type of a profile in one run, not only serde's first.
#[test]
fn every_schema_error_in_one_run() {
    let src = valid()
        .replace("officers = 2", "officers = \"two\"")
        .replace("annual_cost = 182000.00", "anual_cost = 182000.00")
        .replace("end = 2023-06-30", "end = \"June 30\"");
    let run = build_text(&src);
    assert_eq!(run.code, 1);
    for needle in [
        ":25:",
        "expected a whole number",
        "unknown field `anual_cost`",
        "did you mean `annual_cost`?",
        "`term.end`: expected a date like 2022-08-09",
    ] {
        assert!(run.stderr.contains(needle), "{needle} in:\n{}", run.stderr);
    }
    assert_eq!(run.stderr.matches("error[").count(), 3, "{}", run.stderr);
}

#[test]
fn toml_syntax() {
    let src = valid().replace("state = \"CT\"", "state = CT");
    assert_refused(&src, "E0101", 2, "");
}

#[test]
fn term_ends_before_it_starts() {
    let src = valid().replace("end = 2023-06-30", "end = 2021-06-30");
    assert_refused(&src, "E0120", 29, "on or before it starts");
}

#[test]
fn share_above_100() {
    let src = valid().replace("school_share_percent = 70", "school_share_percent = 101");
    assert_refused(&src, "E0131", 34, "0 to 100");
}

#[test]
fn installments_do_not_add_up() {
    let src = valid().replace(
        "{ due = 2023-05-01, percent = 50 }",
        "{ due = 2023-05-01, percent = 45 }",
    );
    assert_refused(&src, "E0135", 37, "add up to 95");
}

#[test]
fn aggregate_below_per_occurrence() {
    let src = valid().replace("aggregate_limit = 3500000", "aggregate_limit = 100");
    assert_refused(&src, "E0136", 44, "per-occurrence");
}

#[test]
fn no_schools() {
    let start = valid().find("[[schools]]").unwrap();
    let end = valid().find("[term]").unwrap();
    let src = format!("schools = []\n{}{}", &valid()[..start], &valid()[end..]);
    assert_refused(&src, "E0112", 1, "at least one school");
}

#[test]
fn duplicate_school() {
    let src = valid().replace("Conard High School", "Hall High School");
    assert_refused(&src, "E0114", 23, "listed twice");
}

#[test]
fn bad_id() {
    let src = valid().replace("[agreement]\n", "[agreement]\nid = \"../../etc/passwd\"\n");
    assert_refused(&src, "E0110", 2, "invalid agreement id");
}

#[test]
fn unsatisfiable_version_lists_versions() {
    let src = format!("{}versions = {{ termination = \"^9\" }}\n", valid());
    assert_refused(&src, "E0153", 48, "versions that exist: 1.0.0, 1.1.0");
}

#[test]
fn unknown_clause_in_include() {
    let src = valid().replace("\"data-collection\"", "\"data-colection\"");
    assert_refused(&src, "E0151", 47, "did you mean `data-collection`?");
}

#[test]
fn unknown_outline() {
    let src = valid().replace("[agreement]\n", "[agreement]\noutline = \"mo\"\n");
    assert_refused(&src, "E0150", 2, "no outline \"mo\"");
}

#[test]
fn missing_value_in_final_names_clause_and_variable() {
    let src = valid().replace("termination_notice_days = 7\n", "");
    let run = build_text(&src);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("clause `termination` uses `term.termination_notice_days`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("clauses/termination/1.1.0.md:"),
        "{}",
        run.stderr
    );
    assert!(!run.out.path().join("out/bad.md").exists());
}

#[test]
fn draft_shows_blanks() {
    let src = valid()
        .replace("status = \"final\"", "status = \"draft\"")
        .replace("termination_notice_days = 7\n", "");
    let run = build_text(&src);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[W0301]"), "{}", run.stderr);
    let md = std::fs::read_to_string(run.out.path().join("out/bad.md")).unwrap();
    assert!(md.contains("[__________] days"), "{md}");
    assert!(md.starts_with("> **DRAFT**"));
}

#[test]
fn failed_build_leaves_earlier_outputs_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("city.toml");
    let out = dir.path().join("out");
    std::fs::write(&profile, valid()).unwrap();
    mou()
        .args(["build", "-f", "md", "-o"])
        .arg(&out)
        .arg(&profile)
        .assert()
        .success();
    let before_md = std::fs::read(out.join("city.md")).unwrap();
    let before_manifest = std::fs::read(out.join("manifest.json")).unwrap();
    std::fs::write(&profile, valid().replace("months = 10", "months = 13")).unwrap();
    mou()
        .args(["build", "-f", "md", "-o"])
        .arg(&out)
        .arg(&profile)
        .assert()
        .code(1);
    assert_eq!(std::fs::read(out.join("city.md")).unwrap(), before_md);
    assert_eq!(
        std::fs::read(out.join("manifest.json")).unwrap(),
        before_manifest
    );
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
}

#[test]
fn one_bad_profile_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("p");
    std::fs::create_dir(&profiles).unwrap();
    std::fs::write(profiles.join("good-one.toml"), valid()).unwrap();
    std::fs::write(profiles.join("good-two.toml"), valid()).unwrap();
    std::fs::write(
        profiles.join("broken.toml"),
        valid().replace("state = \"CT\"", "state = \"C\""),
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = mou()
        .args(["build", "-f", "md", "-o"])
        .arg(&out)
        .arg(&profiles)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("built 2, failed 1"), "{stderr}");
    assert!(out.join("good-one.md").exists() && out.join("good-two.md").exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let ids: Vec<&String> = manifest["agreements"].as_object().unwrap().keys().collect();
    assert_eq!(ids, ["good-one", "good-two"]);
}

#[test]
fn duplicate_ids_name_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let with_id = valid().replace("[agreement]\n", "[agreement]\nid = \"same\"\n");
    std::fs::write(dir.path().join("a.toml"), &with_id).unwrap();
    std::fs::write(dir.path().join("b.toml"), &with_id).unwrap();
    let out = dir.path().join("out");
    let output = mou()
        .args(["build", "-f", "md", "-o"])
        .arg(&out)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("a.toml: agreement id \"same\" is also used by"),
        "{stderr}"
    );
    assert!(stderr.contains("b.toml"), "{stderr}");
    assert!(!out.join("same.md").exists());
}

#[test]
fn usage_error_exits_2() {
    mou().args(["build", "--format", "rtf"]).assert().code(2);
    mou().arg("frobnicate").assert().code(2);
}

#[test]
fn clauses_list_and_show() {
    let out = mou().args(["clauses", "list"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("termination"));
    assert!(text.contains("2.0.0      states KY"), "{text}");
    let out = mou()
        .args(["clauses", "show", "termination@1.0.0"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("+++\n"));
    for (spec, needle) in [
        ("terminaton", "did you mean `termination`?"),
        ("termination@7.0.0", "versions: 1.0.0, 1.1.0"),
    ] {
        let out = mou().args(["clauses", "show", spec]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{stderr}");
    }
}

#[test]
fn new_writes_a_draft_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("springfield-2026.toml");
    mou().args(["new"]).arg(&path).assert().success();
    mou().args(["new"]).arg(&path).assert().code(1);
    let out = dir.path().join("out");
    mou()
        .args(["build", "-f", "md", "-o"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let md = std::fs::read_to_string(out.join("springfield-2026.md")).unwrap();
    assert!(md.contains("[__________]"));
    // And `check` passes it: its blanks are warnings of a draft, never errors.
    mou().args(["check"]).arg(&path).assert().success();
    mou().args(["new", "Bad Name"]).assert().code(2);
}

/// SPEC done-means for the examples: no template markers, no blanks in finals,
/// amounts right, every reference resolved.
#[test]
fn examples_build_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    mou()
        .args(["build", "profiles", "-f", "md", "-o"])
        .arg(out)
        .assert()
        .success();
    let mut count = 0;
    for entry in std::fs::read_dir(repo().join("profiles")).unwrap() {
        let path = entry.unwrap().path();
        // Overlay folders (`<stem>.clauses/`) sit beside the profiles.
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let md = std::fs::read_to_string(out.join(format!("{id}.md"))).unwrap();
        let source = std::fs::read_to_string(&path).unwrap();
        assert!(
            !md.contains("{{") && !md.contains("{%"),
            "{id}: template markers left"
        );
        if source.contains("status = \"final\"") {
            assert!(!md.contains("[____"), "{id}: blank in a final agreement");
        }
        assert!(md.contains("## ARTICLE I. "), "{id}: articles numbered");
        count += 1;
    }
    assert!(count >= 6);
    let t = std::fs::read_to_string(out.join("tehachapi-2018.md")).unwrap();
    assert!(t.contains("$3,500,000.00"));
    assert!(t.contains("seventy percent (70%)"));
    assert!(t.contains("$9,000.00"));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"tehachapi-2018\""));
}

#[test]
fn builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    let build = |dir: &Path, jobs: &str| {
        mou()
            .args(["build", "-q", "-f", "md,pdf,docx", "-j", jobs, "-o"])
            .arg(dir)
            .assert()
            .success();
    };
    build(a.path(), "1");
    build(b.path(), "8");
    build(c.path(), "1");
    let names = |p: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let files = names(a.path());
    assert_eq!(
        files.len(),
        15 * 3 + 1,
        "md, pdf and docx for every example, and the manifest"
    );
    assert_eq!(files, names(b.path()));
    for name in files {
        let bytes = std::fs::read(a.path().join(&name)).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(b.path().join(&name)).unwrap(),
            "{name:?}: -j 1 vs -j 8"
        );
        assert_eq!(
            bytes,
            std::fs::read(c.path().join(&name)).unwrap(),
            "{name:?}: run twice"
        );
    }
}

/// Dates inside files come from SOURCE_DATE_EPOCH, else the agreement's date.
#[test]
fn file_dates_come_from_source_date_epoch_or_the_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let info = |epoch: Option<&str>, out: &str| {
        let out = dir.path().join(out);
        let mut cmd = mou();
        if let Some(e) = epoch {
            cmd.env("SOURCE_DATE_EPOCH", e);
        }
        cmd.args([
            "build",
            "profiles/tehachapi-2018.toml",
            "-q",
            "-f",
            "pdf",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
        let pdfinfo = std::process::Command::new("pdfinfo")
            .arg(out.join("tehachapi-2018.pdf"))
            .output()
            .expect("pdfinfo is installed");
        String::from_utf8_lossy(&pdfinfo.stdout).into_owned()
    };
    let from_agreement = info(None, "a");
    assert!(from_agreement.contains("2018"), "{from_agreement}");
    let from_epoch = info(Some("31536000"), "b");
    assert!(from_epoch.contains("1971"), "{from_epoch}");
}

/// `mou check … 2>&1 | head -1` closes the pipe early: that must not be a panic.
#[test]
fn closed_pipes_are_not_a_panic() {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} check profiles 2>&1 | head -c 10 >/dev/null; exit ${{PIPESTATUS[0]}}",
            assert_cmd::cargo::cargo_bin("mou").display()
        ))
        .current_dir(repo())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(101), "a panic exits with 101");
}

/// Formats come from the writer registry, by name in any case.
#[test]
fn format_names_any_case_and_unknown_ones_are_usage_errors() {
    let out = tempfile::tempdir().unwrap();
    mou()
        .args([
            "build",
            "profiles/tacoma-2021.toml",
            "-q",
            "-f",
            "MD,Pdf",
            "-o",
        ])
        .arg(out.path())
        .assert()
        .success();
    assert!(out.path().join("tacoma-2021.md").is_file());
    assert!(out.path().join("tacoma-2021.pdf").is_file());
    let run = mou()
        .args(["build", "profiles/tacoma-2021.toml", "-f", "odt", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("md, pdf, docx"), "{stderr}");
}

/// A binary redline with nowhere to go is a usage error, found before any work.
#[test]
fn binary_diff_without_an_output_file_is_a_usage_error() {
    for format in ["pdf", "DOCX"] {
        let run = mou()
            .args([
                "diff",
                "profiles/tehachapi-2017.toml",
                "profiles/tehachapi-2018.toml",
                "-f",
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "-f {format}");
        assert!(run.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("needs an output file: -o FILE"), "{stderr}");
    }
}

/// A FIFO or a device named as a profile or a lock file is refused, not waited on or
/// read forever.
#[cfg(unix)]
#[test]
fn non_regular_inputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("p.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let out = dir.path().join("out");
    mou()
        .args(["build"])
        .arg(&fifo)
        .arg("-o")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1);
    let run = mou()
        .args([
            "build",
            "profiles",
            "--locked",
            "--lockfile",
            "/dev/zero",
            "-o",
        ])
        .arg(&out)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

/// A broken lock file is reported at its line and column, with the fix.
#[test]
fn lock_file_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let lock = dir.path().join("mou.lock");
    std::fs::write(
        &lock,
        "version = 1\n\n[agreements.tacoma-2021]\nprofile = \n",
    )
    .unwrap();
    let run = mou()
        .args(["build", "profiles", "--locked", "--lockfile"])
        .arg(&lock)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("error[E0160]: not a valid lock file"),
        "{stderr}"
    );
    assert!(stderr.contains("mou.lock:4:"), "{stderr}");
    assert!(stderr.contains("run `mou lock`"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

/// `-q` and `-v` work on every subcommand; `-q` leaves only errors.
#[test]
fn quiet_and_verbose_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let quiet_runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["check".into(), "profiles".into(), "-q".into()],
        vec![
            "lock".into(),
            "-q".into(),
            "-o".into(),
            d.join("mou.lock").into(),
        ],
        vec!["clauses".into(), "list".into(), "-q".into()],
        vec![
            "clauses".into(),
            "used-by".into(),
            "insurance".into(),
            "-q".into(),
        ],
        vec![
            "new".into(),
            d.join("springfield-2026.toml").into(),
            "-q".into(),
        ],
        vec![
            "diff".into(),
            "profiles/tehachapi-2017.toml".into(),
            "profiles/tehachapi-2018.toml".into(),
            "-q".into(),
            "-f".into(),
            "pdf".into(),
            "-o".into(),
            d.join("redline.pdf").into(),
        ],
        vec![
            "man".into(),
            "-q".into(),
            "--out".into(),
            d.join("man").into(),
        ],
    ];
    for args in quiet_runs {
        let out = mou().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = mou().args(["check", "profiles", "-v"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("checked 15 profile(s)"));
    let out = mou()
        .args(["lock", "-v", "-o"])
        .arg(d.join("mou.lock"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("tacoma-2021: "));
}

/// A path that names nothing is reported with a suggestion and counted as failed; the
/// other profiles of the list are still built, and the summary says so.
#[test]
fn a_missing_profile_in_a_list_does_not_stop_the_batch() {
    let out = tempfile::tempdir().unwrap();
    let run = mou()
        .args([
            "build",
            "profiles/tacoma-2012.toml",
            "profiles/tehachapi-2017.toml",
            "-f",
            "md",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("did you mean `profiles/tacoma-2021.toml`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("failed: profiles/tacoma-2012.toml"),
        "{stderr}"
    );
    assert!(stderr.contains("built 1, failed 1"), "{stderr}");
    assert!(out.path().join("tehachapi-2017.md").is_file());
}

/// `build` and `check` report the same problems when neither the library nor the
/// profiles folder exists.
#[test]
fn build_and_check_report_the_same_missing_folders() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    for command in ["build", "check"] {
        let run = assert_cmd::Command::cargo_bin("mou")
            .unwrap()
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .arg(command)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        let codes: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error["))
            .collect::<Vec<_>>();
        seen.push(codes.join("\n"));
    }
    assert_eq!(seen[0], seen[1]);
    assert!(
        seen[0].contains("E0200") && seen[0].contains("E0001"),
        "{}",
        seen[0]
    );
}

/// A big batch prints its warnings as a count per code, not one block each; the flag
/// chooses. (`--force`: an agreement skipped as up to date is not checked again.)
#[test]
fn batch_warnings_are_summarised_by_code() {
    let dir = tempfile::tempdir().unwrap();
    let draft = std::fs::read_to_string(repo().join("profiles/kentucky-city-2025.toml")).unwrap();
    let draft: String = draft
        .lines()
        .filter(|l| !l.starts_with("id = "))
        .map(|l| format!("{l}\n"))
        .collect();
    for i in 0..21 {
        std::fs::write(dir.path().join(format!("k{i:02}.toml")), &draft).unwrap();
    }
    let build = |extra: &[&str]| {
        let run = mou()
            .arg("build")
            .arg(dir.path())
            .args(["-f", "md", "--force", "-o"])
            .arg(dir.path().join("out"))
            .args(extra)
            .output()
            .unwrap();
        assert!(run.status.success());
        String::from_utf8_lossy(&run.stderr).into_owned()
    };
    let summary = build(&[]);
    assert!(
        summary.contains("warning[W0301] draft-blank: ") && summary.contains(" in 21 agreement(s)"),
        "{summary}"
    );
    assert!(summary.lines().count() < 6, "{summary}");
    let all = build(&["--warnings", "all"]);
    assert!(all.matches("warning[W0301]").count() > 21, "{all}");
    let none = build(&["--warnings", "none"]);
    assert!(!none.contains("warning"), "{none}");
}
