//! The DOCX writer checked by real readers: pandoc reads the text back, and
//! LibreOffice lays the documents out and prints them to PDF.
//!
//! Needs `pandoc`, `soffice` (LibreOffice Writer), `pdftotext` (poppler-utils) and
//! `qpdf` on PATH; these tests fail, not skip, when one is missing.
use crate::common;

use mou::document::Document;
use mou::render::{PdfStandard, WriteOptions, docx};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn build(profile: &str) -> Document {
    common::example_document(profile)
}

fn write_docx(dir: &Path, profile: &str) -> PathBuf {
    let doc = build(&format!("{profile}.toml"));
    let opts = WriteOptions {
        date: mou::date::Date::new(2021, 11, 18),
        pdf_standard: PdfStandard::Ua1,
        esign_anchors: false,
    };
    let bytes = docx::render(&doc, &opts).unwrap();
    let path = dir.join(format!("{profile}.docx"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs a tool, failing the test with a clear message if it is not installed, exits
/// non-zero, or takes longer than `limit`.
fn run(tool: &str, args: &[&std::ffi::OsStr], limit: Duration) -> String {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run `{tool}` ({e}): install it (apt-get install pandoc libreoffice-writer-nogui poppler-utils)")
        });
    // Drained while the tool runs: a tool whose output outgrows the pipe's buffer
    // would otherwise wait for a reader forever.
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            buf
        })
    };
    let out_reader = drain(Box::new(child.stdout.take().unwrap()));
    let err_reader = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        match child.try_wait().unwrap() {
            Some(status) => break status,
            None if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`{tool}` took longer than {limit:?}");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = err_reader.join().unwrap();
    assert!(
        status.success(),
        "`{tool}` failed ({status}):\n{}\n{stdout}",
        String::from_utf8_lossy(&stderr)
    );
    stdout
}

/// Asserts each phrase occurs after the previous one.
fn assert_in_order(text: &str, phrases: &[&str]) {
    let mut at = 0;
    for phrase in phrases {
        match text[at..].find(phrase) {
            Some(i) => at += i + phrase.len(),
            None => panic!(
                "{phrase:?} not found after byte {at} (or out of order) in:\n{}",
                &text[..text.len().min(3000)]
            ),
        }
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn pandoc_reads_back_the_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let final_doc = write_docx(dir.path(), "tacoma-2021");
    let text = run(
        "pandoc",
        &[
            os("-f"),
            os("docx"),
            os("-t"),
            os("plain"),
            os("--standalone"),
            os("--wrap=none"),
            final_doc.as_os_str(),
        ],
        Duration::from_secs(120),
    );
    assert_in_order(
        &text,
        &[
            // The Title paragraph is read as the document title.
            "School Liaison Officer Agreement",
            "Dated November 18, 2021",
            // Headings as the PDF prints them, in the front matter's case.
            "Recitals",
            // Article numbers are Word numbering, which pandoc does not print.
            "Purpose and Program Goals",
            // A bulleted list item, numbered by Word numbering, not typed.
            "-   keeping students, staff and visitors safe",
            "Appointment and Qualifications",
            "Selection",
            // An ordered list restarts at 1 and counts up.
            "1.  have volunteered for the assignment",
            "2.  be a full-time, sworn law enforcement officer",
            "5.  have no sustained finding",
            // A table: header row, then a cell.
            "School",
            "Officers",
            "District-wide (all schools)",
            "Signatures",
            "Tacoma Public Schools",
            "Name: Joshua Garcia",
            "Title: Superintendent",
        ],
    );
    assert!(text.contains("Name: Mike Ake"), "second signatory");
    // The next ordered list starts again at 1.
    let later = text.find("5.  have no sustained finding").unwrap();
    assert!(text[later..].contains("1.  breaking classroom rules"));

    let draft = write_docx(dir.path(), "kentucky-city-2025");
    let text = run(
        "pandoc",
        &[
            os("-f"),
            os("docx"),
            os("-t"),
            os("plain"),
            os("--wrap=none"),
            draft.as_os_str(),
        ],
        Duration::from_secs(120),
    );
    assert_in_order(&text, &["This Agreement takes effect on [__________] and"]);
}

/// One LibreOffice run converts both documents (a final and a draft): it is slow to
/// start. The PDFs must exist, be PDFs, and show the text with the page fields
/// evaluated.
#[test]
fn libreoffice_prints_both_documents() {
    let dir = tempfile::tempdir().unwrap();
    let final_doc = write_docx(dir.path(), "tacoma-2021");
    let draft = write_docx(dir.path(), "kentucky-city-2025");
    let out = dir.path().join("pdf");
    // A private profile: concurrent runs must not share LibreOffice's lock.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("lo").display()
    );
    run(
        "soffice",
        &[
            os(&profile),
            os("--headless"),
            os("--norestore"),
            os("--convert-to"),
            os("pdf"),
            os("--outdir"),
            out.as_os_str(),
            final_doc.as_os_str(),
            draft.as_os_str(),
        ],
        Duration::from_secs(300),
    );
    for name in ["tacoma-2021", "kentucky-city-2025"] {
        let pdf = out.join(format!("{name}.pdf"));
        let bytes = std::fs::read(&pdf)
            .unwrap_or_else(|e| panic!("LibreOffice wrote no {}: {e}", pdf.display()));
        assert!(bytes.starts_with(b"%PDF-"), "{name}.pdf is not a PDF");
        assert!(bytes.len() > 20_000, "{name}.pdf is suspiciously small");
    }

    // Laid out as on the page, spaces collapsed: how far a list label stands from its
    // text is the layout's business, not the words'.
    let pdftotext = |name: &str| {
        let pdf = out.join(format!("{name}.pdf"));
        let text = run(
            "pdftotext",
            &[os("-layout"), pdf.as_os_str(), os("-")],
            Duration::from_secs(60),
        );
        let mut collapsed = String::with_capacity(text.len());
        for c in text.chars() {
            if !(c == ' ' && collapsed.ends_with(' ')) {
                collapsed.push(c);
            }
        }
        collapsed
    };
    let text = pdftotext("tacoma-2021");
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 5, "{pages} pages");
    assert_in_order(
        &text,
        &[
            "School Liaison Officer Agreement",
            "Article I. Purpose and Program Goals",
            "1. have volunteered for the assignment",
            "District-wide (all schools)",
            "Joshua Garcia",
            &format!("Page {pages} of {pages}"),
        ],
    );
    // Where page 1 ends depends on the fonts LibreOffice substitutes (DejaVu on a bare
    // machine sets wider than Times), so the first footer is checked on its own.
    assert_in_order(&text, &["School Liaison Officer Agreement", "Page 1 of "]);
    // The running header, from page 2 on (the first page has none, as in the PDF).
    let first_page = text.split('\u{c}').next().unwrap();
    assert!(
        !first_page.contains("Agreement — City of Tacoma"),
        "{first_page}"
    );
    assert_in_order(
        &text,
        &[
            "Page 1 of ",
            "School Liaison Officer Agreement — City of Tacoma",
        ],
    );
    assert!(!text.contains("DRAFT"));
    let text = pdftotext("kentucky-city-2025");
    assert_in_order(&text, &["[__________]"]);
    // The watermark is drawn, not text: LibreOffice fills "DRAFT" in the PDF's light
    // grey (222/255) on every page of the draft, and nowhere in the final agreement.
    let fills = |name: &str| {
        let pdf = out.join(format!("{name}.pdf"));
        let qdf = out.join(format!("{name}.qdf.pdf"));
        run(
            "qpdf",
            &[
                os("--qdf"),
                os("--object-streams=disable"),
                pdf.as_os_str(),
                qdf.as_os_str(),
            ],
            Duration::from_secs(60),
        );
        let bytes = std::fs::read(&qdf).unwrap();
        let grey = b"0.8705882352 0.8705882352 0.8705882352 rg";
        bytes.windows(grey.len()).filter(|w| w == grey).count()
    };
    let draft_pages = text.matches('\u{c}').count();
    assert!(
        fills("kentucky-city-2025") >= draft_pages,
        "a watermark on each of {draft_pages} pages"
    );
    assert_eq!(fills("tacoma-2021"), 0);
}

/// Nested lists, quotes, rules, line breaks and emphasis, from Markdown through the
/// real parser, read back by pandoc.
#[test]
fn pandoc_reads_nested_lists_and_inline_styles() {
    let md = "Intro with **bold**, *italic* and ***both***.  \nAfter a break.\n\n\
              1. first\n   1. inner a\n   2. inner b\n2. second\n   - bullet x\n   - bullet y\n3. third\n\n\
              > Quoted text.\n\n---\n\n3. starts at three\n4. four\n";
    let blocks = mou::assemble::parse_markdown(md, Some(1)).unwrap();
    let doc = Document {
        title: "Nested".into(),
        short_title: "Nested".into(),
        parties: vec!["A".into(), "B".into()],
        subtitle: "between A and B".into(),
        date: None,
        date_iso: None,
        draft: false,
        language: "en-US".into(),
        subject: "test".into(),
        redline: None,
        articles: vec![mou::document::Article {
            id: "a".into(),
            version: "1.0.0".into(),
            number: Some(1),
            title: "Lists".into(),
            numbering: Default::default(),
            variant: None,
            redline: None,
            blocks,
        }],
    };
    let opts = WriteOptions {
        date: None,
        pdf_standard: PdfStandard::Ua1,
        esign_anchors: false,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested.docx");
    std::fs::write(&path, docx::render(&doc, &opts).unwrap()).unwrap();
    let md_out = run(
        "pandoc",
        &[
            os("-f"),
            os("docx"),
            os("-t"),
            os("markdown"),
            os("--wrap=none"),
            path.as_os_str(),
        ],
        Duration::from_secs(120),
    );
    assert_in_order(
        &md_out,
        &[
            "# Lists",
            "Intro with **bold**, *italic* and ***both***.\\\nAfter a break.",
            "1.  first",
            "    a.  inner a",
            "    b.  inner b",
            "2.  second",
            "    -   bullet x",
            "    -   bullet y",
            "3.  third",
            "> Quoted text.",
            "3.  starts at three",
            "4.  four",
        ],
    );
}
