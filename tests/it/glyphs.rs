//! Characters the PDF's font cannot set (issue #19, defect 6): CJK, Arabic and emoji
//! used to print as "?", and Hebrew reversed, with no word said. Now the PDF writer
//! refuses the agreement (E0403), naming the characters, the words that hold them and
//! their article, placed at the profile value; the Markdown and DOCX keep them.

use crate::common;

use common::{mou, valid};
use std::path::Path;

/// `mou ARGS` in `dir`: exit code and everything it printed.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = mou()
        .current_dir(dir)
        .args(args)
        .arg("--library")
        .arg(common::repo().join("clauses"))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// The fixture with one school renamed `name`, as `status`.
fn profile(name: &str, status: &str) -> String {
    valid()
        .replace("name = \"Hall High School\"", &format!("name = \"{name}\""))
        .replace("status = \"final\"", &format!("status = \"{status}\""))
}

#[test]
fn characters_the_pdf_cannot_set_are_an_error_naming_them_and_their_value() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("profiles")).unwrap();
    let cases = [
        (
            "北京 Hall High School",
            "北 (U+5317), 京 (U+4EAC)",
            "no glyph",
        ),
        ("Hall مدرسة School", "م (U+0645)", "right-to-left"),
        ("Hall 😀 School", "😀 (U+1F600)", "no glyph"),
        ("Hall הספר School", "ה (U+05D4)", "right-to-left"),
    ];
    for status in ["final", "draft"] {
        for (name, chars, kind) in cases {
            std::fs::write(root.join("profiles/x.toml"), profile(name, status)).unwrap();
            let out = root.join("out");
            let _ = std::fs::remove_dir_all(&out);
            let (code, text) = run(
                root,
                &["build", "profiles/x.toml", "-o", "out", "-f", "md,pdf,docx"],
            );
            assert_eq!(code, 1, "{status} {name}: {text}");
            assert!(text.contains("error[E0403]: cannot write pdf"), "{text}");
            assert!(text.contains(chars) && text.contains(kind), "{text}");
            assert!(text.contains(&format!("\u{201c}{name}\u{201d}")), "{text}");
            assert!(
                text.contains("ASSIGNMENT AND DUTIES"),
                "the article: {text}"
            );
            // `name = "…"` of the first [[schools]] is line 19.
            assert!(text.contains("profiles/x.toml:19:"), "located: {text}");
            assert!(text.contains("built 0, failed 1"), "{text}");
            assert!(!out.join("x.pdf").exists() && !out.join("x.md").exists());

            // The Markdown and DOCX keep the characters.
            let (code, text) = run(
                root,
                &["build", "profiles/x.toml", "-o", "out", "-f", "md,docx"],
            );
            assert_eq!(code, 0, "{text}");
            let md = std::fs::read_to_string(out.join("x.md")).unwrap();
            assert!(md.contains(name), "{md}");
        }
    }
}

/// A redline in PDF refuses them too, as a plain error, without a crash.
#[test]
fn a_pdf_redline_refuses_them_too() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("old.toml"), valid()).unwrap();
    std::fs::write(
        root.join("new.toml"),
        profile("北京 Hall High School", "final"),
    )
    .unwrap();
    let (code, text) = run(
        root,
        &["diff", "old.toml", "new.toml", "-f", "pdf", "-o", "red.pdf"],
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("北 (U+5317)"), "{text}");
    assert!(!root.join("red.pdf").exists());
    let (code, text) = run(root, &["diff", "old.toml", "new.toml", "-f", "md"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("北京"), "{text}");
}

/// `check` reports what a PDF build would refuse, at the profile value.
#[test]
fn check_reports_characters_the_pdf_cannot_set() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("profiles")).unwrap();
    std::fs::write(
        root.join("profiles/p.toml"),
        profile("北京 Hall High School", "final"),
    )
    .unwrap();
    let (code, text) = run(root, &["check", "profiles"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("error[E0403]"), "{text}");
    assert!(text.contains("北 (U+5317)"), "{text}");
    assert!(text.contains("profiles/p.toml:"), "{text}");
}
