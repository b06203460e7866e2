//! Drafting notes (```note blocks, SPEC §3/§7): in a draft they print, set apart as
//! "Drafting note:"; a final agreement never carries them, in any format.

use crate::common;

use std::path::Path;

/// A copy of the library whose every `termination` version ends with a drafting note.
fn library_with_note(dir: &Path) -> std::path::PathBuf {
    let lib = dir.join("clauses");
    common::copy_dir(&common::repo().join("clauses"), &lib);
    for entry in walkdir::WalkDir::new(lib.join("termination")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let mut text = std::fs::read_to_string(entry.path()).unwrap();
            text.push_str("\n```note\nConfirm the notice period with the City's counsel.\n```\n");
            std::fs::write(entry.path(), text).unwrap();
        }
    }
    lib
}

fn build(dir: &Path, lib: &Path, status: &str, formats: &str) -> std::path::PathBuf {
    let profile = dir.join(format!("{status}.toml"));
    std::fs::write(
        &profile,
        common::valid().replace("status = \"final\"", &format!("status = \"{status}\"")),
    )
    .unwrap();
    let out = dir.join(format!("out-{status}"));
    let run = common::mou()
        .arg("build")
        .arg(&profile)
        .args(["-f", formats, "-o"])
        .arg(&out)
        .arg("--library")
        .arg(lib)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

#[test]
fn a_draft_shows_its_notes_and_a_final_agreement_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library_with_note(dir.path());
    let draft = build(dir.path(), &lib, "draft", "md,docx");
    let md = std::fs::read_to_string(draft.join("draft.md")).unwrap();
    assert!(
        md.contains("> **Drafting note:** Confirm the notice period with the City's counsel."),
        "{md}"
    );
    let final_out = build(dir.path(), &lib, "final", "md,docx");
    let md = std::fs::read_to_string(final_out.join("final.md")).unwrap();
    assert!(!md.contains("Drafting note") && !md.contains("notice period with the City"));
    for (out, name, has) in [(&draft, "draft", true), (&final_out, "final", false)] {
        let file = std::fs::File::open(out.join(format!("{name}.docx"))).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        assert_eq!(xml.contains("notice period with the City"), has, "{name}");
    }
}
