//! Control characters in a Document (issue #19, defect 10, the writers' half). Profiles
//! refuse them at load (E0117), so this feeds them to the writers directly: a NUL, an
//! escape and a vertical tab in the title and the party names reach every writer, and
//! every XML the writers make (the PDF's XMP packet, each DOCX part) stays well-formed
//! XML 1.0, as `xmllint` judges it; the Markdown carries none of them.

use crate::common;

use mou::render::{Format, PdfStandard, WriteOptions};
use std::path::Path;
use std::process::Command;

/// `xmllint --noout` on `xml`: `Err(its complaint)` when it is not well-formed.
fn xmllint(dir: &Path, name: &str, xml: &[u8]) -> Result<(), String> {
    let file = dir.join(name.replace('/', "_"));
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg(&file)
        .output()
        .expect("xmllint is installed (libxml2-utils, scripts/deps.sh)");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
                .chars()
                .take(500)
                .collect::<String>()
        ))
    }
}

/// The XMP packet of a PDF (written uncompressed, as PDF/A wants).
fn xmp(pdf: &[u8]) -> &[u8] {
    let find = |needle: &[u8], from: usize| {
        pdf[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let start = find(b"<?xpacket begin", 0).expect("an XMP packet");
    let end = find(b"<?xpacket end", start).expect("the end of the XMP packet");
    let close = find(b"?>", end).expect("a closed packet trailer") + 2;
    &pdf[start..close]
}

#[test]
fn control_characters_never_reach_the_xml_of_any_writer() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = common::example_document("west-hartford-2022.toml");
    doc.title = "SRO \u{0}Agreement\u{1b}[31m of\u{b} 2022".to_string();
    doc.parties[0] = "West Hartford\u{0} Public\u{1b} Schools\u{b}".to_string();
    let mut problems = Vec::new();
    for (standard, pdf_standard) in [("ua1", PdfStandard::Ua1), ("a2b", PdfStandard::A2b)] {
        let out = dir.path().join(standard);
        std::fs::create_dir_all(&out).unwrap();
        let opts = WriteOptions {
            date: mou::date::Date::new(2022, 8, 9),
            pdf_standard,
            esign_anchors: false,
        };
        for name in ["md", "pdf", "docx"] {
            let format = Format::from_name(name).unwrap();
            let bytes = format.write(&doc, &opts).unwrap();
            std::fs::write(out.join(format!("ctl.{name}")), bytes).unwrap();
        }
        let check = Command::new("qpdf")
            .arg("--check")
            .arg(out.join("ctl.pdf"))
            .output()
            .expect("qpdf is installed");
        assert!(check.status.success(), "qpdf --check ({standard})");
        let pdf = std::fs::read(out.join("ctl.pdf")).unwrap();
        let packet = xmp(&pdf);
        if let Err(e) = xmllint(dir.path(), &format!("{standard}-xmp.xml"), packet) {
            problems.push(e);
        }
        let packet = String::from_utf8_lossy(packet);
        assert!(
            packet.contains("SRO Agreement[31m of 2022"),
            "the title is kept, less its control characters: {packet}"
        );

        let docx = std::fs::read(out.join("ctl.docx")).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().to_string();
            if !(name.ends_with(".xml") || name.ends_with(".rels")) {
                continue;
            }
            let mut xml = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut xml).unwrap();
            if let Err(e) = xmllint(dir.path(), &format!("{standard}-{name}"), &xml) {
                problems.push(e);
            }
        }

        let md = std::fs::read_to_string(out.join("ctl.md")).unwrap();
        let controls: Vec<char> = md
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\t'))
            .collect();
        assert!(
            controls.is_empty(),
            "control characters in Markdown: {controls:?}"
        );
        assert!(md.contains("# SRO Agreement\\[31m of 2022"), "{md}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
