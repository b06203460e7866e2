//! Profile values are text, never Markdown (issue #19). A school called `A | B` must
//! not split a table cell, an address line `1. Main` must not start a list, `*Bold*`
//! must not be emphasis, `<b>` must not be HTML, `[x](y)` must not be a link.
//!
//! Tera escapes every value a template prints (`{{ … }}`, every template, through
//! [`escape`], set with `Tera::set_escape_fn`): each character CommonMark could read
//! as markup is replaced by a private-use stand-in that no Markdown construct reads,
//! so the value stays plain text wherever it is printed — a paragraph, a table cell,
//! the start of a line, a code span or a `signature` fenced block (where a backslash
//! escape would be printed as is). Once the rendered clause is parsed, [`restore`]
//! turns every stand-in back into its character, so the Document holds exactly the
//! characters the profile wrote.
//!
//! - Escaping is idempotent (a stand-in is not markup), so a value cannot be escaped
//!   twice into something else; what a template itself captures (`{% set x %}…`,
//!   `{% filter %}`) is already escaped and marked safe by Tera.
//! - Blank markers (`\u{E000}path\u{E000}`) pass through untouched, so a draft's blank
//!   is still found in the rendered text.
//! - `{`, `}` and `%` are not markup in CommonMark and stay as they are, so template
//!   markers in a printed value are still reported (E0303).
//! - Numbers and the words the SPEC §3 filters print are escaped the same way; the
//!   filters that pass text through (`capfirst`, `join_and`) keep the safety of what
//!   they were given. `| safe` prints a value as Markdown: only a clause author can
//!   write it.

use super::context::{BLANK_MARK, XREF_CLOSE, XREF_OPEN, XREF_TEXT};
use crate::document::{Block, Inlines};
use std::io::Write;

/// Stand-in of ASCII character `c` is `BASE + c`: U+E100 to U+E17F, private use.
const BASE: u32 = 0xE100;

/// Whether CommonMark may read `c` as markup, alone or at the start of a line.
fn is_markup(c: char) -> bool {
    c.is_ascii_punctuation() && !matches!(c, '{' | '}' | '%')
}

fn stand_in(c: char) -> char {
    char::from_u32(BASE + u32::from(c)).unwrap_or(c)
}

/// The character a stand-in stands for.
fn original(c: char) -> Option<char> {
    let code = u32::from(c).checked_sub(BASE)?;
    char::from_u32(code).filter(|c| c.is_ascii() && is_markup(*c))
}

/// Whether `s` is the variable path inside a blank marker.
fn is_blank_path(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'[' | b']'))
}

/// The escape function Tera runs on every value a clause prints.
pub fn escape(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(escaped(input).as_bytes())
}

/// `input` with every markup character replaced by its stand-in; blank markers kept.
pub fn escaped(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 4);
    let mut rest = input;
    while let Some(c) = rest.chars().next() {
        if c == BLANK_MARK
            && let Some(end) = rest[c.len_utf8()..].find(BLANK_MARK)
            && is_blank_path(&rest[c.len_utf8()..c.len_utf8() + end])
        {
            let len = 2 * c.len_utf8() + end;
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        out.push(if is_markup(c) {
            stand_in(c)
        } else if matches!(c, XREF_OPEN | XREF_TEXT | XREF_CLOSE) {
            // Only `ref()` and `exhibit()` may mark a cross-reference.
            char::REPLACEMENT_CHARACTER
        } else {
            c
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `text` with every stand-in turned back into its character.
pub fn restore(text: &str) -> String {
    text.chars().map(|c| original(c).unwrap_or(c)).collect()
}

fn restore_in_place(text: &mut String) {
    if text.chars().any(|c| original(c).is_some()) {
        *text = restore(text);
    }
}

fn restore_runs(runs: &mut Inlines) {
    for run in runs {
        restore_in_place(&mut run.text);
    }
}

/// Turns the stand-ins of a parsed clause back into the profile's characters.
pub fn restore_blocks(blocks: &mut [Block]) {
    for block in blocks {
        match block {
            Block::Heading { text, .. } | Block::Paragraph(text) => restore_runs(text),
            Block::List(list) => list.items.iter_mut().for_each(|i| restore_blocks(i)),
            Block::Table(table) => {
                for row in std::iter::once(&mut table.header).chain(&mut table.rows) {
                    row.iter_mut().for_each(restore_runs);
                }
            }
            Block::Signatures(sigs) => {
                for s in sigs {
                    restore_in_place(&mut s.party);
                    restore_in_place(&mut s.name);
                    restore_in_place(&mut s.title);
                    if let Some(date) = &mut s.date {
                        restore_in_place(date);
                    }
                }
            }
            Block::Quote(inner) | Block::Note(inner) => restore_blocks(inner),
            Block::Rule => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_replaced_and_restored() {
        let value = "A | B *x* _y_ [l](u) <b> \\ `c` # 1. &amp; ~ ! {{ 50% }}";
        let e = escaped(value);
        assert!(!e.chars().any(is_markup), "no markup character left: {e}");
        assert!(e.contains("{{ 50% }}"), "{e}");
        assert_eq!(restore(&e), value);
        assert_eq!(escaped(&e), e, "idempotent");
    }

    #[test]
    fn blank_markers_pass_through() {
        let blank = super::super::blank_marker("funding.school_amount");
        assert_eq!(escaped(&blank), blank);
        let mixed = format!("a*{blank}*b");
        let e = escaped(&mixed);
        assert!(e.contains(&blank), "{e}");
        assert_eq!(restore(&e), mixed);
        // A lone marker character is text like any other.
        assert_eq!(restore(&escaped("x\u{E000}*")), "x\u{E000}*");
    }

    #[test]
    fn every_ascii_markup_character_has_a_stand_in() {
        for c in (0u8..0x80).map(char::from).filter(|c| is_markup(*c)) {
            let s = stand_in(c);
            assert_ne!(s, c);
            assert!(!s.is_whitespace() && !s.is_ascii());
            assert_eq!(original(s), Some(c));
        }
        assert_eq!(original('a'), None);
        assert_eq!(original(BLANK_MARK), None);
    }
}
