//! HTML writer: the agreement as one self-contained, accessible web page (SPEC §7),
//! for a district's website (ADA Title II asks WCAG 2.1 AA of it) and for the
//! preview of `mou serve`. Inline style, no scripts, no requests; a skip link, the
//! banner, navigation (the contents), main and footer landmarks; `h1` to `h3` in order;
//! a print style for US Letter. `tests/it/html_axe.rs` runs axe-core in Chromium over
//! every example.
//!
//! Bytes depend on the Document alone, so the same agreement is the same file.

mod blocks;
mod escape;
mod inlines;
mod legend;
mod signatures;
mod style;

use crate::document::{Article, Document};
use escape::push;
use std::collections::BTreeMap;

pub use escape::escaped;

/// The `id` attribute of each article, by the article's id (a clause id or
/// `exhibit:LABEL`): what a cross-reference links to.
#[derive(Default)]
pub struct Ids(BTreeMap<String, String>);

impl Ids {
    /// The ids of `doc`'s articles, in order. An id is `art-` and the article's id with
    /// every character but ASCII letters, digits and `-` written `_` and two hex digits
    /// per byte, so it is valid, unique for each article id, and clear of the page's own
    /// ids (`main`, `contents-h`, `sig-1`, …). A second article with the same id (never
    /// assembled, but a Document can be built by hand) gets `_2`, `_3`, …
    fn for_articles(articles: &[Article]) -> (Ids, Vec<String>) {
        let mut ids = Ids::default();
        let mut each = Vec::with_capacity(articles.len());
        let mut taken = std::collections::BTreeSet::new();
        for a in articles {
            let base = html_id(&a.id);
            let mut id = base.clone();
            let mut n = 1;
            while !taken.insert(id.clone()) {
                n += 1;
                id = format!("{base}_{n}");
            }
            ids.0.entry(a.id.clone()).or_insert_with(|| id.clone());
            each.push(id);
        }
        (ids, each)
    }

    pub fn get(&self, article_id: &str) -> Option<&str> {
        self.0.get(article_id).map(String::as_str)
    }

    #[cfg(test)]
    pub fn insert(&mut self, article_id: &str, html_id: String) {
        self.0.insert(article_id.to_string(), html_id);
    }
}

fn html_id(article_id: &str) -> String {
    let mut out = String::with_capacity(article_id.len() + 4);
    out.push_str("art-");
    for b in article_id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    out
}

/// A `lang` value: the document's BCP 47 tag when it is well formed, else `en`.
fn language(tag: &str) -> &str {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok { tag } else { "en" }
}

pub fn render(doc: &Document) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let (ids, each) = Ids::for_articles(&doc.articles);
    let redline = doc.has_changes();
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    push(&mut out, language(&doc.language));
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>");
    if doc.draft {
        out.push_str("Draft: ");
    }
    if redline {
        out.push_str("Redline: ");
    }
    let title = if doc.title.trim().is_empty() {
        "Agreement"
    } else {
        doc.title.trim()
    };
    push(&mut out, title);
    if !doc.short_title.trim().is_empty() && doc.short_title.trim() != title {
        out.push_str(" (");
        push(&mut out, doc.short_title.trim());
        out.push(')');
    }
    out.push_str("</title>\n");
    if !doc.subject.trim().is_empty() {
        out.push_str("<meta name=\"description\" content=\"");
        push(&mut out, doc.subject.trim());
        out.push_str("\">\n");
    }
    style::push_style(&mut out, doc);
    out.push_str("</head>\n");
    out.push_str(if doc.draft {
        "<body class=\"draft\">\n"
    } else {
        "<body>\n"
    });
    out.push_str("<a class=\"skip\" href=\"#main\">Skip to the agreement</a>\n");

    out.push_str("<header>\n");
    if doc.draft {
        out.push_str(
            "<p class=\"draft-banner\"><strong>DRAFT</strong> \u{2014} not for signature</p>\n",
        );
    }
    out.push_str("<h1>");
    push(&mut out, title);
    out.push_str("</h1>\n");
    if !doc.subtitle.trim().is_empty() {
        out.push_str("<p class=\"subtitle\">");
        push(&mut out, &doc.subtitle);
        out.push_str("</p>\n");
    }
    if let Some(date) = &doc.date {
        out.push_str("<p class=\"dated\">Dated ");
        push(&mut out, date);
        out.push_str("</p>\n");
    }
    out.push_str("</header>\n");

    if !doc.articles.is_empty() {
        out.push_str(
            "<nav aria-labelledby=\"contents-h\">\n<h2 id=\"contents-h\">Contents</h2>\n<ol>\n",
        );
        for (a, id) in doc.articles.iter().zip(&each) {
            out.push_str("<li><a href=\"#");
            out.push_str(id);
            out.push_str("\">");
            push_article_heading(&mut out, a);
            out.push_str("</a></li>\n");
        }
        out.push_str("</ol>\n</nav>\n");
    }

    out.push_str("<main id=\"main\" tabindex=\"-1\">\n");
    if redline {
        legend::push_legend(&mut out);
    }
    let mut signatures = 0;
    for (a, id) in doc.articles.iter().zip(&each) {
        let class = if crate::exhibits::is_exhibit(a) {
            " class=\"exhibit\""
        } else {
            ""
        };
        out.push_str("<article id=\"");
        out.push_str(id);
        out.push_str("\" aria-labelledby=\"");
        out.push_str(id);
        out.push_str("-h\"");
        out.push_str(class);
        out.push_str(">\n<h2 id=\"");
        out.push_str(id);
        out.push_str("-h\">");
        push_article_heading(&mut out, a);
        out.push_str("</h2>\n");
        let mut cx = blocks::Ctx {
            ids: &ids,
            article: a,
            tables: 0,
            signatures: &mut signatures,
            last_heading: 2,
        };
        blocks::push_blocks(&mut out, &a.blocks, &mut cx);
        out.push_str("</article>\n");
    }
    out.push_str("</main>\n");

    out.push_str("<footer>\n<p>");
    let foot = if doc.short_title.trim().is_empty() {
        title
    } else {
        doc.short_title.trim()
    };
    push(&mut out, foot);
    if doc.draft {
        out.push_str(" \u{2014} draft, not for signature");
    }
    out.push_str("</p>\n</footer>\n</body>\n</html>\n");
    out
}

/// `Article IV. Funding` (upper case by style, so a screen reader reads words, not
/// letters), `4. Funding`, or the title of an unnumbered article.
fn push_article_heading(out: &mut String, a: &Article) {
    if let Some(n) = a.number {
        let label = match a.numbering {
            crate::document::Numbering::Articles => a.numbering.reference(n),
            crate::document::Numbering::Decimal => n.to_string(),
        };
        push(out, &label);
        out.push_str(". ");
    }
    push(out, &a.title);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_unique_and_prefixed() {
        assert_eq!(html_id("duties"), "art-duties");
        assert_eq!(html_id("exhibit:A"), "art-exhibit_3aA");
        assert_eq!(html_id("a b"), "art-a_20b");
        assert_ne!(html_id("a_3ab"), html_id("a:b"));
    }

    #[test]
    fn language_tags() {
        assert_eq!(language("en-US"), "en-US");
        assert_eq!(language("es"), "es");
        assert_eq!(language(""), "en");
        assert_eq!(language("en\" onload=\"x"), "en");
    }
}
