//! An article's blocks as HTML. Heading levels follow the page, not the Markdown:
//! the title is `h1`, an article `h2`, its sections `h3`, and nothing skips a level.
//! Every table has a caption and header cells with their scope.

use super::Ids;
use super::escape::push;
use super::inlines::push_runs;
use super::signatures::push_signatures;
use crate::document::{Align, Article, Block, List, Numbering, Table, plain_text};
use std::fmt::Write;

/// What the blocks of one article share while they are written.
pub struct Ctx<'a> {
    pub ids: &'a Ids,
    pub article: &'a Article,
    /// Tables so far in this article, for captions.
    pub tables: usize,
    /// Signature groups so far in the document, for their labels' ids.
    pub signatures: &'a mut usize,
    /// The level of the last heading written (2, the article's, to start).
    pub last_heading: u8,
}

/// Appends `blocks`. Recurses once per list, quote or note level: at most
/// [`crate::document::MAX_NESTING`].
pub fn push_blocks(out: &mut String, blocks: &[Block], cx: &mut Ctx) {
    for (i, block) in blocks.iter().enumerate() {
        let before = i.checked_sub(1).map(|p| &blocks[p]);
        push_block(out, block, before, cx);
    }
}

fn push_block(out: &mut String, block: &Block, before: Option<&Block>, cx: &mut Ctx) {
    match block {
        Block::Heading {
            level,
            number,
            text,
        } => {
            // Markdown `##` (level 2) is a section: h3 under the article's h2, and a
            // heading goes at most one level below the one before it.
            let h = level.saturating_add(1).min(cx.last_heading + 1).clamp(3, 6);
            cx.last_heading = h;
            let _ = write!(out, "<h{h}>");
            match (number, cx.article.numbering) {
                (Some(n), Numbering::Articles) => {
                    out.push_str("Section ");
                    push(out, n);
                    out.push_str(". ");
                }
                (Some(n), Numbering::Decimal) => {
                    push(out, n);
                    out.push(' ');
                }
                (None, _) => {}
            }
            push_runs(out, text, cx.ids);
            let _ = writeln!(out, "</h{h}>");
        }
        Block::Paragraph(runs) => {
            out.push_str("<p>");
            push_runs(out, runs, cx.ids);
            out.push_str("</p>\n");
        }
        Block::List(list) => push_list(out, list, cx),
        Block::Table(table) => push_table(out, table, before, cx),
        Block::Signatures(sigs) => push_signatures(out, sigs, cx),
        Block::Quote(inner) => {
            out.push_str("<blockquote>\n");
            push_blocks(out, inner, cx);
            out.push_str("</blockquote>\n");
        }
        Block::Note(inner) => {
            // Inside an article an unnamed aside is not a landmark of its own.
            out.push_str("<aside class=\"note\">\n<p class=\"note-label\">Drafting note</p>\n");
            push_blocks(out, inner, cx);
            out.push_str("</aside>\n");
        }
        Block::Rule => out.push_str("<hr>\n"),
    }
}

fn push_list(out: &mut String, list: &List, cx: &mut Ctx) {
    let tag = match list.start {
        Some(1) => {
            out.push_str("<ol>\n");
            "ol"
        }
        Some(start) => {
            let _ = writeln!(out, "<ol start=\"{start}\">");
            "ol"
        }
        None => {
            out.push_str("<ul>\n");
            "ul"
        }
    };
    for item in &list.items {
        out.push_str("<li>");
        // A tight item (one paragraph) needs no paragraph element of its own.
        match item.as_slice() {
            [Block::Paragraph(runs)] => push_runs(out, runs, cx.ids),
            blocks => {
                out.push('\n');
                push_blocks(out, blocks, cx);
            }
        }
        out.push_str("</li>\n");
    }
    let _ = writeln!(out, "</{tag}>");
}

fn push_table(out: &mut String, table: &Table, before: Option<&Block>, cx: &mut Ctx) {
    cx.tables += 1;
    out.push_str("<table>\n<caption class=\"sr\">");
    push(out, &caption(before, cx));
    out.push_str("</caption>\n");
    let class = |i: usize| match table.align.get(i) {
        Some(Align::Right) => " class=\"r\"",
        Some(Align::Center) => " class=\"c\"",
        _ => "",
    };
    if !table.header.is_empty() {
        out.push_str("<thead>\n<tr>");
        for (i, cell) in table.header.iter().enumerate() {
            // An empty header cell names nothing: an ordinary cell holds the place.
            let tag = if plain_text(cell).trim().is_empty() {
                "td"
            } else {
                "th scope=\"col\""
            };
            let _ = write!(out, "<{tag}{}>", class(i));
            push_runs(out, cell, cx.ids);
            out.push_str(if tag == "td" { "</td>" } else { "</th>" });
        }
        out.push_str("</tr>\n</thead>\n");
    }
    out.push_str("<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            // The first column names its row (a school, a coverage, an installment).
            let head = i == 0 && row.len() > 1 && !plain_text(cell).trim().is_empty();
            let _ = if head {
                write!(out, "<th scope=\"row\"{}>", class(i))
            } else {
                write!(out, "<td{}>", class(i))
            };
            push_runs(out, cell, cx.ids);
            out.push_str(if head { "</th>" } else { "</td>" });
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Words that end in a full stop without ending a sentence: the citations clauses make
/// ("Fla. Stat. § 1006.12", "Conn. Gen. Stat.") and common titles and abbreviations.
const ABBREVIATIONS: [&str; 24] = [
    "Ann", "Cal", "Co", "Code", "Conn", "Corp", "Dept", "Dr", "Fla", "Gen", "Inc", "Mr", "Mrs",
    "Ms", "No", "Nos", "Rev", "Sec", "St", "Stat", "Supp", "Tex", "Va", "Wash",
];

/// The last sentence of `text`: what follows the last full stop that ends a word which
/// is not an abbreviation or an initial ("J. Smith", "U.S", "e.g"), before a capital.
fn last_sentence(text: &str) -> &str {
    let mut end = text.len();
    while let Some(dot) = text[..end].rfind(". ") {
        end = dot;
        let after = text[dot + 2..].trim_start();
        let word = text[..dot]
            .rsplit(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        let capital = after
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || matches!(c, '"' | '\u{201c}'));
        let dotted = word.contains('.')
            && word
                .split('.')
                .all(|p| p.chars().count() <= 2 && p.chars().all(char::is_alphabetic));
        let abbreviation = word.chars().count() <= 1 || dotted || ABBREVIATIONS.contains(&word);
        if capital && !abbreviation {
            return after;
        }
    }
    text
}

/// The caption a screen reader announces (the page shows the sentence introducing the
/// table already): that sentence, when the paragraph before the table ends with one
/// that leads into it ("… as shown in the following table:") and is short enough to
/// name it; else the table's place, "Table 2 in Article IV, Funding".
fn caption(before: Option<&Block>, cx: &Ctx) -> String {
    if let Some(Block::Paragraph(runs)) = before {
        let text = plain_text(runs);
        let text = text.trim();
        if let Some(lead) = text.strip_suffix(':') {
            let sentence = last_sentence(lead).trim();
            if !sentence.is_empty() && sentence.chars().count() <= 160 {
                return sentence.to_string();
            }
        }
    }
    let a = cx.article;
    match a.reference() {
        Some(r) => format!("Table {} in {r}, {}", cx.tables, a.title),
        None => format!("Table {} in {}", cx.tables, a.title),
    }
}

#[cfg(test)]
mod tests {
    use super::last_sentence;

    #[test]
    fn a_citation_does_not_end_the_sentence() {
        assert_eq!(
            last_sentence("Funding follows Fla. Stat. § 1006.12. The costs are as follows"),
            "The costs are as follows"
        );
        assert_eq!(
            last_sentence("Under Fla. Stat. § 1006.12 the costs are as follows"),
            "Under Fla. Stat. § 1006.12 the costs are as follows"
        );
        assert_eq!(
            last_sentence("Paid to J. Smith. Then the U.S. Marshal sets these"),
            "Then the U.S. Marshal sets these"
        );
        assert_eq!(last_sentence("One. two"), "One. two");
    }
}
