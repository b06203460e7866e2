//! The PDF writer: US Letter pages set in Liberation Serif, tagged for PDF/UA-1.
//!
//! [`layout`] turns a [`Document`] into pages of positioned lines and rules, the
//! [`model`] (pure and testable); [`emit`] writes them with pdf-writer ([`content`] the
//! page streams, [`embed`] the font subsets, [`tags`] the structure tree); [`fonts`]
//! holds the faces.

pub mod content;
pub mod embed;
pub mod emit;
pub mod fonts;
pub mod layout;
pub mod model;
pub mod tags;
pub mod text;

/// The fixture agreement the unit tests lay out and emit: test code, kept beside the
/// integration tests that share it.
#[cfg(test)]
#[path = "../../../tests/fixtures/pdf/fixture.rs"]
mod fixture;

use crate::document::{Block, Document, Run};
use fonts::{Fate, FontId};
use std::fmt;

/// The conformance level to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PdfStandard {
    /// PDF/UA-1 (accessible, tagged). The default.
    #[default]
    Ua1,
    /// PDF/A-2b (archival), combined with PDF/UA-1. Needs [`PdfOptions::date`].
    A2b,
}

/// How to write the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfOptions {
    pub standard: PdfStandard,
    /// The producer recorded in the metadata, e.g. `mou 0.1.0`.
    pub producer: String,
    /// Creation date (year, month, day), from `SOURCE_DATE_EPOCH` or the agreement
    /// date; never the clock.
    pub date: Option<crate::date::Date>,
    /// Draw white anchor strings at the signature lines for e-signature services
    /// (`--esign-anchors`; see `layout::signatures`).
    pub esign_anchors: bool,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            standard: PdfStandard::default(),
            producer: concat!("mou ", env!("CARGO_PKG_VERSION")).to_string(),
            date: None,
            esign_anchors: false,
        }
    }
}

/// Render `doc` as a PDF. Text the embedded faces cannot set (a character without a
/// glyph, right-to-left script) is an [`Unprintable`] error: an agreement never loses
/// a name to `?` in silence.
pub fn render(doc: &Document, opts: &PdfOptions) -> anyhow::Result<Vec<u8>> {
    if let Some(e) = unprintable(doc) {
        return Err(e.into());
    }
    let mut layout = layout::layout_with(
        doc,
        layout::Options {
            esign_anchors: opts.esign_anchors,
        },
    );
    if doc.has_changes() {
        layout::add_change_bars(&mut layout);
    }
    emit::emit(&layout, doc, opts)
}

/// Characters of a Document the PDF cannot set: the error [`render`] returns. The
/// Markdown and DOCX writers keep them (their readers have fonts for them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unprintable {
    /// Characters without a glyph in the embedded faces, in order of first use.
    pub missing: Vec<char>,
    /// Right-to-left characters (drawn left to right they would read reversed).
    pub right_to_left: Vec<char>,
    /// Where they are: the text around the first one in each place (the word or
    /// value, as printed) and the place (`the title`, an article heading).
    pub places: Vec<(String, String)>,
}

/// What the typography pass puts in text (curly quotes and apostrophes, en dash, no-break
/// space) and the section sign beside them: in every embedded face.
const TYPOGRAPHIC: [char; 8] = [
    '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2013}', '\u{2014}', '\u{a0}', '\u{a7}',
];

/// How many characters and places the message lists before "and N more".
const LISTED: usize = 8;

impl Unprintable {
    /// The words holding the characters, as the agreement prints them: what to look
    /// for in the profile or clause that gave them.
    pub fn excerpts(&self) -> impl Iterator<Item = &str> {
        self.places.iter().map(|(excerpt, _)| excerpt.as_str())
    }
}

impl fmt::Display for Unprintable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn chars(f: &mut fmt::Formatter<'_>, list: &[char]) -> fmt::Result {
            for (i, c) in list.iter().take(LISTED).enumerate() {
                let sep = if i == 0 { "" } else { ", " };
                write!(f, "{sep}{c} (U+{:04X})", u32::from(*c))?;
            }
            if list.len() > LISTED {
                write!(f, " and {} more", list.len() - LISTED)?;
            }
            Ok(())
        }
        let mut parts = 0;
        if !self.missing.is_empty() {
            write!(f, "the PDF font (Liberation Serif) has no glyph for ")?;
            chars(f, &self.missing)?;
            parts += 1;
        }
        if !self.right_to_left.is_empty() {
            if parts > 0 {
                write!(f, "; ")?;
            }
            write!(f, "the PDF cannot set right-to-left text: ")?;
            chars(f, &self.right_to_left)?;
        }
        write!(f, ", in ")?;
        for (i, (excerpt, place)) in self.places.iter().take(LISTED).enumerate() {
            let sep = if i == 0 { "" } else { "; " };
            write!(f, "{sep}\u{201c}{excerpt}\u{201d} ({place})")?;
        }
        if self.places.len() > LISTED {
            write!(f, " and {} more places", self.places.len() - LISTED)?;
        }
        write!(
            f,
            ". The Markdown and DOCX outputs keep these characters; the PDF would print \
             \"?\" or reverse them, so it is not written"
        )
    }
}

impl std::error::Error for Unprintable {}

/// What [`render`] would refuse in `doc`, if anything: every text the PDF draws (title
/// block, running header, headings, paragraphs, lists, tables, signatures), checked
/// against all four faces. Walks the blocks with a stack, not recursion.
pub fn unprintable(doc: &Document) -> Option<Unprintable> {
    let mut found = Unprintable {
        missing: Vec::new(),
        right_to_left: Vec::new(),
        places: Vec::new(),
    };
    let mut scan = |text: &str, place: &str| {
        // Printable ASCII and the typographic marks of [`crate::typography`] are in
        // every face (a test checks it): most text needs no look.
        if text
            .chars()
            .all(|c| (' '..='~').contains(&c) || TYPOGRAPHIC.contains(&c))
        {
            return;
        }
        let mut first = None;
        for (at, c) in text.char_indices() {
            let fate = FontId::ALL
                .iter()
                .map(|f| f.face().fate(c))
                .find(|f| matches!(f, Fate::Missing | Fate::RightToLeft));
            let list = match fate {
                Some(Fate::Missing) => &mut found.missing,
                Some(Fate::RightToLeft) => &mut found.right_to_left,
                _ => continue,
            };
            if !list.contains(&c) {
                list.push(c);
            }
            first.get_or_insert(at);
        }
        if let Some(at) = first
            && !found.places.iter().any(|(_, p)| p == place)
        {
            found.places.push((excerpt(text, at), place.to_string()));
        }
    };
    scan(&doc.title, "the title");
    scan(&doc.subtitle, "the line under the title");
    if let Some(date) = &doc.date {
        scan(date, "the date");
    }
    scan(&doc.short_title, "the running header");
    for article in &doc.articles {
        let place = article.heading();
        scan(&place, &place);
        let mut stack: Vec<&[Block]> = vec![&article.blocks];
        let runs = |inlines: &[Run], scan: &mut dyn FnMut(&str, &str)| {
            for run in inlines {
                scan(&run.text, &place);
            }
        };
        while let Some(blocks) = stack.pop() {
            for block in blocks {
                match block {
                    Block::Heading { number, text, .. } => {
                        if let Some(n) = number {
                            scan(n, &place);
                        }
                        runs(text, &mut scan);
                    }
                    Block::Paragraph(text) => runs(text, &mut scan),
                    Block::List(list) => stack.extend(list.items.iter().map(Vec::as_slice)),
                    Block::Table(table) => {
                        for cell in table.header.iter().chain(table.rows.iter().flatten()) {
                            runs(cell, &mut scan);
                        }
                    }
                    Block::Signatures(sigs) => {
                        for sig in sigs {
                            for field in [&sig.party, &sig.name, &sig.title] {
                                scan(field, &place);
                            }
                            if let Some(statement) = &sig.statement {
                                scan(statement, &place);
                            }
                            if let Some(date) = &sig.date {
                                scan(date, &place);
                            }
                        }
                    }
                    Block::Quote(inner) | Block::Note(inner) => stack.push(inner),
                    Block::Rule => {}
                }
            }
        }
    }
    (!found.places.is_empty()).then_some(found)
}

/// The words around byte `at` of `text` (up to about 60 characters, whole words).
fn excerpt(text: &str, at: usize) -> String {
    const REACH: usize = 30;
    let before: Vec<(usize, char)> = text[..at].char_indices().collect();
    let mut start = before.len().saturating_sub(REACH);
    // Begin at a word: after the last space of the reach, if there is one.
    if start > 0
        && let Some(space) = before[start..].iter().position(|(_, c)| c.is_whitespace())
    {
        start += space + 1;
    }
    let start = before.get(start).map_or(at, |(i, _)| *i);
    let rest = &text[at..];
    let mut end = rest
        .char_indices()
        .nth(REACH)
        .map_or(rest.len(), |(i, _)| i);
    if end < rest.len()
        && let Some(space) = rest[..end].rfind(char::is_whitespace)
        && space > 0
    {
        end = space;
    }
    text[start..at + end].trim().to_string()
}

#[cfg(test)]
mod unprintable_tests {
    use super::*;
    use crate::document::Signatory;

    fn doc(blocks: Vec<Block>) -> Document {
        let mut d = fixture::agreement();
        d.articles.truncate(1);
        d.articles[0].blocks = blocks;
        d
    }

    /// The characters typography adds are drawn by every face, so the fast path of
    /// [`unprintable`] may skip them, and a typeset agreement never loses one to "?".
    #[test]
    fn every_face_has_the_typographic_marks() {
        for font in FontId::ALL {
            for c in TYPOGRAPHIC {
                assert!(
                    font.face().fate(c) == Fate::Keep,
                    "{font:?} lacks U+{:04X}",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn the_fixture_is_printable() {
        assert_eq!(unprintable(&fixture::agreement()), None);
    }

    #[test]
    fn missing_glyphs_and_right_to_left_text_are_named_with_their_place() {
        let mut d = doc(vec![
            Block::Paragraph(vec![Run::plain("Served by the 北京 Academy of Law.")]),
            Block::Signatures(vec![Signatory {
                party: "מחוז בית הספר".into(),
                name: "N".into(),
                title: "T 😀".into(),
                date: None,
                role: Default::default(),
                statement: None,
            }]),
        ]);
        d.title = "Agreement with the 北京 Academy".into();
        let u = unprintable(&d).unwrap();
        assert_eq!(u.missing, ['北', '京', '😀']);
        assert_eq!(
            u.right_to_left,
            ['מ', 'ח', 'ו', 'ז', 'ב', 'י', 'ת', 'ה', 'ס', 'פ', 'ר']
        );
        let heading = d.articles[0].heading();
        assert_eq!(
            u.places,
            [
                (
                    "Agreement with the 北京 Academy".to_string(),
                    "the title".to_string()
                ),
                (
                    "Served by the 北京 Academy of Law.".to_string(),
                    heading.clone()
                ),
            ]
        );
        let message = u.to_string();
        assert!(
            message.contains("北 (U+5317), 京 (U+4EAC), 😀 (U+1F600)"),
            "{message}"
        );
        assert!(
            message.contains("right-to-left text: מ (U+05DE)"),
            "{message}"
        );
        assert!(message.contains(&heading), "{message}");
        let err = render(&d, &PdfOptions::default()).unwrap_err();
        assert_eq!(err.downcast_ref::<Unprintable>(), Some(&u));
    }

    #[test]
    fn look_alikes_invisibles_and_controls_are_not_refused() {
        let d = doc(vec![Block::Paragraph(vec![Run::plain(
            "non\u{2011}breaking\u{00AD} soft \u{2009}thin \u{202E}bidi\u{202C} \u{0}nul \u{1b}esc\u{2028}",
        )])]);
        assert_eq!(unprintable(&d), None);
        assert!(render(&d, &PdfOptions::default()).is_ok());
    }

    #[test]
    fn excerpts_are_whole_words_around_the_character() {
        let long = format!("{} 中 {}", "word ".repeat(20), "more ".repeat(20));
        let e = excerpt(&long, long.find('中').unwrap());
        assert!(
            e.starts_with("word") && e.contains('中') && e.ends_with("more"),
            "{e}"
        );
        assert!(e.chars().count() <= 62, "{e}");
        assert_eq!(excerpt("中", 0), "中");
    }
}
