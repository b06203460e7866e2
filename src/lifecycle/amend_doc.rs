//! The amendment as a document every writer prints: title, recitals naming the parties
//! and the agreement amended, the numbered amendments, what stays in force, the
//! effective date and the signature blocks of the parties.

use super::amend::{After, Change, Place};
use crate::document::{Article, Block, Document, List, Numbering, Run, Style};

/// What the amendment says about the agreement and the parties, besides its changes.
pub struct Parties {
    /// Each party as the recitals name it: (name, short name), school first.
    pub names: Vec<(String, String)>,
    /// The signature blocks, with the roles the agreement model gives each signatory.
    pub signatures: Vec<crate::document::Signatory>,
    /// The term of the agreement amended, as it was signed.
    pub term: Option<(crate::date::Date, crate::date::Date)>,
    /// The day the agreement amended ended, when this amendment is made after it: the
    /// recitals say the parties reinstate it.
    pub ended: Option<crate::date::Date>,
    /// The day the amended term starts, when that is before this amendment's date (and
    /// not before the agreement's): the amendment ratifies the services since then, as
    /// the later agreement's own text does.
    pub ratify_from: Option<crate::date::Date>,
    /// The agency's short name ("the Department").
    pub agency: String,
}

/// The amendment numbered `number` of the agreement `old`, dated as `new` is.
pub fn document(
    number: u32,
    old: &Document,
    new: &Document,
    parties: &Parties,
    changes: &[Change],
) -> Document {
    let title = format!("Amendment No. {number} to the {}", old.title);
    let agreement = match &old.date {
        Some(d) => format!("a {} dated as of {d}", old.title),
        None => format!("a {}", old.title),
    };
    let named: Vec<String> = parties
        .names
        .iter()
        .map(|(name, short)| format!("{name} (\"{short}\")"))
        .collect();
    let dated = match &new.date {
        Some(d) => format!(" is dated as of {d}, and"),
        None => String::new(),
    };
    let as_amended = if number > 1 {
        " (as amended before the date of this Amendment, the \"Agreement\")"
    } else {
        " (the \"Agreement\")"
    };
    let term = match parties.term {
        Some((start, end)) => format!(
            ", for a term beginning on {} and ending on {}",
            crate::template::words::long_date(start),
            crate::template::words::long_date(end)
        ),
        None => String::new(),
    };
    let recitals = vec![
        para(format!(
            "THIS AMENDMENT NO. {number} (this \"Amendment\"){dated} is between {}.",
            join_and(&named)
        )),
        para(format!(
            "WHEREAS, the parties entered into {agreement}{as_amended}{term}; and"
        )),
        para(match parties.ended {
            Some(end) => format!(
                "WHEREAS, the Term of the Agreement ended on {}{}, and the parties wish to reinstate the Agreement and amend it as set out in this Amendment, each having authorized this Amendment in the manner the Agreement and the law require;",
                crate::template::words::long_date(end),
                if parties.ratify_from.is_some() {
                    ", the parties have continued the Program since then"
                } else {
                    ""
                }
            ),
            None => {
                "WHEREAS, the parties wish to amend the Agreement as set out in this Amendment, \
             and each has authorized this Amendment in the manner the Agreement and the law \
             require;"
                    .to_string()
            }
        }),
        para(
            "NOW, THEREFORE, in consideration of the mutual promises in this Amendment and \
             in the Agreement, the parties agree as follows:",
        ),
    ];
    let items: Vec<Vec<Block>> = changes.iter().map(item).collect();
    let first_general = items.len() as u64 + 1;
    let effective = match &new.date {
        Some(d) => format!("This Amendment is effective as of {d}."),
        None => "This Amendment takes effect when every party has signed it.".to_string(),
    };
    let mut general = Vec::new();
    if let Some(from) = parties.ratify_from {
        let from = crate::template::words::long_date(from);
        general.push(vec![Block::Paragraph(vec![
            bold("Ratification. "),
            Run::plain(format!(
                "The parties acknowledge that the Program has operated, and that {} has provided officers to the schools, since {from}, before the date of this Amendment. The parties ratify and confirm everything done by either of them in carrying out the Program since that date, and agree that the Agreement as amended governs those services and any payment for them.",
                parties.agency
            )),
        ])]);
    }
    general.extend([
        vec![Block::Paragraph(vec![
            bold("Effect of this Amendment. "),
            Run::plain(
                "Except as amended by this Amendment, the Agreement remains in full force and \
                 effect. If this Amendment and the Agreement conflict, this Amendment governs. \
                 From the effective date of this Amendment, each reference to the Agreement \
                 means the Agreement as amended by this Amendment.",
            ),
        ])],
        vec![Block::Paragraph(vec![
            bold("Effective date. "),
            Run::plain(effective),
        ])],
        vec![Block::Paragraph(vec![
            bold("Counterparts. "),
            Run::plain(
                "This Amendment may be signed in counterparts, each of which is an original \
                 and all of which together are one instrument. Signatures delivered by \
                 electronic means have the same effect as original signatures.",
            ),
        ])],
    ]);
    let numbering = old
        .articles
        .first()
        .map(|a| a.numbering)
        .unwrap_or_default();
    let article = |id: &str, title: &str, blocks: Vec<Block>| Article {
        id: id.to_string(),
        version: String::new(),
        number: None,
        title: title.to_string(),
        numbering,
        blocks,
    };
    let mut signature_blocks = vec![para(
        "IN WITNESS WHEREOF, each party has signed this Amendment through its duly \
         authorized representative.",
    )];
    if !parties.signatures.is_empty() {
        signature_blocks.push(Block::Signatures(parties.signatures.clone()));
    }
    Document {
        title: title.clone(),
        short_title: format!("Amendment No. {number} — {}", old.short_title),
        parties: old.parties.clone(),
        subtitle: old.subtitle.clone(),
        date: new.date.clone(),
        date_iso: new.date_iso,
        draft: new.draft,
        language: old.language.clone(),
        subject: title,
        articles: vec![
            article("recitals", "Recitals", recitals),
            article(
                "amendments",
                "Amendments",
                vec![
                    para(match numbering {
                        Numbering::Articles => {
                            "In this Amendment, each Article and Section of the Agreement is \
                             referred to by the number it has before this Amendment, except \
                             that an Article added by this Amendment is referred to by its new \
                             number."
                        }
                        Numbering::Decimal => {
                            "In this Amendment, each Section of the Agreement is referred to by \
                             the number it has before this Amendment, except that a Section \
                             added by this Amendment is referred to by its new number."
                        }
                    }),
                    Block::List(List {
                        start: Some(1),
                        items,
                    }),
                ],
            ),
            article(
                "general",
                "General",
                vec![Block::List(List {
                    start: Some(first_general),
                    items: general,
                })],
            ),
            article("signatures", "Signatures", signature_blocks),
        ],
    }
}

fn para(text: impl Into<String>) -> Block {
    Block::Paragraph(vec![Run::plain(text)])
}

fn bold(text: impl Into<String>) -> Run {
    Run::styled(
        text,
        Style {
            bold: true,
            ..Style::default()
        },
    )
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// "“X” with “Y”", the pairs of one replacement instruction.
fn pairs_text(pairs: &[(String, String)]) -> String {
    let each: Vec<String> = pairs
        .iter()
        .map(|(a, b)| format!("\"{a}\" with \"{b}\""))
        .collect();
    join_and(&each)
}

/// Capitalizes the first letter: "the text of Article X …" opens a sentence.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One numbered amendment: its instruction and any text it sets out.
fn item(change: &Change) -> Vec<Block> {
    match change {
        Change::Retitle { article, title } => vec![para(format!(
            "The title of {} is amended to read \"{title}\".",
            article.reference()
        ))],
        Change::Replace { place, pairs } => vec![para(format!(
            "{} is amended by replacing {}.",
            sentence(&place.reference()),
            pairs_text(pairs)
        ))],
        Change::Restate {
            place,
            heading,
            blocks,
        } => {
            let (lead, head) = match place {
                Place::Article(t) => (
                    format!(
                        "{} is amended and restated in its entirety to read as follows:",
                        sentence(&t.reference())
                    ),
                    None,
                ),
                Place::Intro(..) => (
                    format!(
                        "{} is amended and restated to read as follows:",
                        sentence(&place.reference())
                    ),
                    None,
                ),
                Place::Section(_, n) => (
                    format!(
                        "Section {n} is amended and restated in its entirety to read as follows:"
                    ),
                    heading.as_ref().map(|h| format!("Section {n}. {h}")),
                ),
            };
            let mut quoted = Vec::new();
            if let Some(h) = head {
                quoted.push(Block::Paragraph(vec![bold(h)]));
            }
            quoted.extend(quote_blocks(blocks));
            vec![para(lead), Block::Quote(quoted)]
        }
        Change::RestateArticle {
            article,
            title,
            blocks,
        } => {
            let heading = heading_line(article.number, article.numbering, &article.id, title);
            let mut quoted = vec![Block::Paragraph(vec![bold(heading)])];
            quoted.extend(quote_blocks(blocks));
            vec![
                para(format!(
                    "{} is amended and restated in its entirety to read as follows:",
                    sentence(&article.reference())
                )),
                Block::Quote(quoted),
            ]
        }
        Change::Delete { article } => vec![para(format!(
            "{} (\"{}\") is deleted in its entirety.",
            sentence(&article.reference()),
            article.title
        ))],
        Change::Add { after, article } => {
            let name = super::text::reference(
                &article.id,
                article.number,
                article.numbering,
                &article.title,
            );
            let place = match after {
                After::Old(t) => format!("after {}", t.reference()),
                After::New(t) => format!("after {} as added by this Amendment", t.reference()),
                After::Start => "at the beginning of the Agreement".to_string(),
            };
            let heading = heading_line(
                article.number,
                article.numbering,
                &article.id,
                &article.title,
            );
            let mut quoted = vec![Block::Paragraph(vec![bold(heading)])];
            quoted.extend(quote_blocks(&article.blocks));
            vec![
                para(format!(
                    "A new {name}, \"{}\", is added {place}, to read as follows:",
                    article.title
                )),
                Block::Quote(quoted),
            ]
        }
        Change::Renumber { numbering, runs } => {
            let each: Vec<String> = runs
                .iter()
                .map(|&(first, last, new_first)| {
                    let new_last = new_first + (last - first);
                    let (word, n) = split_reference(numbering.reference(first));
                    let (_, new_n) = split_reference(numbering.reference(new_first));
                    if first == last {
                        format!(
                            "the {word} of the Agreement numbered {n} before this Amendment is renumbered {new_n}"
                        )
                    } else {
                        let (_, m) = split_reference(numbering.reference(last));
                        let (_, new_m) = split_reference(numbering.reference(new_last));
                        format!(
                            "the {word}s of the Agreement numbered {n} through {m} before this Amendment are renumbered {new_n} through {new_m}"
                        )
                    }
                })
                .collect();
            let within = match numbering {
                Numbering::Articles => "the Sections within each are",
                Numbering::Decimal => "their subsections are",
            };
            vec![para(format!(
                "As a result of the amendments above, {}, and {within} renumbered to match.",
                join_and(&each)
            ))]
        }
    }
}

/// "Article XIII" → ("Article", "XIII").
fn split_reference(reference: String) -> (String, String) {
    match reference.split_once(' ') {
        Some((word, n)) => (word.to_string(), n.to_string()),
        None => (String::new(), reference),
    }
}

/// The heading of an article as the agreement prints it.
fn heading_line(
    number: Option<u32>,
    numbering: crate::document::Numbering,
    id: &str,
    title: &str,
) -> String {
    Article {
        id: id.to_string(),
        version: String::new(),
        number,
        title: title.to_string(),
        numbering,
        blocks: Vec::new(),
    }
    .heading()
}

/// Text set out inside an amendment: section headings become bold lines ("Section
/// 11.1. Indemnification"), as headings do not belong inside a quotation.
fn quote_blocks(blocks: &[Block]) -> Vec<Block> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Heading { number, text, .. } => {
                let line = crate::document::plain_text(text);
                Block::Paragraph(vec![bold(match number {
                    Some(n) => format!("Section {n}. {line}"),
                    None => line,
                })])
            }
            other => other.clone(),
        })
        .collect()
}
