//! A redline between different outlines (issue #19, defect 15): articles matched by
//! clause id used to come out under their new numbers only, so a moved article and
//! every renumbered one looked untouched. Now every writer prints where each was.

use crate::common;

use common::{mou, repo, valid};
use std::path::Path;
use std::process::Command;

/// `mou ARGS` in `dir`, which must succeed: its standard output.
fn stdout(dir: &Path, args: &[&str]) -> String {
    let out = mou().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn moved_and_renumbered_articles_show_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_dir(&repo().join("clauses"), &root.join("clauses"));
    // The standard outline with Termination moved up, after Term.
    let outline = std::fs::read_to_string(root.join("clauses/outlines/mou.toml")).unwrap();
    let termination = "[[article]]\nclause = \"termination\"\n\n";
    assert!(outline.contains(termination));
    let reordered = outline.replacen(termination, "", 1).replacen(
        "[[article]]\nclause = \"term\"\n\n",
        &format!("[[article]]\nclause = \"term\"\n\n{termination}"),
        1,
    );
    std::fs::write(root.join("clauses/outlines/reordered.toml"), reordered).unwrap();
    // Old: the standard outline with the optional data-collection article (IX).
    // New: the reordered outline, without it.
    std::fs::write(root.join("old.toml"), valid()).unwrap();
    std::fs::write(
        root.join("new.toml"),
        valid()
            .replace("[agreement]\n", "[agreement]\noutline = \"reordered\"\n")
            .replace("include = [\"data-collection\"]", "include = []"),
    )
    .unwrap();
    let diff = ["diff", "old.toml", "new.toml", "--library", "clauses"];

    let expected = [
        // Where Termination was (Article XV), and where it went, compared there.
        "[MOVED] TERMINATION (NOW ARTICLE III)",
        "ARTICLE III. TERMINATION (MOVED, WAS ARTICLE XV)",
        // Renumbered by the move: Appointment was III.
        "ARTICLE IV. APPOINTMENT",
        "(WAS ARTICLE III)",
        // Removed, with the number it had.
        "(WAS ARTICLE IX)",
    ];
    // (The Markdown escapes brackets: `\[MOVED\]`.)
    let md = stdout(root, &diff).replace("\\[", "[").replace("\\]", "]");
    for e in expected {
        assert!(md.contains(e), "Markdown lacks {e:?}:\n{md}");
    }
    // The summary lists the move.
    let summary = md.split("## ARTICLE I.").next().unwrap();
    assert!(
        summary.contains("ARTICLE III. TERMINATION (MOVED, WAS ARTICLE XV)"),
        "{summary}"
    );
    let stat = stdout(root, &[&diff[..], &["--stat"]].concat());
    assert!(
        stat.lines()
            .any(|l| l.contains("TERMINATION (MOVED, WAS ARTICLE XV)") && l.contains("moved")),
        "{stat}"
    );

    // The same headings in the PDF and the DOCX, since every writer prints the Document.
    stdout(root, &[&diff[..], &["-f", "pdf", "-o", "red.pdf"]].concat());
    let pdf = Command::new("pdftotext")
        .args(["-layout", "red.pdf", "-"])
        .current_dir(root)
        .output()
        .expect("pdftotext is installed");
    let pdf = String::from_utf8_lossy(&pdf.stdout);
    stdout(
        root,
        &[&diff[..], &["-f", "docx", "-o", "red.docx"]].concat(),
    );
    let docx = Command::new("pandoc")
        .args(["-f", "docx", "-t", "plain", "--wrap=none", "red.docx"])
        .current_dir(root)
        .output()
        .expect("pandoc is installed");
    let docx = String::from_utf8_lossy(&docx.stdout);
    // The DOCX tracks the same changes instead of saying them: accepting them gives
    // the new agreement (tests/it/redline_roundtrip.rs), so no heading carries a note.
    let flat_docx = docx.split_whitespace().collect::<Vec<_>>().join(" ");
    let upper_docx = flat_docx.to_uppercase();
    assert!(
        !upper_docx.contains("[MOVED]") && !upper_docx.contains("(WAS"),
        "{flat_docx}"
    );
    // Headed as the PDF heads articles, in the title's case.
    assert!(flat_docx.contains("Termination"), "{flat_docx}");
    for (name, text) in [("PDF", &pdf)] {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // The PDF heads articles in title case ("Article III. Termination").
        let upper = flat.to_uppercase();
        for e in expected {
            assert!(upper.contains(e), "{name} lacks {e:?}:\n{flat}");
        }
    }
}
