//! Control characters in profile values (issue #19, defect 10, the writers' half): a
//! NUL, an escape and a vertical tab in the title and the party names reach every
//! writer, and every XML the writers make (the PDF's XMP packet, each DOCX part) stays
//! well-formed XML 1.0, as `xmllint` judges it; the Markdown carries none of them.

use crate::common;

use common::{mou, valid};
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
    let profile = valid()
        .replace(
            "[agreement]\n",
            "[agreement]\ntitle = \"SRO \\u0000Agreement\\u001b[31m of\\u000b 2022\"\n",
        )
        .replace(
            "name = \"West Hartford Public Schools\"",
            "name = \"West Hartford\\u0000 Public\\u001b Schools\\u000b\"",
        );
    let profiles = dir.path().join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(profiles.join("ctl.toml"), profile).unwrap();
    let mut problems = Vec::new();
    for standard in ["ua1", "a2b"] {
        let out = dir.path().join(standard);
        mou()
            .args([
                "build",
                "-q",
                "-f",
                "md,pdf,docx",
                "--pdf-standard",
                standard,
                "-o",
            ])
            .arg(&out)
            .arg(&profiles)
            .assert()
            .success();

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
