//! Which article each paragraph of a DOCX belongs to.
//!
//! In our own build: the paragraph carrying an article's `mou_<clause>` bookmark starts
//! it when the writer sets them, else the article headings (style `Heading1`), one per
//! article in order. In theirs: the same bookmarks when the other side's editor kept
//! them; otherwise their paragraphs are aligned with ours by text (unchanged paragraphs
//! anchor the alignment), and a paragraph between two anchors goes with the one it most
//! resembles, or, failing that, with the article before it, unless a heading of an
//! article we do not have starts a new one.

use super::text::{normalize, similarity};
use super::{Built, bookmark_name};
use crate::document::Document;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::BTreeMap;

/// Section of each paragraph of our own build: 0 title block, `i + 1` article `i`.
pub fn own_sections(doc: &Document, body: &super::Body) -> Result<Vec<usize>, String> {
    let names: BTreeMap<String, usize> = doc
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (bookmark_name(&a.id), i + 1))
        .collect();
    let by_bookmark = body
        .paragraphs
        .iter()
        .filter(|p| p.bookmarks.iter().any(|b| names.contains_key(b)))
        .count();
    let mut owner = Vec::with_capacity(body.paragraphs.len());
    let mut current = 0;
    if by_bookmark == doc.articles.len() {
        for p in &body.paragraphs {
            if let Some(s) = p.bookmarks.iter().find_map(|b| names.get(b)) {
                current = *s;
            }
            owner.push(current);
        }
        return Ok(owner);
    }
    let headings = body.paragraphs.iter().filter(|p| p.is_heading1()).count();
    if headings != doc.articles.len() {
        return Err(format!(
            "{} articles but {headings} article headings and {by_bookmark} article bookmarks",
            doc.articles.len()
        ));
    }
    for p in &body.paragraphs {
        if p.is_heading1() {
            current += 1;
        }
        owner.push(current);
    }
    Ok(owner)
}

/// Section of each paragraph of their DOCX. Sections past our last article are articles
/// they added, in order.
pub fn assign(ours: &Built, theirs: &super::Body) -> Vec<usize> {
    let sections = ours.doc.articles.len() + 1;
    let names: BTreeMap<String, usize> = ours
        .doc
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (bookmark_name(&a.id), i + 1))
        .collect();
    let bookmarked = theirs
        .paragraphs
        .iter()
        .filter(|p| p.bookmarks.iter().any(|b| names.contains_key(b)))
        .count();
    // Bookmarks are trusted when most of them survived (an article they deleted whole
    // takes its bookmark with it).
    if bookmarked > 0 && bookmarked * 2 >= ours.doc.articles.len() {
        let mut owner = Vec::with_capacity(theirs.paragraphs.len());
        let mut current = 0;
        let mut added = 0;
        for p in &theirs.paragraphs {
            if let Some(s) = p.bookmarks.iter().find_map(|b| names.get(b)) {
                current = *s;
            } else if p.is_heading1() && !p.text(true).trim().is_empty() && {
                let t = normalize(&p.text(false));
                t.is_empty() || !ours_has_heading(ours, &t)
            } {
                current = sections + added;
                added += 1;
            }
            owner.push(current);
        }
        return owner;
    }
    by_text(ours, theirs, sections)
}

fn ours_has_heading(ours: &Built, text: &str) -> bool {
    ours.body
        .paragraphs
        .iter()
        .any(|p| p.is_heading1() && normalize(&p.text(true)) == text)
}

fn by_text(ours: &Built, theirs: &super::Body, sections: usize) -> Vec<usize> {
    // Our non-empty paragraphs and their sections.
    let mine: Vec<(String, usize)> = ours
        .body
        .paragraphs
        .iter()
        .zip(&ours.owner)
        .map(|(p, o)| (normalize(&p.text(true)), *o))
        .filter(|(t, _)| !t.is_empty())
        .collect();
    // Their paragraphs as they read before their tracked changes (what they started
    // from is what we sent); indices of the non-empty ones.
    let texts: Vec<String> = theirs
        .paragraphs
        .iter()
        .map(|p| normalize(&p.text(false)))
        .collect();
    let keyed: Vec<usize> = (0..texts.len()).filter(|i| !texts[*i].is_empty()).collect();
    let a: Vec<&str> = mine.iter().map(|(t, _)| t.as_str()).collect();
    let b: Vec<&str> = keyed.iter().map(|i| texts[*i].as_str()).collect();
    let mut owner: Vec<Option<usize>> = vec![None; theirs.paragraphs.len()];
    let mut gaps: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &a, &b) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    owner[keyed[new_index + k]] = Some(mine[old_index + k].1);
                }
            }
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => gaps.push((old_index..old_index, new_index..new_index + new_len)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => gaps.push((
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            )),
            DiffOp::Delete { .. } => {}
        }
    }
    // A paragraph in a gap that resembles one of ours there (an edited paragraph) goes
    // with it.
    for (old, new) in &gaps {
        for j in new.clone() {
            let best = old
                .clone()
                .map(|i| (similarity(&mine[i].0, b[j]), mine[i].1))
                .fold(None::<(f64, usize)>, |acc, x| match acc {
                    Some(a) if a.0 >= x.0 => Some(a),
                    _ => Some(x),
                });
            if let Some((score, s)) = best
                && score >= 0.5
            {
                owner[keyed[j]] = Some(s);
            }
        }
    }
    // The rest: with the section before, unless a heading we do not have starts an
    // article of theirs. Empty paragraphs go with the paragraph before.
    let mut current = 0;
    let mut added = 0;
    let mut out = Vec::with_capacity(owner.len());
    for (i, o) in owner.iter().enumerate() {
        match o {
            Some(s) => current = *s,
            None => {
                let p = &theirs.paragraphs[i];
                if p.is_heading1() && (!texts[i].is_empty() || !p.text(true).trim().is_empty()) {
                    current = sections + added;
                    added += 1;
                }
            }
        }
        out.push(current);
    }
    out
}
