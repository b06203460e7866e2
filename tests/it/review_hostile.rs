//! A returned DOCX is untrusted input (SPEC §6): not a ZIP, a damaged ZIP, a zip bomb
//! (by ratio, or an entry that inflates past the size it declares), too many entries,
//! a DTD or an undeclared entity, broken XML, a part that is not UTF-8. Each is one
//! located error and exit 1, never a panic, and `--propose` writes nothing.

use crate::common::mou;
use crate::review::our_docx;
use crate::review_fixture::{unzip, zip};
use proptest::prelude::*;
use std::path::Path;

fn ours() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    our_docx("tehachapi-2018", dir.path())
}

/// Ours with one part replaced (or added).
fn with_part(ours: &[u8], name: &str, bytes: Vec<u8>) -> Vec<u8> {
    let mut parts = unzip(ours);
    match parts.iter_mut().find(|(n, _)| n == name) {
        Some(p) => p.1 = bytes,
        None => parts.push((name.to_string(), bytes)),
    }
    zip(&parts)
}

/// Reviews `bytes` as theirs, with `--propose`; asserts exit 1, the code, no panic
/// and no proposal written; returns stderr.
fn refused(bytes: &[u8], code: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("theirs.docx");
    std::fs::write(&theirs, bytes).unwrap();
    let proposal = dir.path().join("proposal");
    let out = mou()
        .arg("review")
        .arg(&theirs)
        .args(["--profile", "profiles/tehachapi-2018.toml", "--propose"])
        .arg(&proposal)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(code), "no {code} in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty(), "a report was printed");
    assert!(!proposal.exists(), "a proposal was written");
    stderr
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

#[test]
fn not_a_zip_is_refused_at_its_first_byte() {
    let e = refused(b"{\\rtf1\\ansi Agreement}", "E0850");
    assert!(e.contains("theirs.docx:1:1"), "{e}");
    assert!(e.contains("not a DOCX file"), "{e}");
}

#[test]
fn a_truncated_zip_is_refused() {
    let bytes = ours();
    refused(&bytes[..bytes.len() / 2], "E0850");
}

#[test]
fn a_zip_without_a_document_is_refused() {
    let parts: Vec<(String, Vec<u8>)> = unzip(&ours())
        .into_iter()
        .filter(|(n, _)| n != "word/document.xml")
        .collect();
    let e = refused(&zip(&parts), "E0850");
    assert!(e.contains("word/document.xml"), "{e}");
}

#[test]
fn a_zip_bomb_is_refused_by_its_ratio() {
    // 24 MiB of XML that deflates to a few kilobytes.
    let mut xml = format!("<w:document {W}><w:body><w:p><w:r><w:t>");
    xml.push_str(&" ".repeat(24 << 20));
    xml.push_str("</w:t></w:r></w:p></w:body></w:document>");
    let e = refused(
        &with_part(&ours(), "word/document.xml", xml.into_bytes()),
        "E0850",
    );
    assert!(e.contains("zip bomb"), "{e}");
    assert!(e.contains("theirs.docx:word/document.xml"), "{e}");
}

/// Sets the uncompressed size that the local and central headers of `name` declare.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let n = name.as_bytes();
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        let sig = &zip[i..i + 4];
        let (name_len_at, size_at, name_at) = if sig == [0x50, 0x4b, 0x03, 0x04] {
            (26, 22, 30)
        } else if sig == [0x50, 0x4b, 0x01, 0x02] {
            (28, 24, 46)
        } else {
            continue;
        };
        let len = u16::from_le_bytes([zip[i + name_len_at], zip[i + name_len_at + 1]]) as usize;
        if zip.get(i + name_at..i + name_at + len) == Some(n) {
            zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local and central header of {name}");
}

#[test]
fn an_entry_larger_than_it_declares_is_refused() {
    let mut bytes = ours();
    declare_size(&mut bytes, "word/document.xml", 1000);
    let e = refused(&bytes, "E0850");
    assert!(e.contains("more than the 1000 bytes it declares"), "{e}");
}

#[test]
fn too_many_entries_are_refused() {
    let mut parts = unzip(&ours());
    for i in 0..4100 {
        parts.push((format!("customXml/item{i}.xml"), b"<a/>".to_vec()));
    }
    let e = refused(&zip(&parts), "E0850");
    assert!(e.contains("4096"), "{e}");
}

#[test]
fn a_dtd_is_refused_with_its_line_and_column() {
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE w:document [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n<w:document {W}><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    );
    let e = refused(
        &with_part(&ours(), "word/document.xml", xml.into_bytes()),
        "E0851",
    );
    assert!(e.contains("theirs.docx:word/document.xml:2:"), "{e}");
    assert!(e.contains("DTD"), "{e}");
}

#[test]
fn an_undeclared_entity_is_refused() {
    let xml = format!(
        "<w:document {W}><w:body><w:p><w:r><w:t>a &xxe; b</w:t></w:r></w:p></w:body></w:document>"
    );
    let e = refused(
        &with_part(&ours(), "word/document.xml", xml.into_bytes()),
        "E0851",
    );
    assert!(e.contains("&xxe;"), "{e}");
}

#[test]
fn broken_xml_and_non_utf8_parts_are_located() {
    let xml = format!("<w:document {W}>\n<w:body><w:p></w:r></w:body></w:document>");
    let e = refused(
        &with_part(&ours(), "word/document.xml", xml.into_bytes()),
        "E0851",
    );
    assert!(e.contains("theirs.docx:word/document.xml:2:"), "{e}");
    let mut latin1 = format!("<w:document {W}><w:body><w:p><w:r><w:t>Tom").into_bytes();
    latin1.push(0xE1);
    latin1.extend_from_slice(b"s</w:t></w:r></w:p></w:body></w:document>");
    refused(&with_part(&ours(), "word/document.xml", latin1), "E0851");
    // A broken comments part is named as such.
    let e = refused(
        &with_part(
            &ours(),
            "word/comments.xml",
            b"<w:comments><w:comment>".to_vec(),
        ),
        "E0851",
    );
    assert!(e.contains("word/comments.xml"), "{e}");
}

#[test]
fn a_missing_file_is_a_located_error() {
    let out = mou()
        .args([
            "review",
            "no-such.docx",
            "--profile",
            "profiles/tehachapi-2018.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E0001") && stderr.contains("no-such.docx"),
        "{stderr}"
    );
    // Usage errors are 2.
    mou().args(["review", "x.docx"]).assert().code(2);
}

fn read(bytes: Vec<u8>) {
    let _ = mou::review::read(Path::new("t.docx"), bytes, mou::review::Limits::default());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Bytes of a real DOCX changed here and there, or cut short: an error or a body,
    /// never a panic.
    #[test]
    fn the_reader_survives_damaged_packages(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = ours_cached().to_vec();
        for (at, b) in &flips {
            let i = at.index(bytes.len());
            bytes[i] = *b;
        }
        read(bytes.clone());
        bytes.truncate(cut.index(bytes.len() + 1));
        read(bytes);
    }

    /// Any text as the document part: an error located in it, or a body.
    #[test]
    fn the_reader_survives_any_document_xml(xml in "(<[a-z:]{1,4}( [a-z:]{1,3}=\"[^\"<]{0,4}\")?/?>|</[a-z:]{1,4}>|&[a-z#0-9]{1,5};|[^<&]{0,6}|<!DOCTYPE|<!\\[CDATA\\[x\\]\\]>){0,40}") {
        let bytes = with_part(ours_cached(), "word/document.xml", xml.into_bytes());
        read(bytes);
    }
}

/// One DOCX of ours for the property tests, built once.
fn ours_cached() -> &'static [u8] {
    static OURS: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    OURS.get_or_init(ours)
}
