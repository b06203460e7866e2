//! Defined terms, as Common Form's linter treats them: a capitalised term defined in
//! parentheses — `("the District")`, `(this "Agreement")` — or by `"Term" means`, may be
//! used anywhere; defining it twice, never using it, or using a term the library
//! defines elsewhere without defining it here is worth a warning.
use crate::check::codes;

use crate::diag::{Diagnostic, line_col};
use crate::document::{Block, Document, plain_text};
use crate::library::Library;
use std::collections::BTreeMap;
use std::path::Path;

/// A definition found in text: the term's core (`District` for "the District") and
/// the byte range of the defining phrase, which does not count as a use.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub core: String,
    pub range: std::ops::Range<usize>,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201d}')
}

/// Definitions in one paragraph.
pub fn definitions(text: &str) -> Vec<Definition> {
    let mut out = Vec::new();
    let quotes: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| is_quote(*c)).collect();
    for pair in quotes.chunks(2) {
        let [(open, open_ch), (close, close_ch)] = pair else {
            break;
        };
        let term = &text[open + open_ch.len_utf8()..*close];
        let end = close + close_ch.len_utf8();
        let core = term
            .strip_prefix("the ")
            .or_else(|| term.strip_prefix("The "))
            .unwrap_or(term)
            .trim_end_matches(['.', ','])
            .to_string();
        if core.is_empty()
            || core.len() > 60
            || !core.chars().next().is_some_and(char::is_uppercase)
        {
            continue;
        }
        let after = &text[end..];
        let before = &text[..*open];
        // Inside a short parenthesis: `(the "Program")`.
        let paren_open = before
            .rfind('(')
            .filter(|p| !before[*p..].contains(')') && open - p <= 40);
        let paren_close = after.find(')').filter(|p| *p <= 4);
        if let (Some(po), Some(pc)) = (paren_open, paren_close) {
            out.push(Definition {
                core,
                range: po..end + pc + 1,
            });
            continue;
        }
        // `"Term" means` / `"Term" shall mean`.
        let rest = after.trim_start_matches([',', ' ']);
        if rest.starts_with("means") || rest.starts_with("shall mean") {
            out.push(Definition {
                core,
                range: *open..end,
            });
        }
    }
    out
}

/// Whole-word occurrences of `core` in `text`, outside `skip` ranges.
fn uses(text: &str, core: &str, skip: &[std::ops::Range<usize>]) -> usize {
    text.match_indices(core)
        .filter(|(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + core.len()..].chars().next();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            !word(before) && !word(after) && !skip.iter().any(|r| r.contains(i))
        })
        .count()
}

/// Paragraph texts of an article (lists and tables included; headings are titles,
/// not prose).
fn texts(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Paragraph(runs) => out.push(plain_text(runs)),
            Block::List(l) => l.items.iter().for_each(|i| texts(i, out)),
            Block::Table(t) => t
                .rows
                .iter()
                .flatten()
                .for_each(|c| out.push(plain_text(c))),
            Block::Quote(inner) => texts(inner, out),
            _ => {}
        }
    }
}

/// Terms the library defines with literal text (not through a template value).
pub fn library_terms(lib: &Library) -> Vec<String> {
    let mut terms: Vec<String> = lib
        .clauses
        .values()
        .flatten()
        .flat_map(|c| definitions(&c.body))
        .map(|d| d.core)
        .filter(|c| !c.contains('{'))
        .collect();
    terms.sort();
    terms.dedup();
    terms
}

/// Where an article's clause lives: file, template body, first line of the body.
pub type ClausePlace = (std::path::PathBuf, String, usize);

/// Warnings for one assembled agreement. `place` maps an article id to its clause file
/// and body, so each warning points at a line.
pub fn check(
    doc: &Document,
    library_terms: &[String],
    place: &dyn Fn(&str) -> Option<ClausePlace>,
    profile_path: &Path,
) -> Vec<Diagnostic> {
    struct Para {
        article: usize,
        text: String,
        defs: Vec<Definition>,
    }
    let mut paras = Vec::new();
    for (a, article) in doc.articles.iter().enumerate() {
        let mut t = Vec::new();
        texts(&article.blocks, &mut t);
        for text in t {
            let defs = definitions(&text);
            paras.push(Para {
                article: a,
                text,
                defs,
            });
        }
    }
    let name = |a: usize| {
        let art = &doc.articles[a];
        art.label().unwrap_or_else(|| art.title.clone())
    };
    let locate = |a: usize, needle: &str, d: Diagnostic| -> Diagnostic {
        let id = &doc.articles[a].id;
        match place(id) {
            Some((path, body, body_line)) => {
                let mut d = d;
                d.file = path;
                match body.find(needle) {
                    Some(o) => {
                        let (l, c) = line_col(&body, o);
                        d.at(body_line + l - 1, c)
                    }
                    None => d.at(body_line, 1),
                }
            }
            None => d,
        }
    };
    let mut defined: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for p in &paras {
        for d in &p.defs {
            defined.entry(d.core.clone()).or_default().push(p.article);
        }
    }
    let mut out = Vec::new();
    for (core, places) in &defined {
        if places.len() > 1 {
            let where_ = places
                .iter()
                .map(|a| name(*a))
                .collect::<Vec<_>>()
                .join(" and ");
            out.push(locate(
                places[1],
                core,
                Diagnostic::warning(
                    codes::W0701,
                    profile_path,
                    format!("\"{core}\" is defined more than once: in {where_}"),
                ),
            ));
        }
        let count: usize = paras
            .iter()
            .map(|p| {
                let skip: Vec<_> = p.defs.iter().map(|d| d.range.clone()).collect();
                uses(&p.text, core, &skip)
            })
            .sum();
        if count == 0 {
            out.push(locate(
                places[0],
                core,
                Diagnostic::warning(
                    codes::W0702,
                    profile_path,
                    format!(
                        "\"{core}\" is defined in {} but never used",
                        name(places[0])
                    ),
                ),
            ));
        }
    }
    for core in library_terms {
        if defined.contains_key(core) {
            continue;
        }
        let phrase = format!("the {core}");
        let used: Vec<usize> = paras
            .iter()
            .filter(|p| uses(&p.text, &phrase, &[]) > 0)
            .map(|p| p.article)
            .collect();
        if let Some(first) = used.first() {
            let mut names: Vec<String> = used.iter().map(|a| name(*a)).collect();
            names.dedup();
            out.push(locate(
                *first,
                core,
                Diagnostic::warning(
                    codes::W0703,
                    profile_path,
                    format!(
                        "\"{core}\" is used as a defined term in {} but this agreement never defines it",
                        names.join(", ")
                    ),
                )
                .with_help("the clause that defines it may be excluded; define it where it is first used"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_parenthetical_and_means_definitions() {
        let t = "Tehachapi Unified School District (\"the District\") and the program (the \u{201c}Program\u{201d}). \"Term\" means the period.";
        let d = definitions(t);
        let cores: Vec<&str> = d.iter().map(|d| d.core.as_str()).collect();
        assert_eq!(cores, ["District", "Program", "Term"]);
        assert_eq!(&t[d[0].range.clone()], "(\"the District\")");
    }

    #[test]
    fn lowercase_and_plain_quotes_are_not_definitions() {
        assert!(definitions("each a \"party\" and a quote \"Hello there\" said").is_empty());
    }

    #[test]
    fn counts_whole_words_outside_the_definition() {
        let t = "The District (\"the District\") and Districts.";
        let d = definitions(t);
        let skip: Vec<_> = d.iter().map(|d| d.range.clone()).collect();
        assert_eq!(uses(t, "District", &skip), 1);
    }
}
