//! Redlines: two Documents compared article by article (matched by clause id) and word
//! by word. The result is itself a Document whose runs carry [`Change`] marks, so every
//! writer can print it.
//!
//! Between two outlines, articles also move and renumber. Renumbering alone (an article
//! inserted before it) is not counted as a change, but a text heading says it:
//! `ARTICLE VII. DUTIES (WAS ARTICLE VI)`. An article that moved (out of the longest run
//! of articles that kept their order) is deleted at its old place (`[MOVED] … (NOW
//! ARTICLE VII)`) and inserted at its new one (`(MOVED, WAS ARTICLE V)`), so that
//! accepting every change gives the new agreement and rejecting them the old; it is
//! listed as "moved", with the words its text changed. These notes live in
//! [`ArticleRedline`], apart from the title: a DOCX tracks the change instead.
//!
//! The redline is exact: the unchanged and inserted runs, read in order, are the new
//! document's text, and the unchanged and deleted runs the old one's (tested over the
//! examples, `tests/it/redline_roundtrip.rs`). Blocks are paired by similarity, not by
//! position, and a replaced stretch of words reads apart from its replacement.

use crate::document::{
    Article, ArticleRedline, Block, Change, Document, DocumentRedline, Inlines, List, Run,
    Signatory, Style, Table, plain_text,
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
    let mut push_left =
        |after: Option<String>, articles: &mut Vec<Article>, stats: &mut Vec<ArticleStat>| {
            for a in left_after.remove(&after).unwrap_or_default() {
                let mut art = a.clone();
                art.number = None;
                art.blocks = mark_blocks(&a.blocks, Change::Deleted);
                let mut note = ArticleRedline {
                    change: Change::Deleted,
                    old_number: a.number,
                    ..ArticleRedline::default()
                };
                if let Some(&now) = new_number.get(a.id.as_str()) {
                    // Moved: the heading says where it went.
                    note.prefix = "[Moved] ".into();
                    if let Some(n) = now {
                        note.suffix = format!(" (now {})", a.numbering.reference(n));
                    }
                    art.redline = Some(Box::new(note));
                    articles.push(art);
                    continue;
                }
                note.prefix = "[Removed] ".into();
                if let Some(r) = a.reference() {
                    note.suffix = format!(" (was {r})");
                }
                art.redline = Some(Box::new(note));
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
                if note.is_some() || o.title != a.title {
                    art.redline = Some(Box::new(ArticleRedline {
                        change: if is_moved {
                            Change::Inserted
                        } else {
                            Change::Unchanged
                        },
                        old_title: (o.title != a.title).then(|| o.title.clone()),
                        old_number: o.number,
                        prefix: String::new(),
                        suffix: note.map(|n| format!(" ({n})")).unwrap_or_default(),
                    }));
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
                // A moved article is inserted whole at its new place (its old text is
                // deleted at the old one); the statistics keep its word changes.
                art.blocks = if is_moved {
                    mark_blocks(&a.blocks, Change::Inserted)
                } else {
                    blocks
                };
                articles.push(art);
            }
            None => {
                let mut art = a.clone();
                art.redline = Some(Box::new(ArticleRedline {
                    change: Change::Inserted,
                    prefix: "[New] ".into(),
                    ..ArticleRedline::default()
                }));
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
    let dated = |d: &Document| {
        d.date
            .as_ref()
            .map(|d| format!("Dated {d}"))
            .unwrap_or_default()
    };
    document.redline = Some(Box::new(DocumentRedline {
        title: diff_text(&old.title, &new.title),
        subtitle: diff_text(&old.subtitle, &new.subtitle),
        date: diff_text(&dated(old), &dated(new)),
        signatures: changed_signatures(old, new),
    }));
    Redline { document, stats }
}

/// The signature blocks of each article in both documents that differ, paired in
/// order: (as the redline prints them, old, new).
fn changed_signatures(
    old: &Document,
    new: &Document,
) -> Vec<(Vec<Signatory>, Vec<Signatory>, Vec<Signatory>)> {
    fn collect<'a>(blocks: &'a [Block], out: &mut Vec<&'a Vec<Signatory>>) {
        for b in blocks {
            match b {
                Block::Signatures(s) => out.push(s),
                Block::List(l) => l.items.iter().for_each(|i| collect(i, out)),
                Block::Quote(inner) | Block::Note(inner) => collect(inner, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for a in &new.articles {
        let Some(o) = old.articles.iter().find(|o| o.id == a.id) else {
            continue;
        };
        let (mut os, mut ns) = (Vec::new(), Vec::new());
        collect(&o.blocks, &mut os);
        collect(&a.blocks, &mut ns);
        for (o, n) in os.into_iter().zip(ns) {
            if o != n {
                out.push((diff_signatures(o, n), o.clone(), n.clone()));
            }
        }
    }
    out
}

/// Two texts compared word by word: the runs of a redlined line.
pub fn diff_text(old: &str, new: &str) -> Inlines {
    let one = |s: &str| {
        if s.is_empty() {
            Vec::new()
        } else {
            vec![Run::plain(s)]
        }
    };
    diff_runs(&one(old), &one(new))
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

/// How alike two keys are, from 0 to 1: the share of their words in common (twice the
/// words of the longest common subsequence over the words of both).
fn similarity(a: &str, b: &str) -> f64 {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    if wa.is_empty() && wb.is_empty() {
        return 1.0;
    }
    let common: usize = capture_diff_slices(Algorithm::Myers, &wa, &wb)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    2.0 * common as f64 / (wa.len() + wb.len()) as f64
}

/// Below this share of words in common, two blocks are not versions of one another:
/// one is deleted and the other inserted.
const PAIR_AT: f64 = 0.5;

/// Pairs of a replaced stretch (old index, new index), in order, that are most alike
/// in all: a best monotone matching of the pairs at least [`PAIR_AT`] alike (dynamic
/// programming over the stretch; a stretch too long for that pairs by position).
fn pairs(
    olds: &[String],
    news: &[String],
    alike: &dyn Fn(usize, usize) -> Option<f64>,
) -> Vec<(usize, usize)> {
    let (n, m) = (olds.len(), news.len());
    if n * m > 40_000 {
        return (0..n.min(m))
            .filter(|&i| alike(i, i).is_some())
            .map(|i| (i, i))
            .collect();
    }
    let mut sim = vec![0.0f64; n * m];
    for i in 0..n {
        for j in 0..m {
            let s = match alike(i, j) {
                Some(floor) => similarity(&olds[i], &news[j]).max(floor),
                None => 0.0,
            };
            sim[i * m + j] = if s >= PAIR_AT { s } else { 0.0 };
        }
    }
    // best[i][j]: the best total over olds[i..] and news[j..].
    let mut best = vec![0.0f64; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let mut b = best[at(i + 1, j)].max(best[at(i, j + 1)]);
            let s = sim[i * m + j];
            if s > 0.0 {
                b = b.max(s + best[at(i + 1, j + 1)]);
            }
            best[at(i, j)] = b;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let s = sim[i * m + j];
        if s > 0.0 && (best[at(i, j)] - (s + best[at(i + 1, j + 1)])).abs() < 1e-12 {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if (best[at(i, j)] - best[at(i + 1, j)]).abs() < 1e-12 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Aligns two sequences by `key`: equal elements are kept, unmatched ones are marked
/// deleted or inserted, and the elements of a replaced stretch that are alike are
/// compared by `pair`. `kind` says whether two elements can be compared at all
/// (`None`) and how alike they count at least, whatever their words.
fn align<T: Clone>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> String,
    kind: impl Fn(&T, &T) -> Option<f64>,
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
            DiffOp::Replace {
                old_index,
                new_index,
                ..
            } => {
                let ok = &old_keys[old_index..old_index + olds.len()];
                let nk = &new_keys[new_index..new_index + news.len()];
                let alike = |i: usize, j: usize| kind(&olds[i], &news[j]);
                let (mut i, mut j) = (0, 0);
                for (pi, pj) in pairs(ok, nk, &alike)
                    .into_iter()
                    .chain([(olds.len(), news.len())])
                {
                    out.extend(olds[i..pi].iter().map(|x| mark(x, Change::Deleted)));
                    out.extend(news[j..pj].iter().map(|x| mark(x, Change::Inserted)));
                    if pi < olds.len() && pj < news.len() {
                        out.extend(pair(&olds[pi], &news[pj]));
                    }
                    (i, j) = (pi + 1, pj + 1);
                }
            }
        }
    }
    out
}

fn diff_blocks(old: &[Block], new: &[Block]) -> Vec<Block> {
    align(old, new, key, same_kind, diff_block, mark_block)
}

/// Blocks that can be compared word by word: of one kind (and for lists and tables,
/// of one shape). An article's signature blocks are one block in two versions, however
/// different their names: they always pair.
fn same_kind(a: &Block, b: &Block) -> Option<f64> {
    let comparable = match (a, b) {
        (Block::Signatures(_), Block::Signatures(_)) => return Some(1.0),
        (Block::List(x), Block::List(y)) => x.start.is_some() == y.start.is_some(),
        // A table under the same header is the same table, however many of its cells
        // change (a payment schedule whose every date moves): its rows are compared.
        (Block::Table(x), Block::Table(y))
            if x.header.len() == y.header.len()
                && x.header
                    .iter()
                    .map(|c| plain_text(c))
                    .eq(y.header.iter().map(|c| plain_text(c))) =>
        {
            return Some(1.0);
        }
        (Block::Table(x), Block::Table(y)) => x.header.len() == y.header.len(),
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    };
    comparable.then_some(0.0)
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
        |item| item.iter().map(key).collect::<Vec<_>>().join(" "),
        |_, _| Some(0.0),
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
                .join(" \u{1f} ")
        },
        // Rows that name themselves alike in their first cell ("1st", "Each
        // occurrence") are one row, whatever else changed in it: a schedule whose every
        // date and amount moves is still read row by row.
        |a, b| {
            let first = |r: &Vec<Inlines>| r.first().map(|c| plain_text(c)).unwrap_or_default();
            let (x, y) = (first(a), first(b));
            Some(if !x.trim().is_empty() && x == y {
                1.0
            } else {
                0.0
            })
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
        out.extend(words(&r.text).into_iter().map(|w| Run {
            text: w.to_string(),
            ..r.clone()
        }));
    }
    out
}

/// `s` cut before each word but the first: each piece a word and the spaces after it
/// (the first piece may start with spaces). Joined, the pieces are `s`. `mou amend`
/// cuts the text it words its changes from the same way.
pub fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in s.char_indices() {
        let space = c.is_whitespace();
        if in_space && !space {
            out.push(&s[start..i]);
            start = i;
        }
        in_space = space;
    }
    if start < s.len() {
        out.push(&s[start..]);
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
    separate(&mut out);
    out
}

/// Keeps a deleted stretch and the inserted one after it apart, so that a page without
/// colour reads "December 15, 2017 14, 2018", never "15, 201714, 2018": the space
/// before the stretch moves into both sides (each side's text is unchanged), or, at
/// the end of a paragraph, the deleted side ends with a space.
fn separate(runs: &mut Inlines) {
    let mut i = 0;
    while i + 1 < runs.len() {
        let glued = runs[i].style.change == Change::Deleted
            && runs[i + 1].style.change == Change::Inserted
            && !runs[i].style.line_break
            && !runs[i + 1].style.line_break
            && !runs[i].text.ends_with(char::is_whitespace)
            && !runs[i + 1].text.starts_with(char::is_whitespace);
        if !glued {
            i += 1;
            continue;
        }
        let before = i.checked_sub(1).filter(|&p| {
            let r = &runs[p];
            r.style.change == Change::Unchanged
                && !r.style.line_break
                && r.text.ends_with(char::is_whitespace)
        });
        if let Some(p) = before {
            let text = &runs[p].text;
            let cut = text.trim_end().len();
            let space = text[cut..].to_string();
            runs[p].text.truncate(cut);
            runs[i].text.insert_str(0, &space);
            runs[i + 1].text.insert_str(0, &space);
            if runs[p].text.is_empty() {
                runs.remove(p);
                i -= 1;
            }
        } else if i + 2 == runs.len() {
            runs[i].text.push(' ');
        }
        i += 2;
    }
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
            variant: None,
            redline: None,
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
            redline: None,
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
    fn a_replaced_stretch_reads_apart_from_its_replacement() {
        let d = diff_text("due December 15, 2017.", "due December 14, 2018.");
        let shown: Vec<(&str, Change)> = d
            .iter()
            .map(|r| (r.text.as_str(), r.style.change))
            .collect();
        assert_eq!(
            shown,
            [
                ("due December", Change::Unchanged),
                (" 15, 2017.", Change::Deleted),
                (" 14, 2018.", Change::Inserted),
            ]
        );
        // A whole line replaced: the deleted side ends with a space.
        let d = diff_text("Old", "New");
        assert_eq!(d[0].text, "Old ");
        assert_eq!(d[1].text, "New");
    }

    #[test]
    fn paragraphs_pair_by_similarity_not_position() {
        // The old second paragraph is the new third, nearly unchanged; a new paragraph
        // comes before it. Position would pair it with the new one.
        let old = vec![
            para("alpha beta gamma"),
            para("the officer will attend training every year"),
        ];
        let new = vec![
            para("alpha beta gamma"),
            para("something entirely different here"),
            para("the officer will attend training every school year"),
        ];
        let out = diff_blocks(&old, &new);
        let texts: Vec<Vec<(String, Change)>> = out
            .iter()
            .map(|b| match b {
                Block::Paragraph(r) => r.iter().map(|r| (r.text.clone(), r.style.change)).collect(),
                _ => panic!("{b:?}"),
            })
            .collect();
        assert_eq!(texts.len(), 3);
        assert!(
            texts[1].iter().all(|(_, c)| *c == Change::Inserted),
            "{texts:?}"
        );
        assert!(
            texts[2]
                .iter()
                .any(|(t, c)| t.contains("school") && *c == Change::Inserted)
        );
        assert!(
            texts[2]
                .iter()
                .any(|(t, c)| t.contains("officer") && *c == Change::Unchanged)
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
    fn a_moved_article_is_deleted_at_its_old_place_and_inserted_at_its_new_one() {
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
        // Its old text is deleted at the old place and its new text inserted at the
        // new one, so accepting and rejecting both give whole agreements.
        let marks = |a: &Article| {
            let mut m = Vec::new();
            visit_runs(&a.blocks, &mut |r| m.push(r.style.change));
            m
        };
        assert_eq!(marks(&r.document.articles[0]), [Change::Deleted]);
        assert_eq!(marks(&r.document.articles[4]), [Change::Inserted]);
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
