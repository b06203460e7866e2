//! Random documents through the PDF writer: whatever the mix of blocks, styles and
//! characters, the file must come out PDF/UA (and PDF/A-2b) by every check here.

use mou::document::{Align, Article, Block, Change, Document, List, Run, Signatory, Style, Table};
use mou::render::pdf::PdfStandard;
use proptest::prelude::*;

use super::pdfa::check_pdfa2b;
use super::{assert_clean, check_ua, load, render};

/// Words that stress the writer: plain, accented, punctuation that PDF strings escape,
/// other scripts the faces have (Greek, Cyrillic), invisible and control characters.
/// (Characters outside the faces, emoji or CJK, make the writer refuse the document:
/// `tests/it/glyphs.rs`.)
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-zA-Z]{1,12}",
        2 => "[0-9$%,.]{1,8}",
        1 => Just("(paren)".to_string()),
        1 => Just("back\\slash".to_string()),
        1 => Just("§ 10-233m — “quoted” café".to_string()),
        1 => Just("Ελλάδα Москва ½ €".to_string()),
        1 => Just("soft\u{ad}hyphen\tTab\u{0}nul\u{feff}".to_string()),
    ]
}

fn run() -> impl Strategy<Value = Run> {
    (
        prop::collection::vec(word(), 0..12),
        any::<(bool, bool, bool)>(),
        0u8..3,
    )
        .prop_map(|(words, (bold, italic, blank), change)| Run {
            text: if blank {
                String::new()
            } else {
                words.join(" ")
            },
            style: Style {
                bold,
                italic,
                blank,
                line_break: false,
                change: match change {
                    0 => Change::Unchanged,
                    1 => Change::Inserted,
                    _ => Change::Deleted,
                },
            },
            xref: None,
        })
}

fn inlines() -> impl Strategy<Value = Vec<Run>> {
    prop::collection::vec(run(), 0..4)
}

fn block() -> impl Strategy<Value = Block> {
    let leaf = prop_oneof![
        4 => inlines().prop_map(Block::Paragraph),
        1 => (inlines(), any::<u8>()).prop_map(|(text, n)| Block::Heading {
            level: 2,
            number: Some(format!("1.{n}")),
            text,
        }),
        1 => (
            prop::collection::vec(inlines(), 0..4),
            prop::collection::vec(prop::collection::vec(inlines(), 0..4), 0..6),
        )
            .prop_map(|(header, rows)| Block::Table(Table {
                header,
                rows,
                align: vec![Align::Left, Align::Right, Align::Center],
            })),
        1 => prop::collection::vec("[A-Za-z ]{0,30}", 0..3).prop_map(|parties| {
            Block::Signatures(
                parties
                    .into_iter()
                    .map(|party| Signatory {
                        party,
                        name: "A. Name".to_string(),
                        title: String::new(),
                        date: None,
                        role: Default::default(),
                        statement: None,
                    })
                    .collect(),
            )
        }),
        1 => Just(Block::Rule),
    ];
    leaf.prop_recursive(2, 24, 4, |inner| {
        prop_oneof![
            (
                prop::option::of(0u64..200),
                prop::collection::vec(prop::collection::vec(inner.clone(), 0..3), 0..4),
            )
                .prop_map(|(start, items)| Block::List(List { start, items })),
            prop::collection::vec(inner, 0..3).prop_map(Block::Quote),
        ]
    })
}

fn document() -> impl Strategy<Value = Document> {
    (
        prop::collection::vec(
            (
                prop::option::of(1u32..40),
                "[A-Za-z ]{0,40}",
                prop::collection::vec(block(), 0..7),
            ),
            0..5,
        ),
        any::<bool>(),
    )
        .prop_map(|(articles, draft)| Document {
            title: "Agreement".to_string(),
            short_title: "Short".to_string(),
            parties: vec!["A District".to_string(), "A Department".to_string()],
            subtitle: String::new(),
            date: Some("August 9, 2022".to_string()),
            date_iso: None,
            draft,
            language: String::new(),
            subject: String::new(),
            articles: articles
                .into_iter()
                .enumerate()
                .map(|(i, (number, title, blocks))| Article {
                    id: format!("a{i}"),
                    version: "1.0.0".to_string(),
                    number,
                    title,
                    numbering: Default::default(),
                    blocks,
                })
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_are_pdf_ua(doc in document(), a2b in any::<bool>()) {
        let standard = if a2b { PdfStandard::A2b } else { PdfStandard::Ua1 };
        let pdf = load("random", &render(&doc, standard));
        assert_clean(&format!("random {standard:?}"), &check_ua(&pdf).problems);
        if a2b {
            assert_clean("random A2b", &check_pdfa2b(&pdf));
        }
    }
}
