//! Issue #17 item 5 on every example agreement built by the CLI: a signature field
//! (AcroForm `/FT /Sig`) on every signature line, named for the party and role and
//! unique, as `qpdf --json` lists them; the bookmarks pane open on opening; and poppler
//! (`pdfinfo`, `pdftotext`) reading every file without a word on stderr. Needs `qpdf`
//! and poppler-utils, as the other PDF tool tests do.

use crate::common;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every example profile built as PDF into a fresh folder; their paths.
fn built() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("temporary directory");
    common::mou()
        .args(["build", "profiles", "-f", "pdf", "-q", "-o"])
        .arg(dir.path())
        .assert()
        .success();
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert!(pdfs.len() >= 10, "{} PDFs", pdfs.len());
    (dir, pdfs)
}

fn run(tool: &str, args: &[&str], path: &Path) -> (bool, String, String) {
    let out = Command::new(tool)
        .args(args)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is installed: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The signature fields qpdf finds: (fully qualified name, field type, page index).
fn fields(path: &Path) -> Vec<(String, String, i64)> {
    let (ok, stdout, stderr) = run("qpdf", &["--json", "--json-key=acroform"], path);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("qpdf JSON");
    json["acroform"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    (
                        f["fullname"].as_str().unwrap_or_default().to_string(),
                        f["fieldtype"].as_str().unwrap_or_default().to_string(),
                        f["pageposfrom1"].as_i64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_signature_line_is_a_named_signature_field() {
    let (_dir, pdfs) = built();
    for pdf in &pdfs {
        let name = pdf.file_stem().unwrap().to_string_lossy().into_owned();
        let profile = format!("{name}.toml");
        let doc = common::example_document(&profile);
        let signatories: Vec<mou::document::Signatory> = doc
            .articles
            .iter()
            .flat_map(|a| &a.blocks)
            .filter_map(|b| match b {
                mou::document::Block::Signatures(s) => Some(s.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        let found = fields(pdf);
        assert_eq!(
            found.len(),
            signatories.len(),
            "{name}: one field per signature block: {found:?}"
        );
        let names: BTreeSet<&str> = found.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            names.len(),
            found.len(),
            "{name}: names are unique: {found:?}"
        );
        for ((field, kind, page), sig) in found.iter().zip(&signatories) {
            assert_eq!(kind, "/Sig", "{name}: {field}");
            assert!(*page >= 1, "{name}: {field} is on a page");
            let party = sig.party.replace('.', "");
            assert!(
                field.starts_with(&format!("{party} \u{2014} ")),
                "{name}: {field:?} names the party {party:?}"
            );
        }
        // The signer's own block, by role: `signs` for the party's signature.
        assert!(
            found.iter().any(|(n, _, _)| n.ends_with("\u{2014} signs")),
            "{name}: {found:?}"
        );
    }
}

#[test]
fn poppler_reads_every_example_without_complaint() {
    let (_dir, pdfs) = built();
    for pdf in &pdfs {
        let (ok, stdout, stderr) = run("pdfinfo", &[], pdf);
        assert!(ok && stderr.is_empty(), "pdfinfo {pdf:?}: {stderr}");
        assert!(stdout.contains("Tagged:          yes"), "{stdout}");
        assert!(stdout.contains("Form:            AcroForm"), "{stdout}");
        let (ok, _, stderr) = run("pdftotext", &[], pdf);
        assert!(ok && stderr.is_empty(), "pdftotext {pdf:?}: {stderr}");
        let raw = std::fs::read(pdf).unwrap();
        let raw = String::from_utf8_lossy(&raw);
        assert!(raw.contains("/PageMode /UseOutlines"), "{pdf:?}");
        assert!(!raw.contains("/Suspects"), "{pdf:?}");
    }
}
