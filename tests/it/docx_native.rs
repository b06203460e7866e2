//! #15 item 1: Word-native numbering. An article heading inserted into the DOCX the
//! way Word writes one (a Heading 1 paragraph, numbered through its style), then laid
//! out by LibreOffice, which updates the REF fields: every later article number and
//! every reference to one follows. Needs `soffice` and `pdftotext`.

use crate::common;

use mou::render::{PdfStandard, WriteOptions, docx};
use std::io::{Read, Write};
use std::process::Command;

#[test]
fn an_article_inserted_in_word_renumbers_headings_and_references() {
    let doc = common::example_document("tacoma-2021.toml");
    let opts = WriteOptions {
        date: mou::date::Date::new(2021, 11, 18),
        pdf_standard: PdfStandard::Ua1,
        esign_anchors: false,
    };
    let bytes = docx::render(&doc, &opts).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("edited.docx");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&edited).unwrap());
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).unwrap();
            // Before the first numbered article heading.
            let at = xml
                .find("<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>")
                .unwrap();
            let inserted = "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Inserted in Word</w:t></w:r></w:p>";
            data = format!("{}{inserted}{}", &xml[..at], &xml[at..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap();
    let profile = dir.path().join("lo-profile");
    let lo = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&edited)
        .output()
        .expect("soffice is installed");
    assert!(lo.status.success());
    let text = Command::new("pdftotext")
        .arg(dir.path().join("edited.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    let text = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // Before: Article I is Purpose, termination is Article XVI, the schools Article V.
    for want in [
        // The headings as the PDF prints them: "Article II. Purpose and Program Goals".
        "Article I. Inserted in Word",
        "Article II. Purpose and Program Goals",
        "terminated earlier under Article XVII,",
        "schools listed in Article VI ",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    assert!(!text.contains("Article Article") && !text.contains("ARTICLE"));
}
