//! The names that carry clause ids through Word: one bookmark per article and section,
//! and one custom document property per article (`docProps/custom.xml`).
//!
//! This is a contract with `mou review`, which reads a returned DOCX: an article's
//! heading paragraph is enclosed in the bookmark `mou_` + its id (`-` and any other
//! character Word does not allow in a bookmark name become `_`), cut to Word's 40
//! characters, with `_2`, `_3`… when cut names collide; a section's is the article's
//! name + `_s<k>` (the k-th section heading of the article, from 1). Each article's
//! property is named like its bookmark and holds `id[/variant]@version`. Two carriers,
//! because editors drop one or the other: Word keeps both; a bookmark goes when its
//! heading is deleted, the properties survive any edit of the body.

use super::parts::XML_DECL;
use super::xml::escape;
use crate::document::{Article, Change, Document};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Word refuses longer bookmark names.
pub const MAX_NAME: usize = 40;

/// The bookmark of each article, by id, fixed before the body is written so that a
/// cross-reference can name an article further on.
pub struct Bookmarks {
    by_id: BTreeMap<String, String>,
    used: BTreeSet<String>,
}

impl Bookmarks {
    /// Names for every article a reader of the document sees as live: a redline's
    /// deleted articles (removed, or the old place of a moved one) get none, so a
    /// name always points at the text the agreement has once changes are accepted.
    pub fn new(doc: &Document) -> Bookmarks {
        let mut b = Bookmarks {
            by_id: BTreeMap::new(),
            used: BTreeSet::new(),
        };
        for a in doc.articles.iter().filter(|a| has_bookmark(a)) {
            if b.by_id.contains_key(&a.id) {
                continue;
            }
            let name = b.unique(&base_name(&a.id), "");
            b.by_id.insert(a.id.clone(), name);
        }
        b
    }

    /// The article's bookmark, if it has one.
    pub fn article(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(String::as_str)
    }

    /// The bookmark of the `k`-th section of article `id` (from 1).
    pub fn section(&mut self, id: &str, k: usize) -> Option<String> {
        let article = self.by_id.get(id)?.clone();
        Some(self.unique(&article, &format!("_s{k}")))
    }

    /// `base` + `suffix` within [`MAX_NAME`], made unique by a counter.
    fn unique(&mut self, base: &str, suffix: &str) -> String {
        let mut n = 1usize;
        loop {
            let tail = if n == 1 {
                suffix.to_string()
            } else {
                format!("{suffix}_{n}")
            };
            let keep = MAX_NAME.saturating_sub(tail.len());
            let name = format!("{}{tail}", &base[..base.len().min(keep)]);
            if self.used.insert(name.clone()) {
                return name;
            }
            n += 1;
        }
    }
}

/// Whether an article carries a bookmark and a property: not a redline's deleted one.
pub fn has_bookmark(a: &Article) -> bool {
    a.redline
        .as_ref()
        .is_none_or(|r| r.change != Change::Deleted)
}

/// `mou_` + the id with every character outside `[A-Za-z0-9_]` as `_` (ASCII only, so
/// a byte cut is a character cut).
fn base_name(id: &str) -> String {
    let mut s = String::from("mou_");
    s.extend(id.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '_'
        }
    }));
    s
}

/// `id[/variant]@version`, the value of an article's property.
pub fn provenance(a: &Article) -> String {
    match &a.variant {
        Some(v) => format!("{}/{v}@{}", a.id, a.version),
        None => format!("{}@{}", a.id, a.version),
    }
}

/// `docProps/custom.xml`: one string property per bookmarked article.
pub fn custom_properties(doc: &Document, names: &Bookmarks) -> String {
    let mut s = format!(
        "{XML_DECL}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
    );
    let mut pid = 2;
    let mut seen = BTreeSet::new();
    for a in &doc.articles {
        let Some(name) = names.article(&a.id) else {
            continue;
        };
        if !has_bookmark(a) || !seen.insert(name) {
            continue;
        }
        let _ = write!(
            s,
            "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{pid}\" \
             name=\"{}\"><vt:lpwstr>{}</vt:lpwstr></property>",
            escape(name),
            escape(&provenance(a))
        );
        pid += 1;
    }
    s.push_str("</Properties>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_contract() {
        assert_eq!(base_name("school-discipline"), "mou_school_discipline");
        assert_eq!(base_name("exhibit:A"), "mou_exhibit_A");
        let mut b = Bookmarks {
            by_id: BTreeMap::new(),
            used: BTreeSet::new(),
        };
        let long = base_name("a-very-long-clause-identifier-that-goes-on-and-on");
        let first = b.unique(&long, "");
        let second = b.unique(&long, "");
        assert_eq!(first.len(), MAX_NAME);
        assert_eq!(second.len(), MAX_NAME);
        assert!(second.ends_with("_2"));
        assert_ne!(first, second);
        b.by_id.insert("x".into(), first.clone());
        let s = b.section("x", 12).unwrap();
        assert!(s.len() <= MAX_NAME && s.ends_with("_s12"), "{s}");
    }
}
