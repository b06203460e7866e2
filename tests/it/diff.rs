//! `mou diff`: redlines of two profiles or two clause versions, in all three formats.

use crate::common;

use common::{mou, valid};
use std::process::Command as Proc;

fn stdout(args: &[&str]) -> (i32, String) {
    let out = mou().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn only_the_insurance_limit_changes() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.toml");
    let new = dir.path().join("new.toml");
    std::fs::write(&old, valid()).unwrap();
    std::fs::write(
        &new,
        valid().replace(
            "per_occurrence_limit = 1000000",
            "per_occurrence_limit = 2000000",
        ),
    )
    .unwrap();
    let (o, n) = (old.to_str().unwrap(), new.to_str().unwrap());
    let (code, stat) = stdout(&["diff", o, n, "--stat"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stat.lines().collect();
    assert_eq!(lines.len(), 2, "{stat}");
    assert!(
        lines[0].starts_with("ARTICLE") && lines[0].contains("INSURANCE"),
        "{stat}"
    );
    let (_, md) = stdout(&["diff", o, n]);
    assert!(md.contains("<del>$1,000,000.00"), "{md}");
    assert!(md.contains("<ins>$2,000,000.00"), "{md}");
    assert_eq!(md.matches("<ins>").count(), md.matches("<del>").count());
    let changed: Vec<&str> = md
        .lines()
        .filter(|l| l.contains("<ins>") || l.contains("<del>"))
        .collect();
    assert!(
        changed.iter().all(|l| l.contains("000,000")),
        "{changed:#?}"
    );
    mou().args(["diff", o, n, "--exit-code"]).assert().code(1);
}

#[test]
fn identical_inputs_have_no_differences() {
    let p = "profiles/tehachapi-2018.toml";
    let (code, out) = stdout(&["diff", p, p, "--exit-code"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "no differences");
}

#[test]
fn clause_versions() {
    let (code, out) = stdout(&["diff", "termination@1.0.0", "termination@1.1.0", "--stat"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("TERMINATION") && out.contains("1 article(s) changed"),
        "{out}"
    );
    mou()
        .args(["diff", "termination@1.0.0", "termination@9.9.9"])
        .assert()
        .code(1);
}

/// The Tehachapi 2017–18 → 2018–19 change (indemnity and insurance) in all formats.
#[test]
fn tehachapi_redline_in_three_formats() {
    let dir = tempfile::tempdir().unwrap();
    let old = "profiles/tehachapi-2017.toml";
    let new = "profiles/tehachapi-2018.toml";
    let (_, md) = stdout(&["diff", old, new]);
    assert!(md.contains("## SUMMARY OF CHANGES"));
    assert!(
        md.contains("ARTICLE XI. INSURANCE AND INDEMNIFICATION:"),
        "{md}"
    );
    assert!(
        md.contains("<ins>$3,500,000.00"),
        "the new limit is inserted"
    );

    let pdf = dir.path().join("red.pdf");
    mou()
        .args(["diff", old, new, "-f", "pdf", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    let check = Proc::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .expect("qpdf is installed");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let text = Proc::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Summary of Changes") && text.contains("$3,500,000.00"));

    let docx = dir.path().join("red.docx");
    mou()
        .args(["diff", old, new, "-f", "docx", "-o"])
        .arg(&docx)
        .assert()
        .success();
    let read = |mode: &str| {
        let out = Proc::new("pandoc")
            .args([
                "-f",
                "docx",
                "-t",
                "plain",
                &format!("--track-changes={mode}"),
            ])
            .arg(&docx)
            .output()
            .expect("pandoc is installed");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let accepted = read("accept");
    let rejected = read("reject");
    assert!(
        accepted.contains("1st day of August, 2018"),
        "accepting gives the new text"
    );
    assert!(!accepted.contains("June, 2017"));
    assert!(
        rejected.contains("20th day of June, 2017"),
        "rejecting gives the old text"
    );
    assert!(!rejected.contains("August, 2018,"));
    let xml = {
        let file = std::fs::File::open(&docx).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut s)
            .unwrap();
        s
    };
    assert!(xml.contains("<w:ins w:id=\"") && xml.contains("w:author=\"mou\""));
    assert!(xml.contains("<w:delText"));
    // Same inputs, same bytes.
    let again = dir.path().join("again.docx");
    mou()
        .args(["diff", old, new, "-f", "docx", "-o"])
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&docx).unwrap(),
        std::fs::read(&again).unwrap()
    );
}
