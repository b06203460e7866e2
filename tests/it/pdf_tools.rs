//! The PDF of the ten-page fixture agreement, checked with the tools a reader would
//! use: poppler's `pdftotext`, `pdffonts`, `pdfinfo` and `qpdf`. These tests need
//! `poppler-utils` and `qpdf` installed and fail (never skip) without them.

use crate::fixture;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use mou::document::{Block, Document, plain_text};
use mou::render::pdf::{self, PdfOptions, PdfStandard};

fn options() -> PdfOptions {
    PdfOptions {
        standard: PdfStandard::Ua1,
        producer: "mou 0.1.0".to_string(),
        date: mou::date::Date::new(2022, 8, 9),
        esign_anchors: false,
    }
}

/// Write `bytes` to a file in a directory that lives as long as the test binary.
fn write_pdf(name: &str, bytes: &[u8]) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("temporary directory"));
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    path
}

fn fixture_pdf() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let bytes = pdf::render(&fixture::agreement(), &options()).expect("render the fixture");
        write_pdf("agreement.pdf", &bytes)
    })
}

/// Run an external tool; panic with an install hint if it is missing.
fn run(tool: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run `{tool}` ({e}): install poppler-utils and qpdf \
             (apt-get install -y poppler-utils qpdf)"
        )
    });
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temporary path")
}

fn text_of(file: &Path) -> String {
    let (ok, stdout, stderr) = run("pdftotext", &["-enc", "UTF-8", arg(file), "-"]);
    assert!(ok, "pdftotext failed: {stderr}");
    stdout
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Phrases from the document that must come out in this order: the first and last
/// words of every paragraph and list item, and every heading.
fn expected_phrases(doc: &Document) -> Vec<String> {
    fn walk(blocks: &[Block], out: &mut Vec<String>) {
        for block in blocks {
            match block {
                Block::Paragraph(inlines) => {
                    let text = plain_text(inlines);
                    let words: Vec<&str> = text.split_whitespace().collect();
                    let n = words.len();
                    out.push(words[..n.min(6)].join(" "));
                    if n > 10 {
                        out.push(words[n - 4..].join(" "));
                    }
                }
                Block::Heading { number, text, .. } => {
                    out.push(format!(
                        "{} {}",
                        number.clone().unwrap_or_default(),
                        plain_text(text)
                    ));
                }
                Block::List(list) => {
                    for item in &list.items {
                        walk(item, out);
                    }
                }
                Block::Quote(inner) => walk(inner, out),
                Block::Note(inner) => walk(&mou::document::note_blocks(inner), out),
                Block::Table(_) | Block::Signatures(_) | Block::Rule => {}
            }
        }
    }
    let mut out = vec![doc.title.clone(), doc.subtitle.clone()];
    for article in &doc.articles {
        out.push(pdf_heading(article));
        walk(&article.blocks, &mut out);
    }
    out
}

#[test]
fn starts_with_the_pdf_header_and_has_ten_pages() {
    let bytes = std::fs::read(fixture_pdf()).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.7"), "{:?}", &bytes[..8]);
    let (ok, stdout, stderr) = run("qpdf", &["--show-npages", arg(fixture_pdf())]);
    assert!(ok, "{stderr}");
    let pages: usize = stdout.trim().parse().expect("a page count");
    assert!((9..=12).contains(&pages), "{pages} pages");
    let layout_pages = pdf::layout::layout(&fixture::agreement()).pages.len();
    assert_eq!(pages, layout_pages);
}

/// How the PDF heads an article (and names its bookmark): "Article IV. Funding", the
/// title as the clause writes it, as the DOCX does.
fn pdf_heading(article: &mou::document::Article) -> String {
    match article.reference() {
        Some(r) => format!("{r}. {}", article.title),
        None => article.title.clone(),
    }
}

#[test]
fn pdftotext_gives_the_words_in_reading_order() {
    let doc = fixture::agreement();
    let text = text_of(fixture_pdf());
    let squeezed = squeeze(&text);
    let mut from = 0;
    for phrase in expected_phrases(&doc) {
        let needle = squeeze(&phrase);
        match squeezed[from..].find(&needle) {
            Some(at) => from += at + needle.len(),
            None => {
                let found_earlier = squeezed.contains(&needle);
                panic!(
                    "{phrase:?} not found after position {from} (present at all: {found_earlier})"
                );
            }
        }
    }
    // Table cells, blanks, signature blocks and page furniture are all there.
    for needle in [
        "King Philip Middle School",
        "$127,400.00",
        "[__________]",
        "Name: Andrew Morrow",
        "Title: Chief of Police",
        "Page 1 of",
        "SRO Agreement — West Hartford",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} missing from the extracted text"
        );
    }
}

#[test]
fn qpdf_check_is_clean() {
    let (ok, stdout, stderr) = run("qpdf", &["--check", arg(fixture_pdf())]);
    assert!(ok, "qpdf --check failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("No syntax or stream encoding errors found"),
        "{stdout}"
    );
    assert!(!stderr.contains("WARNING"), "{stderr}");
}

#[test]
fn fonts_are_embedded_and_subset() {
    let (ok, stdout, stderr) = run("pdffonts", &[arg(fixture_pdf())]);
    assert!(ok, "{stderr}");
    let rows: Vec<&str> = stdout
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(
        rows.len() >= 3,
        "expected regular, bold and italic:\n{stdout}"
    );
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... encoding emb sub uni object-id gen
        let n = cols.len();
        let (emb, sub, uni) = (cols[n - 5], cols[n - 4], cols[n - 3]);
        assert_eq!((emb, sub, uni), ("yes", "yes", "yes"), "{row}");
        let name = cols[0];
        assert!(name.contains("+LiberationSerif"), "{row}");
        assert_eq!(name.find('+'), Some(6), "subset tag on {name}");
    }
}

#[test]
fn metadata_and_page_size() {
    let (ok, stdout, stderr) = run("pdfinfo", &["-isodates", arg(fixture_pdf())]);
    assert!(ok, "{stderr}");
    let field = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {name} in\n{stdout}"))
    };
    let doc = fixture::agreement();
    assert_eq!(field("Title"), doc.title);
    assert_eq!(field("Author"), doc.parties.join(", "));
    assert_eq!(field("Subject"), doc.subject);
    assert_eq!(field("Producer"), "mou 0.1.0");
    assert!(
        field("CreationDate").starts_with("2022-08-09"),
        "{}",
        field("CreationDate")
    );
    assert_eq!(field("Tagged"), "yes");
    assert!(
        field("Page size").starts_with("612 x 792 pts"),
        "{}",
        field("Page size")
    );
}

#[test]
fn one_bookmark_per_article_with_sections_nested() {
    let (ok, stdout, stderr) = run(
        "qpdf",
        &["--json", "--json-key=outlines", arg(fixture_pdf())],
    );
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("qpdf JSON");
    let outlines = json["outlines"].as_array().expect("outlines");
    let doc = fixture::agreement();
    let titles: Vec<&str> = outlines
        .iter()
        .filter_map(|o| o["title"].as_str())
        .collect();
    let headings: Vec<String> = doc.articles.iter().map(pdf_heading).collect();
    assert_eq!(titles, headings);
    let duties = outlines
        .iter()
        .find(|o| o["title"] == "Article III. Duties of the Officer")
        .unwrap();
    let kids: Vec<&str> = duties["kids"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["title"].as_str())
        .collect();
    assert_eq!(kids, ["3.1 Role", "3.2 Responsibilities", "3.3 Limits"]);
    // Destinations point at real pages, in order.
    let pages: Vec<i64> = outlines
        .iter()
        .map(|o| o["destpageposfrom1"].as_i64().unwrap())
        .collect();
    assert!(pages.windows(2).all(|w| w[0] <= w[1]), "{pages:?}");
    assert_eq!(pages[0], 1);
}

#[test]
fn structure_tree_and_standards_are_declared() {
    let bytes = std::fs::read(fixture_pdf()).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(
        raw.contains("pdfuaid:part"),
        "PDF/UA identification missing"
    );
    assert!(raw.contains("/StructTreeRoot"));
    assert!(raw.contains("/Lang"));
    // The tag tree uses the standard roles (object streams may hide them, so look
    // through qpdf's uncompressed view).
    let (ok, stdout, stderr) = run("qpdf", &["--json", "--json-key=qpdf", arg(fixture_pdf())]);
    assert!(ok, "{stderr}");
    for role in [
        "/H1", "/H2", "/P", "/L", "/LI", "/Lbl", "/LBody", "/Table", "/TR", "/TH", "/TD",
    ] {
        assert!(
            stdout.contains(&format!("\"/S\": \"{role}\"")),
            "no {role} structure element"
        );
    }
}

#[test]
fn draft_watermark_is_an_artifact_and_not_text() {
    let bytes = pdf::render(&fixture::draft_agreement(), &options()).expect("render the draft");
    let path = write_pdf("draft.pdf", &bytes);
    let text = text_of(&path);
    assert!(
        !text.contains("DRAFT"),
        "the watermark must not be extractable text"
    );
    let qdf = path.with_extension("qdf.pdf");
    let (ok, _, stderr) = run(
        "qpdf",
        &["--qdf", "--object-streams=disable", arg(&path), arg(&qdf)],
    );
    assert!(ok, "{stderr}");
    let raw = std::fs::read(&qdf).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    let pages = pdf::layout::layout(&fixture::draft_agreement()).pages.len();
    assert_eq!(
        raw.matches("/Subtype/Watermark").count(),
        pages,
        "one watermark artifact per page"
    );
    let (ok, _, stderr) = run("qpdf", &["--check", arg(&path)]);
    assert!(ok, "{stderr}");
}

#[test]
fn pdf_a2b_is_written_and_valid() {
    let opts = PdfOptions {
        standard: PdfStandard::A2b,
        ..options()
    };
    let bytes = pdf::render(&fixture::agreement(), &opts).expect("render PDF/A-2b");
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("pdfaid:part"), "PDF/A identification missing");
    assert!(
        raw.contains("pdfaid:conformance"),
        "PDF/A conformance missing"
    );
    assert!(
        raw.contains("/OutputIntents"),
        "PDF/A needs an output intent"
    );
    let path = write_pdf("archival.pdf", &bytes);
    let (ok, stdout, stderr) = run("qpdf", &["--check", arg(&path)]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(text_of(&path).contains("XVII. Miscellaneous"));
}
