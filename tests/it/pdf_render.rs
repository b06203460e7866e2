//! In-process checks of the PDF writer: determinism, options, and awkward input.

use crate::common;
use crate::fixture;

use common::{article, bare, text};
use mou::document::{Align, Block, List, Run, Signatory, Style, Table};
use mou::render::pdf::{self, PdfOptions, PdfStandard};

fn options() -> PdfOptions {
    PdfOptions {
        standard: PdfStandard::Ua1,
        producer: "mou 0.1.0".to_string(),
        date: mou::date::Date::new(2022, 8, 9),
        esign_anchors: false,
    }
}

#[test]
fn renders_are_byte_identical_in_sequence_and_in_parallel() {
    let doc = fixture::agreement();
    let first = pdf::render(&doc, &options()).unwrap();
    assert!(first.starts_with(b"%PDF-"));
    let second = pdf::render(&doc, &options()).unwrap();
    assert!(first == second, "two renders in one process differ");

    let draft = fixture::draft_agreement();
    let draft_bytes = pdf::render(&draft, &options()).unwrap();
    let results: Vec<(Vec<u8>, Vec<u8>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    (
                        pdf::render(&doc, &options()).unwrap(),
                        pdf::render(&draft, &options()).unwrap(),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (final_bytes, draft_again) in results {
        assert!(final_bytes == first, "a render on another thread differs");
        assert!(
            draft_again == draft_bytes,
            "a draft render on another thread differs"
        );
    }
    assert!(first != draft_bytes);
}

#[test]
fn the_date_comes_from_the_options_only() {
    let doc = fixture::agreement();
    let undated = pdf::render(
        &doc,
        &PdfOptions {
            date: None,
            ..options()
        },
    )
    .unwrap();
    let raw = String::from_utf8_lossy(&undated);
    assert!(
        !raw.contains("/CreationDate"),
        "no date given, none written"
    );
    let dated = pdf::render(&doc, &options()).unwrap();
    let raw = String::from_utf8_lossy(&dated);
    assert!(raw.contains("/CreationDate (D:20220809"), "info dictionary");
    assert!(raw.contains("<xmp:CreateDate>2022-08-09T"), "XMP metadata");
}

#[test]
fn pdf_a2b_needs_a_date() {
    let opts = PdfOptions {
        standard: PdfStandard::A2b,
        date: None,
        ..options()
    };
    let err = pdf::render(&fixture::agreement(), &opts).unwrap_err();
    assert!(err.to_string().contains("date"), "{err}");
}

#[test]
fn default_options_are_ua1_without_a_date() {
    let opts = PdfOptions::default();
    assert_eq!(opts.standard, PdfStandard::Ua1);
    assert_eq!(opts.date, None);
    assert!(opts.producer.starts_with("mou "));
}

#[test]
fn a_document_without_articles_still_renders() {
    let bytes = pdf::render(&bare(vec![]), &options()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
}

#[test]
fn awkward_input_renders_without_notdef_glyphs_or_panics() {
    let long_word = "x".repeat(400);
    let blank = Run {
        text: String::new(),
        style: Style {
            blank: true,
            ..Style::default()
        },
        xref: None,
    };
    let line_break = Run {
        text: String::new(),
        style: Style {
            line_break: true,
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
                    "A soft\u{00AD}hyphen, a tab\there, a NUL \u{0} and a BOM \u{feff}.",
                )),
                Block::Paragraph(text(&long_word)),
                Block::Paragraph(vec![]),
                Block::Paragraph(vec![Run::plain("   ")]),
                Block::Paragraph(vec![
                    line_break.clone(),
                    line_break.clone(),
                    Run::plain("after breaks"),
                ]),
                Block::Paragraph(vec![Run::plain("Value: "), blank]),
                Block::Heading {
                    level: 4,
                    number: None,
                    text: text("A deep heading"),
                },
                Block::Heading {
                    level: 1,
                    number: Some("1.1".to_string()),
                    text: vec![],
                },
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
                Block::Table(Table {
                    header: vec![],
                    rows: vec![],
                    align: vec![],
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
        let opts = PdfOptions {
            standard,
            ..options()
        };
        let bytes = pdf::render(&doc, &opts).unwrap_or_else(|e| panic!("{standard:?}: {e}"));
        assert!(bytes.starts_with(b"%PDF-"));
    }
    // Emoji and CJK have no glyph: refused (issue #19, defect 6), never a "?" or a box.
    let mut odd = doc.clone();
    odd.articles[0]
        .blocks
        .push(Block::Paragraph(text("Emoji 😀, CJK 合同.")));
    let e = pdf::render(&odd, &options()).unwrap_err();
    assert!(e.to_string().contains("😀 (U+1F600), 合 (U+5408)"), "{e}");
}

#[test]
fn a_long_table_spans_pages() {
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
    let layout = pdf::layout::layout(&doc);
    assert!(layout.pages.len() >= 4);
    let bytes = pdf::render(&doc, &options()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
}
