//! The text of an assembled agreement as an amendment speaks of it: articles (by
//! clause id and number), the text of an article before its first section, and its
//! numbered sections, each a list of text segments.
//!
//! An amendment quotes words and says where they are ("Section 3.1 is amended by
//! replacing …"), so this model keeps exactly what such an instruction can point at.
//! A segment is one paragraph, list item paragraph or table cell: a phrase quoted for
//! replacement never runs across two of them. Each segment carries its place in the
//! block structure (`shape`), so two texts with the same words in different blocks
//! are not the same text. The applier test in `tests/it/amend.rs` works on this model.

use crate::document::{Article, Block, Document, Numbering, plain_text};

/// An agreement as text an amendment can point into. The signature page is left out:
/// an amendment has its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub articles: Vec<TextArticle>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextArticle {
    /// Clause id: what aligns an article of two versions, whatever their numbers.
    pub id: String,
    pub number: Option<u32>,
    pub numbering: Numbering,
    pub title: String,
    /// The text before the first numbered section (all of it, without sections).
    pub intro: Vec<Segment>,
    pub sections: Vec<TextSection>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSection {
    /// `3.1`.
    pub number: String,
    pub heading: String,
    pub body: Vec<Segment>,
}

/// One paragraph, list item paragraph, table cell or heading line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Where it sits: `p`, `l1/0/p` (first item of an ordered list), `t/2/1` (a cell).
    pub shape: String,
    pub text: String,
}

/// Articles an amendment does not amend: the signature page belongs to each
/// instrument.
pub fn amendable(article: &Article) -> bool {
    article.id != "signatures"
}

pub fn model(doc: &Document) -> Model {
    Model {
        articles: doc
            .articles
            .iter()
            .filter(|a| amendable(a))
            .map(article)
            .collect(),
    }
}

pub fn article(a: &Article) -> TextArticle {
    let (intro, sections) = split(&a.blocks);
    TextArticle {
        id: a.id.clone(),
        number: a.number,
        numbering: a.numbering,
        title: a.title.clone(),
        intro: segments(intro),
        sections: sections
            .into_iter()
            .map(|s| TextSection {
                number: s.number,
                heading: s.heading,
                body: segments(s.blocks),
            })
            .collect(),
    }
}

/// A numbered section of an article's blocks.
#[derive(Debug, Clone)]
pub struct SectionBlocks<'a> {
    pub number: String,
    pub heading: String,
    pub blocks: &'a [Block],
}

/// An article's blocks split at its numbered section headings: the blocks before the
/// first, and each section.
pub fn split(blocks: &[Block]) -> (&[Block], Vec<SectionBlocks<'_>>) {
    let starts: Vec<usize> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            matches!(
                b,
                Block::Heading {
                    number: Some(_),
                    ..
                }
            )
        })
        .map(|(i, _)| i)
        .collect();
    let intro_end = starts.first().copied().unwrap_or(blocks.len());
    let mut sections = Vec::new();
    for (k, &i) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(blocks.len());
        if let Block::Heading {
            number: Some(n),
            text,
            ..
        } = &blocks[i]
        {
            sections.push(SectionBlocks {
                number: n.clone(),
                heading: plain_text(text),
                blocks: &blocks[i + 1..end],
            });
        }
    }
    (&blocks[..intro_end], sections)
}

pub fn segments(blocks: &[Block]) -> Vec<Segment> {
    let mut out = Vec::new();
    push_blocks(blocks, "", &mut out);
    out
}

fn push_blocks(blocks: &[Block], prefix: &str, out: &mut Vec<Segment>) {
    for b in blocks {
        match b {
            Block::Paragraph(runs) => out.push(Segment {
                shape: format!("{prefix}p"),
                text: plain_text(runs),
            }),
            Block::Heading {
                level,
                number,
                text,
            } => out.push(Segment {
                shape: format!("{prefix}h{level}:{}", number.as_deref().unwrap_or("")),
                text: plain_text(text),
            }),
            Block::List(list) => {
                let kind = match list.start {
                    Some(n) => format!("o{n}"),
                    None => "u".to_string(),
                };
                for (i, item) in list.items.iter().enumerate() {
                    push_blocks(item, &format!("{prefix}{kind}/{i}/"), out);
                }
            }
            Block::Table(t) => {
                let align: String = t.align.iter().map(|a| format!("{a:?}")).collect();
                for (j, cell) in t.header.iter().enumerate() {
                    out.push(Segment {
                        shape: format!("{prefix}t[{align}]/h/{j}"),
                        text: plain_text(cell),
                    });
                }
                for (r, row) in t.rows.iter().enumerate() {
                    for (j, cell) in row.iter().enumerate() {
                        out.push(Segment {
                            shape: format!("{prefix}t[{align}]/{r}/{j}"),
                            text: plain_text(cell),
                        });
                    }
                }
            }
            Block::Quote(inner) => push_blocks(inner, &format!("{prefix}q/"), out),
            // A drafting note is not part of the agreement an amendment changes.
            Block::Note(_) => {}
            Block::Signatures(sigs) => {
                for s in sigs {
                    out.push(Segment {
                        shape: format!("{prefix}sig:{:?}", s.role),
                        text: format!("{}\n{}\n{}", s.party, s.name, s.title),
                    });
                }
            }
            Block::Rule => out.push(Segment {
                shape: format!("{prefix}rule"),
                text: String::new(),
            }),
        }
    }
}

/// How an amendment names an article of the agreement: "Article IV" ("Section 4" with
/// decimal numbering), "the Recitals", "Exhibit A".
pub fn reference(id: &str, number: Option<u32>, numbering: Numbering, title: &str) -> String {
    match number {
        Some(n) => numbering.reference(n),
        None if id == "recitals" => "the Recitals".to_string(),
        None => match id.strip_prefix("exhibit:") {
            Some(label) => format!("Exhibit {label}"),
            None => format!("the part of the Agreement titled \"{title}\""),
        },
    }
}

/// Every occurrence of `phrase` in `text`, overlapping ones included: a phrase is
/// unique only if a reader could find it in one place alone.
pub fn occurrences(text: &str, phrase: &str) -> usize {
    if phrase.is_empty() {
        return 0;
    }
    let mut n = 0;
    let mut from = 0;
    while let Some(i) = text[from..].find(phrase) {
        n += 1;
        let at = from + i;
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
        if from >= text.len() {
            break;
        }
    }
    n
}

/// Occurrences of `phrase` in all of `segments`.
pub fn occurrences_in(segments: &[Segment], phrase: &str) -> usize {
    segments.iter().map(|s| occurrences(&s.text, phrase)).sum()
}
