//! Redlines: two Documents compared article by article (matched by clause id) and word
//! by word. The result is itself a Document whose runs carry [`Change`] marks, so every
//! writer can print it.
//!
//! Between two outlines, articles also move and renumber. Renumbering alone (an article
//! inserted before it) is not counted as a change, but the heading says it:
//! `ARTICLE VII. DUTIES (WAS ARTICLE VI)`. An article that moved (out of the longest run
//! of articles that kept their order) is compared at its new place, headed
//! `(MOVED, WAS ARTICLE V)`, and leaves a `[MOVED] … (NOW ARTICLE VII)` heading at its
//! old place; it is listed as "moved". A removed article's heading keeps its number.

use crate::document::{
    Article, Block, Change, Document, Inlines, List, Run, Signatory, Style, Table, plain_text,
};
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::{BTreeMap, BTreeSet};

/// Words inserted and deleted in one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleStat {
    pub id: String,
    pub heading: String,
    pub inserted: usize,
    pub deleted: usize,
    /// "changed", "added", "removed" or "moved" (to another place in the outline;
    /// `heading` then says where it was).
    pub kind: &'static str,
}

pub struct Redline {
    pub document: Document,
    pub stats: Vec<ArticleStat>,
}

impl Redline {
    pub fn is_empty(&self) -> bool {
        self.stats.is_empty()
    }
}

pub fn redline(old: &Document, new: &Document) -> Redline {
    let old_by_id: BTreeMap<&str, &Article> =
        old.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let new_ids: Vec<&str> = new.articles.iter().map(|a| a.id.as_str()).collect();
    let moved = moved_ids(old, new);
    let mut articles = Vec::new();
    let mut stats = Vec::new();
    // Removed articles, and the places moved ones left, go after the last article they
    // followed in the old document that kept its place.
    let mut left_after: BTreeMap<Option<String>, Vec<&Article>> = BTreeMap::new();
    let mut prev: Option<String> = None;
    for a in &old.articles {
        if !new_ids.contains(&a.id.as_str()) || moved.contains(a.id.as_str()) {
            left_after.entry(prev.clone()).or_default().push(a);
        } else {
            prev = Some(a.id.clone());
        }
    }
    let new_number: BTreeMap<&str, Option<u32>> = new
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a.number))
        .collect();
    let mut push_left = |after: Option<String>,
                         articles: &mut Vec<Article>,
                         stats: &mut Vec<ArticleStat>| {
        for a in left_after.remove(&after).unwrap_or_default() {
            let mut art = a.clone();
            art.number = None;
            if let Some(&now) = new_number.get(a.id.as_str()) {
                // Moved: the heading says where it went; it is compared there.
                art.title = match now {
                    Some(n) => format!("[Moved] {} (now {})", a.title, a.numbering.reference(n)),
                    None => format!("[Moved] {}", a.title),
                };
                art.blocks = Vec::new();
                articles.push(art);
                continue;
            }
            let was = a.reference().map(|r| format!(" (was {r})"));
            art.title = format!("[Removed] {}{}", a.title, was.unwrap_or_default());
            art.blocks = mark_blocks(&a.blocks, Change::Deleted);
            stats.push(ArticleStat {
                id: a.id.clone(),
                heading: a.heading(),
                inserted: 0,
                deleted: count_words(&a.blocks),
                kind: "removed",
            });
            articles.push(art);
        }
    };
    push_left(None, &mut articles, &mut stats);
    for a in &new.articles {
        match old_by_id.get(a.id.as_str()) {
            Some(o) => {
                let blocks = diff_blocks(&o.blocks, &a.blocks);
                let (inserted, deleted) = count_changes(&blocks);
                let mut art = a.clone();
                let is_moved = moved.contains(a.id.as_str());
                // A renumbered article says what it was; moving it, or numbering or
                // unnumbering it, is a change in itself.
                let renumbered = o.number != a.number;
                let note = match (is_moved, renumbered, o.title != a.title) {
                    (false, false, false) => None,
                    (false, false, true) => Some(format!("was: {}", o.title)),
                    (moved, _, retitled) => {
                        let mut note = if moved {
                            "moved".to_string()
                        } else {
                            String::new()
                        };
                        if renumbered || retitled {
                            let number = match o.number {
                                Some(n) => o.numbering.reference(n),
                                None => "unnumbered".to_string(),
                            };
                            let sep = if moved { ", was " } else { "was " };
                            note.push_str(&format!("{sep}{number}"));
                            if retitled {
                                note.push_str(&format!(": {}", o.title));
                            }
                        }
                        Some(note)
                    }
                };
                if let Some(note) = &note {
                    art.title = format!("{} ({note})", a.title);
                }
                let numbering = o.number.is_some() != a.number.is_some();
                if inserted + deleted > 0 || o.title != a.title || is_moved || numbering {
                    stats.push(ArticleStat {
                        id: a.id.clone(),
                        // Where it was, for a moved or renumbered article (a title
                        // change alone keeps the new heading, as it always has).
                        heading: if is_moved || renumbered {
                            art.heading()
                        } else {
                            a.heading()
                        },
                        inserted,
                        deleted,
                        kind: if is_moved { "moved" } else { "changed" },
                    });
                }
                art.blocks = blocks;
                articles.push(art);
            }
            None => {
                let mut art = a.clone();
                art.title = format!("[New] {}", a.title);
                art.blocks = mark_blocks(&a.blocks, Change::Inserted);
                stats.push(ArticleStat {
                    id: a.id.clone(),
                    heading: a.heading(),
                    inserted: count_words(&a.blocks),
                    deleted: 0,
                    kind: "added",
                });
                articles.push(art);
            }
        }
        push_left(Some(a.id.clone()), &mut articles, &mut stats);
    }
    let mut document = new.clone();
    document.articles = articles;
    document.title = format!("Redline: {}", new.title);
    Redline { document, stats }
}

/// Articles of both documents whose order changed: those outside the longest run of
/// common articles that keeps its order (what a reader would call "moved").
fn moved_ids<'a>(old: &'a Document, new: &Document) -> BTreeSet<&'a str> {
    let new_ids: BTreeSet<&str> = new.articles.iter().map(|a| a.id.as_str()).collect();
    let old_ids: BTreeSet<&str> = old.articles.iter().map(|a| a.id.as_str()).collect();
    let old_order: Vec<&str> = old
        .articles
        .iter()
        .map(|a| a.id.as_str())
        .filter(|id| new_ids.contains(id))
        .collect();
    let new_order: Vec<&str> = new
        .articles
        .iter()
        .map(|a| a.id.as_str())
        .filter(|id| old_ids.contains(id))
        .collect();
    let mut kept: BTreeSet<&str> = BTreeSet::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_order, &new_order) {
        if let DiffOp::Equal { old_index, len, .. } = op {
            kept.extend(old_order[old_index..old_index + len].iter().copied());
        }
    }
    old_order
        .into_iter()
        .filter(|id| !kept.contains(id))
        .collect()
}

fn count_words(blocks: &[Block]) -> usize {
    let mut n = 0;
    visit_runs(blocks, &mut |r| n += r.text.split_whitespace().count());
    n
}

fn count_changes(blocks: &[Block]) -> (usize, usize) {
    let (mut ins, mut del) = (0, 0);
    visit_runs(blocks, &mut |r| {
        let words = r.text.split_whitespace().count();
        match r.style.change {
            Change::Inserted => ins += words,
            Change::Deleted => del += words,
            Change::Unchanged => {}
        }
    });
    (ins, del)
}

/// This walk, [`mark_block`] and [`diff_block`] recurse once per list or quote level: at
/// most [`crate::document::MAX_NESTING`], and the redline is no deeper than its inputs.
fn visit_runs(blocks: &[Block], f: &mut dyn FnMut(&Run)) {
    for b in blocks {
        match b {
            Block::Heading { text, .. } | Block::Paragraph(text) => text.iter().for_each(&mut *f),
            Block::List(l) => l.items.iter().for_each(|i| visit_runs(i, f)),
            Block::Table(t) => t
                .header
                .iter()
                .chain(t.rows.iter().flatten())
                .flatten()
                .for_each(&mut *f),
            Block::Quote(inner) | Block::Note(inner) => visit_runs(inner, f),
            Block::Signatures(sigs) => {
                for s in sigs {
                    for field in [&s.party, &s.name, &s.title] {
                        f(&Run::plain(field.clone()));
                    }
                }
            }
            Block::Rule => {}
        }
    }
}

fn mark_runs(runs: &Inlines, change: Change) -> Inlines {
    runs.iter()
        .map(|r| Run {
            style: Style { change, ..r.style },
            ..r.clone()
        })
        .collect()
}

fn mark_blocks(blocks: &[Block], change: Change) -> Vec<Block> {
    blocks.iter().map(|b| mark_block(b, change)).collect()
}

fn mark_block(b: &Block, change: Change) -> Block {
    match b {
        Block::Heading {
            level,
            number,
            text,
        } => Block::Heading {
            level: *level,
            number: number.clone(),
            text: mark_runs(text, change),
        },
        Block::Paragraph(text) => Block::Paragraph(mark_runs(text, change)),
        Block::List(l) => Block::List(List {
            start: l.start,
            items: l.items.iter().map(|i| mark_blocks(i, change)).collect(),
        }),
        Block::Table(t) => Block::Table(Table {
            header: t.header.iter().map(|c| mark_runs(c, change)).collect(),
            rows: t
                .rows
                .iter()
                .map(|r| r.iter().map(|c| mark_runs(c, change)).collect())
                .collect(),
            align: t.align.clone(),
        }),
        Block::Quote(inner) => Block::Quote(mark_blocks(inner, change)),
        Block::Note(inner) => Block::Note(mark_blocks(inner, change)),
        Block::Signatures(s) => Block::Signatures(s.clone()),
        Block::Rule => Block::Rule,
    }
}

/// Text of a block for alignment: blocks with the same text are the same block.
fn key(b: &Block) -> String {
    let mut s = String::new();
    let tag = match b {
        Block::Heading { .. } => "h",
        Block::Paragraph(_) => "p",
        Block::List(_) => "l",
        Block::Table(_) => "t",
        Block::Signatures(_) => "s",
        Block::Quote(_) => "q",
        Block::Note(_) => "n",
        Block::Rule => "r",
    };
    s.push_str(tag);
    visit_runs(std::slice::from_ref(b), &mut |r| s.push_str(&r.text));
    s
}

/// Aligns two sequences by `key`: equal elements are kept, unmatched ones are marked
/// deleted or inserted, and elements in the same place of a replaced stretch are
/// compared by `pair`.
fn align<T: Clone>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> String,
    pair: impl Fn(&T, &T) -> Vec<T>,
    mark: impl Fn(&T, Change) -> T,
) -> Vec<T> {
    let old_keys: Vec<String> = old.iter().map(&key).collect();
    let new_keys: Vec<String> = new.iter().map(&key).collect();
    let mut out = Vec::with_capacity(new.len());
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (_, old_range, new_range) = op.as_tag_tuple();
        let olds = &old[old_range];
        let news = &new[new_range];
        match op {
            DiffOp::Equal { .. } => out.extend_from_slice(news),
            DiffOp::Delete { .. } => out.extend(olds.iter().map(|x| mark(x, Change::Deleted))),
            DiffOp::Insert { .. } => out.extend(news.iter().map(|x| mark(x, Change::Inserted))),
            DiffOp::Replace { .. } => {
                let pairs = olds.len().min(news.len());
                for i in 0..pairs {
                    out.extend(pair(&olds[i], &news[i]));
                }
                out.extend(olds[pairs..].iter().map(|x| mark(x, Change::Deleted)));
                out.extend(news[pairs..].iter().map(|x| mark(x, Change::Inserted)));
            }
        }
    }
    out
}

fn diff_blocks(old: &[Block], new: &[Block]) -> Vec<Block> {
    align(old, new, key, diff_block, mark_block)
}

/// Two blocks in the same place: word diff when they are of the same kind.
fn diff_block(old: &Block, new: &Block) -> Vec<Block> {
    match (old, new) {
        (Block::Paragraph(a), Block::Paragraph(b)) => vec![Block::Paragraph(diff_runs(a, b))],
        (
            Block::Heading { text: a, .. },
            Block::Heading {
                level,
                number,
                text: b,
            },
        ) => vec![Block::Heading {
            level: *level,
            number: number.clone(),
            text: diff_runs(a, b),
        }],
        (Block::List(a), Block::List(b)) if a.start.is_some() == b.start.is_some() => {
            let items = diff_items(&a.items, &b.items);
            vec![Block::List(List {
                start: b.start,
                items,
            })]
        }
        (Block::Table(a), Block::Table(b)) if a.header.len() == b.header.len() => {
            vec![Block::Table(diff_table(a, b))]
        }
        (Block::Quote(a), Block::Quote(b)) => vec![Block::Quote(diff_blocks(a, b))],
        (Block::Note(a), Block::Note(b)) => vec![Block::Note(diff_blocks(a, b))],
        (Block::Signatures(a), Block::Signatures(b)) => {
            vec![Block::Signatures(diff_signatures(a, b))]
        }
        _ => vec![
            mark_block(old, Change::Deleted),
            mark_block(new, Change::Inserted),
        ],
    }
}

fn diff_items(old: &[Vec<Block>], new: &[Vec<Block>]) -> Vec<Vec<Block>> {
    align(
        old,
        new,
        |item| item.iter().map(key).collect(),
        |a, b| vec![diff_blocks(a, b)],
        |item, change| mark_blocks(item, change),
    )
}

fn diff_table(old: &Table, new: &Table) -> Table {
    let rows = align(
        &old.rows,
        &new.rows,
        |row| {
            row.iter()
                .map(|c| plain_text(c))
                .collect::<Vec<_>>()
                .join("\u{1f}")
        },
        |a, b| {
            vec![
                b.iter()
                    .enumerate()
                    .map(|(i, cell)| match a.get(i) {
                        Some(o) => diff_runs(o, cell),
                        None => mark_runs(cell, Change::Inserted),
                    })
                    .collect(),
            ]
        },
        |row, change| row.iter().map(|c| mark_runs(c, change)).collect(),
    );
    Table {
        header: new
            .header
            .iter()
            .zip(&old.header)
            .map(|(h, o)| diff_runs(o, h))
            .collect(),
        rows,
        align: new.align.clone(),
    }
}

/// Signature fields are plain strings; a changed field keeps the new value with the old
/// one noted, which is what a reviewer needs to see.
fn diff_signatures(old: &[Signatory], new: &[Signatory]) -> Vec<Signatory> {
    new.iter()
        .enumerate()
        .map(|(i, s)| {
            let Some(o) = old.get(i) else {
                return s.clone();
            };
            let f = |a: &str, b: &str| {
                if a == b {
                    b.to_string()
                } else {
                    format!("{b} (was: {a})")
                }
            };
            Signatory {
                party: f(&o.party, &s.party),
                name: f(&o.name, &s.name),
                title: f(&o.title, &s.title),
                date: s.date.clone(),
                role: s.role,
                statement: s.statement.clone(),
            }
        })
        .collect()
}

/// Splits runs into tokens of one word and the spaces after it, keeping their style,
/// so a replaced word shows as one deletion and one insertion.
fn tokens(runs: &Inlines) -> Vec<Run> {
    let mut out = Vec::new();
    for r in runs {
        if r.style.line_break || r.style.blank {
            out.push(r.clone());
            continue;
        }
        let mut start = 0;
        let mut in_space = false;
        for (i, c) in r.text.char_indices() {
            let space = c.is_whitespace();
            if in_space && !space {
                out.push(Run {
                    text: r.text[start..i].to_string(),
                    ..r.clone()
                });
                start = i;
            }
            in_space = space;
        }
        if start < r.text.len() {
            out.push(Run {
                text: r.text[start..].to_string(),
                ..r.clone()
            });
        }
    }
    out
}

fn diff_runs(old: &Inlines, new: &Inlines) -> Inlines {
    let a = tokens(old);
    let b = tokens(new);
    let ak: Vec<(&str, bool, bool)> = a
        .iter()
        .map(|r| (r.text.as_str(), r.style.bold, r.style.italic))
        .collect();
    let bk: Vec<(&str, bool, bool)> = b
        .iter()
        .map(|r| (r.text.as_str(), r.style.bold, r.style.italic))
        .collect();
    let mut out: Inlines = Vec::new();
    let mut push = |r: &Run, change: Change| {
        let style = Style { change, ..r.style };
        match out.last_mut() {
            Some(last) if last.style == style && last.xref == r.xref && !style.line_break => {
                last.text.push_str(&r.text)
            }
            _ => out.push(Run { style, ..r.clone() }),
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, &ak, &bk) {
        let (_, old_range, new_range) = op.as_tag_tuple();
        match op {
            DiffOp::Equal { .. } => b[new_range].iter().for_each(|r| push(r, Change::Unchanged)),
            DiffOp::Delete { .. } => a[old_range].iter().for_each(|r| push(r, Change::Deleted)),
            DiffOp::Insert { .. } => b[new_range].iter().for_each(|r| push(r, Change::Inserted)),
            DiffOp::Replace { .. } => {
                a[old_range].iter().for_each(|r| push(r, Change::Deleted));
                b[new_range].iter().for_each(|r| push(r, Change::Inserted));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Block {
        Block::Paragraph(vec![Run::plain(text)])
    }

    fn article(id: &str, n: u32, blocks: Vec<Block>) -> Article {
        Article {
            id: id.into(),
            version: "1.0.0".into(),
            number: Some(n),
            title: id.into(),
            numbering: Default::default(),
            blocks,
        }
    }

    fn doc(articles: Vec<Article>) -> Document {
        Document {
            title: "T".into(),
            short_title: "T".into(),
            parties: vec![],
            subtitle: String::new(),
            date: None,
            date_iso: None,
            draft: false,
            language: "en-US".into(),
            subject: String::new(),
            articles,
        }
    }

    #[test]
    fn word_level_change() {
        let old = vec![Run::plain("limits of $1,000,000 per occurrence")];
        let new = vec![Run::plain("limits of $3,500,000 per occurrence")];
        let d = diff_runs(&old, &new);
        let shown: Vec<(String, Change)> =
            d.iter().map(|r| (r.text.clone(), r.style.change)).collect();
        assert_eq!(
            shown,
            [
                ("limits of ".to_string(), Change::Unchanged),
                ("$1,000,000 ".to_string(), Change::Deleted),
                ("$3,500,000 ".to_string(), Change::Inserted),
                ("per occurrence".to_string(), Change::Unchanged),
            ]
        );
    }

    #[test]
    fn renumbering_is_not_a_change() {
        let old = doc(vec![
            article("a", 1, vec![para("x")]),
            article("b", 2, vec![para("y")]),
        ]);
        let new = doc(vec![
            article("new", 1, vec![para("z z")]),
            article("a", 2, vec![para("x")]),
            article("b", 3, vec![para("y")]),
        ]);
        let r = redline(&old, &new);
        assert_eq!(r.stats.len(), 1);
        assert_eq!(r.stats[0].kind, "added");
        assert_eq!(r.stats[0].inserted, 2);
        // ... but the renumbered articles say what they were.
        let headings: Vec<String> = r.document.articles.iter().map(Article::heading).collect();
        assert_eq!(
            headings,
            [
                "ARTICLE I. [NEW] NEW",
                "ARTICLE II. A (WAS ARTICLE I)",
                "ARTICLE III. B (WAS ARTICLE II)"
            ]
        );
    }

    fn headings(r: &Redline) -> Vec<String> {
        r.document.articles.iter().map(Article::heading).collect()
    }

    #[test]
    fn a_moved_article_is_marked_at_both_places_and_compared_at_its_new_one() {
        let old = doc(vec![
            article("a", 1, vec![para("first words")]),
            article("b", 2, vec![para("x")]),
            article("c", 3, vec![para("y")]),
            article("d", 4, vec![para("z")]),
        ]);
        let new = doc(vec![
            article("b", 1, vec![para("x")]),
            article("c", 2, vec![para("y")]),
            article("d", 3, vec![para("z")]),
            article("a", 4, vec![para("first new words")]),
        ]);
        let r = redline(&old, &new);
        assert_eq!(
            headings(&r),
            [
                "[MOVED] A (NOW ARTICLE IV)",
                "ARTICLE I. B (WAS ARTICLE II)",
                "ARTICLE II. C (WAS ARTICLE III)",
                "ARTICLE III. D (WAS ARTICLE IV)",
                "ARTICLE IV. A (MOVED, WAS ARTICLE I)",
            ]
        );
        assert!(r.document.articles[0].blocks.is_empty());
        assert_eq!(r.stats.len(), 1);
        let s = &r.stats[0];
        assert_eq!((s.kind, s.inserted, s.deleted), ("moved", 1, 0));
        assert_eq!(s.heading, "ARTICLE IV. A (MOVED, WAS ARTICLE I)");
        // Moved without a word changed is still a difference.
        let mut same = new.clone();
        same.articles[3].blocks = vec![para("first words")];
        let r = redline(&old, &same);
        assert!(!r.is_empty());
        assert_eq!(r.stats[0].kind, "moved");
    }

    #[test]
    fn numbering_or_unnumbering_an_article_is_a_change_and_says_so() {
        let old = doc(vec![article("a", 1, vec![]), article("b", 2, vec![])]);
        let mut new = old.clone();
        new.articles[0].number = None;
        new.articles[1].number = Some(1);
        let r = redline(&old, &new);
        assert_eq!(
            headings(&r),
            ["A (WAS ARTICLE I)", "ARTICLE I. B (WAS ARTICLE II)"]
        );
        assert_eq!(r.stats.len(), 1);
        assert_eq!(r.stats[0].heading, "A (WAS ARTICLE I)");
        let back = redline(&new, &old);
        assert_eq!(
            headings(&back),
            [
                "ARTICLE I. A (WAS UNNUMBERED)",
                "ARTICLE II. B (WAS ARTICLE I)"
            ]
        );
        // Retitled and renumbered: both are said.
        let mut retitled = new.clone();
        retitled.articles[1].title = "Bee".into();
        let r = redline(&old, &retitled);
        assert_eq!(headings(&r)[1], "ARTICLE I. BEE (WAS ARTICLE II: B)");
    }

    #[test]
    fn identical_documents_have_no_changes() {
        let d = doc(vec![article("a", 1, vec![para("same words")])]);
        assert!(redline(&d, &d).is_empty());
    }

    #[test]
    fn removed_article_keeps_its_place() {
        let old = doc(vec![
            article("a", 1, vec![]),
            article("gone", 2, vec![para("bye now")]),
            article("c", 3, vec![]),
        ]);
        let new = doc(vec![article("a", 1, vec![]), article("c", 2, vec![])]);
        let r = redline(&old, &new);
        let ids: Vec<&str> = r.document.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "gone", "c"]);
        assert_eq!(r.stats[0].deleted, 2);
        assert_eq!(
            r.document.articles[1].heading(),
            "[REMOVED] GONE (WAS ARTICLE II)"
        );
    }
}
