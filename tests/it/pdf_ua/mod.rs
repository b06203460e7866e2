//! PDF/UA-1 (and PDF/A-2b) structure of our PDFs, read back with lopdf.
//!
//! The writer used to be krilla, which validated PDF/UA-1 as it wrote. The writer on
//! pdf-writer validates nothing, so these tests check the machine-checkable conditions
//! of the Matterhorn protocol that an agreement can break: catalog and metadata, pages,
//! marked content, the parent tree, the structure tree, fonts and, for PDF/A-2b, the
//! output intent and identification. Every check collects all the problems of a file,
//! each naming its page or object, so one failing run shows the whole damage.

use crate::common;
use crate::fixture;

use common::{article, bare, text};

mod catalog;
mod content;
mod fonts;
mod objects;
mod pdfa;
mod random;
mod structure;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use lopdf::{Dictionary, Object, ObjectId};
use mou::document::{Align, Block, Document, List, Run, Signatory, Style, Table};
use mou::render::pdf::{self, PdfOptions, PdfStandard};

use catalog::{check_catalog, check_pages};
use content::check_content;
use fonts::{check_all_fonts, check_page_text, parse_to_unicode};
use pdfa::{check_pdfa2b, check_watermark};
use structure::check_structure;

/// A parsed PDF: lopdf's document plus, by page index, the page object ids.
struct Pdf {
    label: String,
    doc: lopdf::Document,
    pages: Vec<ObjectId>,
}

/// What [`check_ua`] learned about a file besides its problems.
#[derive(Default)]
struct Report {
    /// Every broken rule, each naming the file and its page or object.
    problems: Vec<String>,
    /// Heading levels (1–6) in document order.
    headings: Vec<u8>,
    /// How many elements have each standard role (after role mapping).
    roles: BTreeMap<String, usize>,
    /// By page: the content's marked-content analysis.
    pages: Vec<PageContent>,
    /// By page: the shown text, decoded through each font's `/ToUnicode`.
    text: Vec<String>,
}

/// The marked content of one page.
#[derive(Default)]
struct PageContent {
    /// MCID → the tag of its sequence.
    mcids: BTreeMap<i64, String>,
    /// Text shown: (font resource name, string bytes).
    shown: Vec<(Vec<u8>, Vec<u8>)>,
    /// Paths painted inside a `/Subtype /Watermark` artifact.
    watermark_paints: usize,
    /// Text-showing operators inside a `/Subtype /Watermark` artifact.
    watermark_texts: usize,
    /// Marked-content sequences that are watermark artifacts.
    watermark_sequences: usize,
}

fn options(standard: PdfStandard) -> PdfOptions {
    PdfOptions {
        standard,
        producer: "mou test".into(),
        date: mou::date::Date::new(2022, 8, 9),
        esign_anchors: false,
    }
}

fn render(doc: &Document, standard: PdfStandard) -> Vec<u8> {
    pdf::render(doc, &options(standard)).unwrap_or_else(|e| panic!("render {standard:?}: {e}"))
}

fn load(label: &str, bytes: &[u8]) -> Pdf {
    let doc = lopdf::Document::load_mem(bytes)
        .unwrap_or_else(|e| panic!("{label}: lopdf cannot read the PDF: {e}"));
    let pages = doc.get_pages().into_values().collect();
    Pdf {
        label: label.to_string(),
        doc,
        pages,
    }
}

/// Fail with every problem found (the first 60 of them, and how many there were).
fn assert_clean(label: &str, problems: &[String]) {
    if problems.is_empty() {
        return;
    }
    let shown: Vec<&str> = problems.iter().take(60).map(String::as_str).collect();
    panic!(
        "{label}: {} PDF/UA problem(s):\n  {}{}",
        problems.len(),
        shown.join("\n  "),
        if problems.len() > shown.len() {
            "\n  …"
        } else {
            ""
        }
    );
}

// ---------------------------------------------------------------------------------
// All of PDF/UA, and PDF/A-2b

/// Checks 1–6: everything PDF/UA-1 asks of a file we write.
fn check_ua(pdf: &Pdf) -> Report {
    let mut report = Report::default();
    let label = &pdf.label;
    if pdf.pages.is_empty() {
        report.problems.push("no pages".into());
    }
    check_catalog(pdf, &mut report.problems);
    let keys = check_pages(pdf, &mut report.problems);
    let contents: Vec<PageContent> = (0..pdf.pages.len())
        .map(|i| check_content(pdf, i, &mut report.problems))
        .collect();
    check_structure(pdf, &keys, &contents, &mut report);
    let mut fonts = HashMap::new();
    check_all_fonts(pdf, &mut fonts, &mut report.problems);
    for (i, content) in contents.iter().enumerate() {
        let text = check_page_text(pdf, i, content, &mut fonts, &mut report.problems);
        report.text.push(text);
        if content.watermark_texts > 0 {
            report.problems.push(format!(
                "page {}: {} text operator(s) inside a watermark artifact",
                i + 1,
                content.watermark_texts
            ));
        }
    }
    report.pages = contents;
    for p in &mut report.problems {
        *p = format!("{label}: {p}");
    }
    report
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---------------------------------------------------------------------------------
// Tests

#[test]
fn the_fixture_agreement_is_pdf_ua() {
    let doc = fixture::agreement();
    let pdf = load("fixture agreement", &render(&doc, PdfStandard::Ua1));
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    assert_eq!(pdf.pages.len(), pdf::layout::layout(&doc).pages.len());

    // The checks above saw what they were meant to check.
    assert!(
        report.headings.iter().filter(|&&h| h == 1).count() >= doc.articles.len() - 1,
        "one H1 per article expected, headings {:?}",
        report.headings
    );
    assert!(report.headings.contains(&2), "{:?}", report.headings);
    for role in [
        "Document", "Sect", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD",
    ] {
        assert!(
            report.roles.contains_key(role),
            "no /{role} in {:?}",
            report.roles
        );
    }
    for (i, page) in report.pages.iter().enumerate() {
        assert!(!page.mcids.is_empty(), "page {}: no tagged content", i + 1);
        assert!(!page.shown.is_empty(), "page {}: no text", i + 1);
    }
    let text = squeeze(&report.text.concat());
    for phrase in [
        doc.title.as_str(),
        "King Philip Middle School",
        "$127,400.00",
    ] {
        assert!(
            text.contains(&squeeze(phrase)),
            "{phrase:?} is not in the text the ToUnicode maps give"
        );
    }
    assert_clean(&pdf.label, &check_watermark(&pdf, &report, false));
}

#[test]
fn the_draft_watermark_is_an_artifact_and_not_text() {
    let pdf = load(
        "fixture draft",
        &render(&fixture::draft_agreement(), PdfStandard::Ua1),
    );
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    assert_clean(&pdf.label, &check_watermark(&pdf, &report, true));
    // The text is decoded (so "DRAFT" would have been seen were it text).
    let text = squeeze(&report.text.concat());
    assert!(
        text.contains("SchoolResourceOfficerAgreement"),
        "{text:.200}"
    );
}

#[test]
fn the_fixture_as_pdf_a2b_is_also_pdf_ua() {
    let pdf = load(
        "fixture PDF/A-2b",
        &render(&fixture::agreement(), PdfStandard::A2b),
    );
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    assert_clean(&pdf.label, &check_pdfa2b(&pdf));
}

#[test]
fn a_plain_ua1_file_is_not_taken_for_pdf_a() {
    // The PDF/A check must tell the two standards apart.
    let pdf = load(
        "fixture PDF/UA-1",
        &render(&fixture::agreement(), PdfStandard::Ua1),
    );
    let problems = check_pdfa2b(&pdf);
    for needle in ["GTS_PDFA1", "pdfaid:part 2", "pdfaid:conformance B"] {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "a PDF/UA-1-only file passed the PDF/A {needle} check: {problems:?}"
        );
    }
}

/// `mou build profiles -f pdf --pdf-standard <standard>` into a fresh folder: the
/// folder (kept alive) and, for each profile, its name and PDF.
fn build_profiles(standard: &str) -> (tempfile::TempDir, Vec<(String, PathBuf)>) {
    let dir = tempfile::tempdir().expect("temporary directory");
    common::mou()
        .args([
            "build",
            "profiles",
            "-q",
            "-f",
            "pdf",
            "--pdf-standard",
            standard,
            "-o",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let mut profiles: Vec<String> = std::fs::read_dir(common::repo().join("profiles"))
        .expect("profiles folder")
        .map(|e| {
            e.expect("profile entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".toml"))
        .collect();
    profiles.sort();
    assert!(!profiles.is_empty(), "no example profiles");
    let built = profiles
        .into_iter()
        .map(|profile| {
            let pdf = dir.path().join(profile.replace(".toml", ".pdf"));
            assert!(pdf.is_file(), "{profile}: no {}", pdf.display());
            (profile, pdf)
        })
        .collect();
    (dir, built)
}

fn check_profiles(standard: &str) {
    let (_dir, built) = build_profiles(standard);
    let mut problems = Vec::new();
    let mut drafts = 0;
    for (profile, path) in &built {
        let bytes = std::fs::read(path).expect("read the built PDF");
        let pdf = load(&format!("{profile} ({standard})"), &bytes);
        let report = check_ua(&pdf);
        problems.extend(report.problems.iter().cloned());
        if report.headings.is_empty() {
            problems.push(format!("{}: no headings at all", pdf.label));
        }
        let draft = common::example_document(profile).draft;
        drafts += usize::from(draft);
        problems.extend(check_watermark(&pdf, &report, draft));
        if standard == "a2b" {
            problems.extend(check_pdfa2b(&pdf));
        }
    }
    assert!(drafts > 0, "no draft among the example profiles to check");
    assert_clean(&format!("example profiles ({standard})"), &problems);
}

#[test]
fn the_example_profiles_built_by_the_cli_are_pdf_ua() {
    check_profiles("ua1");
}

#[test]
fn the_example_profiles_built_as_pdf_a2b_are_pdf_a_and_ua() {
    check_profiles("a2b");
}

#[test]
fn a_redline_built_by_the_cli_is_pdf_ua() {
    // Insertions underlined, deletions struck through, change bars in the margin.
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("red.pdf");
    common::mou()
        .args([
            "diff",
            "profiles/tehachapi-2017.toml",
            "profiles/tehachapi-2018.toml",
            "-f",
            "pdf",
            "-o",
        ])
        .arg(&path)
        .assert()
        .success();
    let pdf = load("redline", &std::fs::read(&path).expect("read the redline"));
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    let text = squeeze(&report.text.concat());
    assert!(text.contains("$3,500,000.00"), "the inserted limit is text");
}

#[test]
fn odd_text_and_empty_blocks_stay_pdf_ua() {
    let long_word = "x".repeat(400);
    let blank = Run {
        text: String::new(),
        style: Style {
            blank: true,
            ..Style::default()
        },
        xref: None,
    };
    let doc = bare(vec![
        article(
            Some(1),
            "Odd text",
            vec![
                Block::Paragraph(text(
                    "Greek Ελλάδα, Cyrillic Москва, a soft\u{00AD}hyphen, a tab\there, a NUL \
                     \u{0}, a BOM \u{feff}, ligatures ffi fl, combining e\u{301} and \u{2014} \
                     dashes. (Emoji and CJK have no glyph: the writer refuses them.)",
                )),
                Block::Paragraph(text(&long_word)),
                Block::Paragraph(vec![]),
                Block::Paragraph(vec![Run::plain("   ")]),
                Block::Paragraph(vec![Run::plain("Value: "), blank]),
                Block::List(List {
                    start: Some(98),
                    items: vec![
                        vec![],
                        vec![Block::Paragraph(text("ninety-nine"))],
                        vec![Block::Rule],
                    ],
                }),
                Block::List(List {
                    start: None,
                    items: vec![],
                }),
                Block::Quote(vec![]),
                Block::Rule,
            ],
        ),
        article(
            None,
            "",
            vec![
                Block::Table(Table {
                    header: vec![],
                    rows: vec![vec![text("only"), vec![]], vec![], vec![text(&long_word)]],
                    align: vec![],
                }),
                Block::Table(Table {
                    header: vec![text("A"), text("B")],
                    rows: vec![],
                    align: vec![Align::Center, Align::Right, Align::Left],
                }),
                Block::Signatures(vec![]),
                Block::Signatures(vec![Signatory {
                    party: long_word.clone(),
                    name: String::new(),
                    title: String::new(),
                    date: Some(String::new()),
                    role: Default::default(),
                    statement: None,
                }]),
            ],
        ),
    ]);
    for standard in [PdfStandard::Ua1, PdfStandard::A2b] {
        let pdf = load(&format!("odd text ({standard:?})"), &render(&doc, standard));
        let report = check_ua(&pdf);
        assert_clean(&pdf.label, &report.problems);
        assert_clean(&pdf.label, &check_watermark(&pdf, &report, true));
        if standard == PdfStandard::A2b {
            assert_clean(&pdf.label, &check_pdfa2b(&pdf));
        }
    }
}

#[test]
fn a_document_without_articles_is_pdf_ua() {
    let pdf = load("no articles", &render(&bare(vec![]), PdfStandard::Ua1));
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    assert!(
        report.roles.contains_key("H1"),
        "the title is tagged as a heading: {:?}",
        report.roles
    );
}

#[test]
fn a_table_across_pages_keeps_its_tags() {
    let rows = (1..=150)
        .map(|i| {
            vec![
                text(&format!("Row {i}")),
                text("a cell that is long enough to wrap in a narrow column, twice over"),
            ]
        })
        .collect();
    let doc = bare(vec![article(
        Some(1),
        "Schedule",
        vec![Block::Table(Table {
            header: vec![text("Number"), text("Description")],
            rows,
            align: vec![Align::Right, Align::Left],
        })],
    )]);
    let pdf = load("long table", &render(&doc, PdfStandard::Ua1));
    assert!(pdf.pages.len() >= 4, "{} pages", pdf.pages.len());
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    // The header row repeated on later pages is drawn as an artifact: the table is
    // still one header row of two TH and 150 rows of two TD.
    let count = |role: &str| report.roles.get(role).copied().unwrap_or(0);
    assert_eq!(
        (count("Table"), count("TR"), count("TH"), count("TD")),
        (1, 151, 2, 300),
        "{:?}",
        report.roles
    );
}

#[test]
fn a_clause_section_heading_is_one_level_below_its_article() {
    // What the assembler makes of a clause's `### Heading` (src/assemble/parse.rs):
    // a level-2 heading directly under the article's H1.
    let doc = bare(vec![article(
        Some(1),
        "Deep",
        vec![
            Block::Heading {
                level: 2,
                number: Some("1.1".to_string()),
                text: text("A deep heading"),
            },
            Block::Paragraph(text("Body text.")),
        ],
    )]);
    let pdf = load("section heading", &render(&doc, PdfStandard::Ua1));
    let report = check_ua(&pdf);
    // The title (H1), the article (H1), its section (H2).
    assert_eq!(report.headings.len(), 3, "{:?}", report.headings);
    assert_clean(&pdf.label, &report.problems);
}

// ---------------------------------------------------------------------------------
// The checks themselves catch what they are for.

#[test]
fn the_content_check_catches_untagged_and_misnested_content() {
    let page = |ops: &str| {
        let mut problems = Vec::new();
        let mut doc = lopdf::Document::with_version("1.7");
        let stream = doc.add_object(lopdf::Stream::new(
            Dictionary::new(),
            ops.as_bytes().to_vec(),
        ));
        let pages_id = doc.new_object_id();
        let page_id = doc.add_object(lopdf::dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => stream
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(lopdf::dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1
            }),
        );
        let catalog =
            doc.add_object(lopdf::dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let pdf = Pdf {
            label: "test".into(),
            pages: vec![page_id],
            doc,
        };
        check_content(&pdf, 0, &mut problems);
        problems.join("\n")
    };
    let good = "/P <</MCID 0>> BDC BT /F0 12 Tf (a) Tj ET EMC \
                /Artifact <</Type/Pagination>> BDC 0 0 1 1 re f EMC";
    assert_eq!(page(good), "");
    assert!(page("0 0 1 1 re f").contains("neither tagged"));
    assert!(page("BT /F0 12 Tf (a) Tj ET").contains("neither tagged"));
    assert!(page("/P <</MCID 0>> BDC BT ET").contains("left open"));
    assert!(page("/P <</MCID 0>> BDC BT 0 0 1 1 re f ET EMC").contains("inside a text object"));
    assert!(page("q Q Q").contains("Q without q"));
    assert!(page("/P <</MCID 0>> BDC BT EMC ET").contains("opened outside"));
    assert!(page("/P <</MCID 0>> BDC EMC /P <</MCID 0>> BDC EMC").contains("used twice"));
    assert!(page("/Artifact <<>> BDC /P <</MCID 0>> BDC EMC EMC").contains("inside an artifact"));
    assert!(
        page("/Artifact <</Subtype/Watermark>> BDC BT /F0 9 Tf (D) Tj ET EMC").is_empty(),
        "text in a watermark is counted, not a content problem"
    );
}

#[test]
fn the_to_unicode_parser_reads_chars_and_ranges() {
    let cmap = "1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                2 beginbfchar\n<0001> <0041>\n<0002> <00660069>\nendbfchar\n\
                1 beginbfrange\n<0010> <0012> <0061>\nendbfrange\n\
                1 beginbfrange\n<0020> <0021> [<0078> <D83DDE00>]\nendbfrange\n";
    let mut problems = Vec::new();
    let map = parse_to_unicode(cmap, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(map.get(&1).map(String::as_str), Some("A"));
    assert_eq!(map.get(&2).map(String::as_str), Some("fi"));
    assert_eq!(map.get(&0x12).map(String::as_str), Some("c"));
    assert_eq!(map.get(&0x21).map(String::as_str), Some("😀"));
    assert_eq!(map.get(&0x13), None);
}

/// The problems [`check_ua`] finds in the fixture agreement after `break_it` has
/// changed it: the checks run on a real file of ours, not only on hand-made content.
fn problems_after(break_it: impl FnOnce(&mut lopdf::Document)) -> String {
    let bytes = render(&fixture::agreement(), PdfStandard::Ua1);
    let mut doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads the fixture");
    break_it(&mut doc);
    let pages = doc.get_pages().into_values().collect();
    let pdf = Pdf {
        label: "broken".into(),
        doc,
        pages,
    };
    check_ua(&pdf).problems.join("\n")
}

/// The id of the first object that is a dictionary satisfying `pred`.
fn find(doc: &lopdf::Document, pred: impl Fn(&Dictionary) -> bool) -> ObjectId {
    doc.objects
        .iter()
        .find_map(|(&id, o)| o.as_dict().ok().filter(|d| pred(d)).map(|_| id))
        .expect("an object to break")
}

fn is(d: &Dictionary, key: &[u8], value: &[u8]) -> bool {
    d.get(key).and_then(Object::as_name).ok() == Some(value)
}

fn set(doc: &mut lopdf::Document, id: ObjectId, key: &str, value: impl Into<Object>) {
    doc.get_dictionary_mut(id)
        .expect("a dictionary")
        .set(key, value);
}

/// A change that breaks one rule.
type Breakage = Box<dyn FnOnce(&mut lopdf::Document)>;

#[test]
fn the_checks_catch_broken_files() {
    assert_eq!(problems_after(|_| {}), "", "the unbroken fixture must pass");
    let cases: Vec<(&str, Breakage)> = vec![
        (
            "no /MarkInfo",
            Box::new(|d| {
                d.catalog_mut().unwrap().remove(b"MarkInfo");
            }),
        ),
        (
            "/Lang is empty",
            Box::new(|d| {
                d.catalog_mut()
                    .unwrap()
                    .set("Lang", Object::string_literal(""))
            }),
        ),
        (
            "/Tabs is not /S",
            Box::new(|d| {
                let page = d.page_iter().next().unwrap();
                set(d, page, "Tabs", "R");
            }),
        ),
        (
            "is also page 1's",
            Box::new(|d| {
                let page = d.page_iter().nth(1).unwrap();
                set(d, page, "StructParents", 0);
            }),
        ),
        (
            "not a standard role",
            Box::new(|d| {
                let p = find(d, |e| is(e, b"S", b"P"));
                set(d, p, "S", "Paragraph");
            }),
        ),
        (
            "/P is",
            Box::new(|d| {
                let p = find(d, |e| is(e, b"S", b"LI"));
                let other = find(d, |e| is(e, b"S", b"Table"));
                set(d, p, "P", other);
            }),
        ),
        (
            "/Scope",
            Box::new(|d| {
                let th = find(d, |e| is(e, b"S", b"TH"));
                d.get_dictionary_mut(th).unwrap().remove(b"A");
            }),
        ),
        (
            "/ListNumbering",
            Box::new(|d| {
                let l = find(d, |e| is(e, b"S", b"L"));
                d.get_dictionary_mut(l).unwrap().remove(b"A");
            }),
        ),
        (
            "but no structure element has it as a kid",
            Box::new(|d| {
                let p = find(d, |e| is(e, b"S", b"P") && e.has(b"Pg"));
                set(d, p, "K", Vec::<Object>::new());
            }),
        ),
        (
            "has no /ToUnicode mapping",
            Box::new(|d| {
                let font = find(d, |f| is(f, b"Subtype", b"Type0"));
                let cmap = d.get_dictionary(font).unwrap().get(b"ToUnicode").unwrap();
                let cmap = cmap.as_reference().unwrap();
                let empty = b"begincodespacerange <0000> <FFFF> endcodespacerange".to_vec();
                d.objects
                    .insert(cmap, lopdf::Stream::new(Dictionary::new(), empty).into());
            }),
        ),
        (
            "has no /W width",
            Box::new(|d| {
                let cid = find(d, |f| is(f, b"Subtype", b"CIDFontType2"));
                set(d, cid, "W", Vec::<Object>::new());
            }),
        ),
        (
            "/BaseFont has no ABCDEF+ subset tag",
            Box::new(|d| {
                let font = find(d, |f| is(f, b"Subtype", b"Type0"));
                set(d, font, "BaseFont", "LiberationSerif");
            }),
        ),
        (
            "neither tagged (MCID) nor an artifact",
            Box::new(|d| {
                let page = d.page_iter().next().unwrap();
                let mut content = d.get_page_content(page);
                content.extend_from_slice(b"\n0 0 10 10 re f\n");
                let stream = d.add_object(lopdf::Stream::new(Dictionary::new(), content));
                set(d, page, "Contents", stream);
            }),
        ),
        (
            "follows H1",
            Box::new(|d| {
                let h2 = find(d, |e| is(e, b"S", b"H2"));
                set(d, h2, "S", "H3");
            }),
        ),
        (
            "/ParentTreeNextKey",
            Box::new(|d| {
                let root = find(d, |r| is(r, b"Type", b"StructTreeRoot"));
                set(d, root, "ParentTreeNextKey", 1);
            }),
        ),
    ];
    for (expected, break_it) in cases {
        let problems = problems_after(break_it);
        assert!(
            problems.contains(expected),
            "breaking the file for {expected:?} went unnoticed; problems:\n{problems}"
        );
    }
}
