//! Clause text that names an article by number ("Article XVI", "Article 4") instead of
//! `ref(id=…)`. Numbers change when an outline, an include or an exclude moves the
//! articles, and a typed number never follows: the agreement then points at the wrong
//! article, or at one it does not have.
use crate::check::codes;
use crate::diag::{Diagnostic, line_col};
use crate::library::ClauseVersion;

/// One warning per typed article number in the clause's text (template tags and
/// comments are not text).
pub fn check_clause(clause: &ClauseVersion) -> Vec<Diagnostic> {
    let body = &clause.body;
    let mut out = Vec::new();
    for (start, end) in text_spans(body) {
        let text = &body[start..end];
        let mut from = 0;
        while let Some(i) = text[from..].find("Article ") {
            let at = from + i;
            from = at + "Article ".len();
            let number: String = text[from..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || "IVXLC".contains(*c))
                .collect();
            let after = text[from + number.len()..].chars().next();
            if number.is_empty() || after.is_some_and(char::is_alphanumeric) {
                continue;
            }
            // "Article V of the Constitution" cites another instrument, not this one.
            if text[from + number.len()..].starts_with(" of ") {
                continue;
            }
            let (line, col) = line_col(body, start + at);
            out.push(
                Diagnostic::warning(
                    codes::W0307,
                    &clause.path,
                    format!(
                        "clause `{}` names \"Article {number}\" by number; the number changes when articles are added, left out or moved",
                        clause.id
                    ),
                )
                .at(clause.body_line + line - 1, col)
                .with_help("write {{ ref(id=\"<clause id>\") }}, or ref(id=…, or=\"this Agreement\") when the article may be left out"),
            );
        }
    }
    out
}

/// Byte ranges of a template body outside `{{ }}`, `{% %}` and `{# #}`, in one pass:
/// looking for each opener from every tag to the end of the body was quadratic, and
/// the largest share of `mou check` on one profile.
fn text_spans(body: &str) -> Vec<(usize, usize)> {
    let bytes = body.as_bytes();
    let mut spans = Vec::new();
    let mut pos = 0;
    let mut from = 0;
    while let Some(k) = body[from..].find('{') {
        let i = from + k;
        let close = match bytes.get(i + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                from = i + 1;
                continue;
            }
        };
        spans.push((pos, i));
        pos = body[i + 2..]
            .find(close)
            .map_or(body.len(), |j| i + 2 + j + 2);
        from = pos;
    }
    if pos < body.len() {
        spans.push((pos, body.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<(usize, usize)> {
        let mut c = ClauseVersion::sample("x", "1.0.0", body);
        c.body_line = 8;
        check_clause(&c)
            .iter()
            .map(|d| (d.line, d.column))
            .collect()
    }

    #[test]
    fn typed_article_numbers_are_found_where_written() {
        assert_eq!(found("Notice under Article XVI is required."), [(8, 14)]);
        assert_eq!(
            found("One.\nSee Article 4, and Article IV."),
            [(9, 5), (9, 20)]
        );
    }

    #[test]
    fn spans_skip_every_kind_of_tag() {
        let body = "a {{ x }} b {% if y %}c{# n #} {d} {{ unclosed";
        let spans: Vec<&str> = text_spans(body).iter().map(|&(a, b)| &body[a..b]).collect();
        assert_eq!(spans, ["a ", " b ", "c", " {d} "]);
        assert_eq!(text_spans("plain"), [(0, 5)]);
        assert!(text_spans("").is_empty());
    }

    #[test]
    fn refs_other_instruments_and_plain_words_are_not() {
        assert!(found("Notice under {{ ref(id=\"notices\") }} and this Article.").is_empty());
        assert!(found("Article V of the Constitution; the Articles; Article Ideas").is_empty());
        assert!(found("{# Article XVI #}{% if x %}Article{% endif %}").is_empty());
    }
}
