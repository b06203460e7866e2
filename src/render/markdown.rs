//! CommonMark writer: the Document as Markdown a reviewer can read and diff.

use crate::document::{
    Article, Block, Change, Document, Inlines, List, Numbering, Signatory, Table,
};
use std::fmt::Write;

pub fn render(doc: &Document) -> String {
    let mut out = String::with_capacity(32 * 1024);
    if doc.draft {
        out.push_str("> **DRAFT** — not for signature.\n\n");
    }
    let _ = writeln!(out, "# {}\n", escape_text(&doc.title, true));
    let _ = writeln!(out, "{}\n", escape_text(&doc.subtitle, true));
    if let Some(date) = &doc.date {
        let _ = writeln!(out, "Dated {}\n", escape_text(date, true));
    }
    for article in &doc.articles {
        write_article(&mut out, article);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn write_article(out: &mut String, article: &Article) {
    let _ = writeln!(out, "## {}\n", escape_text(&article.heading(), true));
    for block in &article.blocks {
        write_block(out, block, "", article.numbering);
    }
}

/// Recurses once per list or quote level: at most [`crate::document::MAX_NESTING`].
fn write_block(out: &mut String, block: &Block, indent: &str, numbering: Numbering) {
    match block {
        Block::Heading { number, text, .. } => {
            let prefix = match (number, numbering) {
                (Some(n), Numbering::Articles) => format!("Section {n}. "),
                (Some(n), Numbering::Decimal) => format!("{n} "),
                (None, _) => String::new(),
            };
            let _ = writeln!(out, "{indent}### {prefix}{}\n", inlines(text));
        }
        Block::Paragraph(runs) => {
            let text = inlines(runs).replace('\n', &format!("\\\n{indent}"));
            let _ = writeln!(out, "{indent}{text}\n");
        }
        Block::List(list) => write_list(out, list, indent, numbering),
        Block::Table(table) => write_table(out, table, indent),
        Block::Signatures(sigs) => {
            for sig in sigs {
                write_signature(out, sig, indent);
            }
        }
        Block::Quote(blocks) | Block::Note(blocks) => {
            let labelled;
            let blocks = if let Block::Note(inner) = block {
                labelled = crate::document::note_blocks(inner);
                &labelled
            } else {
                blocks
            };
            let mut inner = String::new();
            for b in blocks {
                write_block(&mut inner, b, "", numbering);
            }
            for line in inner.trim_end().lines() {
                if line.is_empty() {
                    let _ = writeln!(out, "{indent}>");
                } else {
                    let _ = writeln!(out, "{indent}> {line}");
                }
            }
            out.push('\n');
        }
        Block::Rule => {
            let _ = writeln!(out, "{indent}---\n");
        }
    }
}

fn write_list(out: &mut String, list: &List, indent: &str, numbering: Numbering) {
    let loose = list.items.iter().any(|item| {
        item.iter()
            .filter(|b| matches!(b, Block::Paragraph(_)))
            .count()
            > 1
    });
    for (i, item) in list.items.iter().enumerate() {
        let marker = match list.start {
            Some(start) => format!("{}. ", start + i as u64),
            None => "- ".to_string(),
        };
        let inner_indent = format!("{indent}{}", " ".repeat(marker.len()));
        let mut first = true;
        for block in item {
            let mut text = String::new();
            write_block(&mut text, block, &inner_indent, numbering);
            if first {
                let body = text.strip_prefix(inner_indent.as_str()).unwrap_or(&text);
                let _ = write!(out, "{indent}{marker}{body}");
                first = false;
            } else {
                if !loose && out.ends_with("\n\n") {
                    out.pop();
                }
                out.push_str(&text);
            }
            if !loose && out.ends_with("\n\n") {
                out.pop();
            }
        }
        if first {
            let _ = writeln!(out, "{indent}{}", marker.trim_end());
        }
    }
    out.push('\n');
}

fn write_table(out: &mut String, table: &Table, indent: &str) {
    let cell = |runs: &Inlines| inlines(runs).replace('|', "\\|").replace('\n', " ");
    let header: Vec<String> = table.header.iter().map(cell).collect();
    let _ = writeln!(out, "{indent}| {} |", header.join(" | "));
    let rule: Vec<&str> = (0..table.header.len())
        .map(|i| match table.align.get(i) {
            Some(crate::document::Align::Right) => "---:",
            Some(crate::document::Align::Center) => ":---:",
            _ => "---",
        })
        .collect();
    let _ = writeln!(out, "{indent}| {} |", rule.join(" | "));
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(cell).collect();
        let _ = writeln!(out, "{indent}| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn write_signature(out: &mut String, sig: &Signatory, indent: &str) {
    let date = sig.date.as_deref().unwrap_or("____________________");
    match sig.role.heading() {
        None => {
            let _ = writeln!(out, "{indent}**{}**\n", escape_text(&sig.party, false));
        }
        Some(heading) => {
            let _ = writeln!(out, "{indent}**{heading}**\\");
            let _ = writeln!(out, "{indent}{}\n", escape_text(&sig.party, false));
        }
    }
    if let Some(statement) = &sig.statement {
        let _ = writeln!(out, "{indent}{}\n", escape_text(statement, true));
    }
    let _ = writeln!(out, "{indent}By: ______________________________\\");
    let _ = writeln!(out, "{indent}Name: {}\\", escape_text(&sig.name, false));
    let _ = writeln!(out, "{indent}Title: {}\\", escape_text(&sig.title, false));
    let _ = writeln!(out, "{indent}Date: {}\n", escape_text(date, false));
}

fn inlines(runs: &Inlines) -> String {
    let mut out = String::new();
    for (i, run) in runs.iter().enumerate() {
        if run.style.line_break {
            out.push('\n');
            continue;
        }
        if run.style.blank {
            out.push_str(&run.text);
            continue;
        }
        let at_start = i == 0 || out.ends_with('\n');
        let text = escape_text(&run.text, at_start);
        // Emphasis markers must touch non-space text: move edge spaces outside. A run
        // of spaces only is its spaces, once.
        if text.trim().is_empty() {
            out.push_str(&text);
            continue;
        }
        let core = text.trim();
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        let mark = match (run.style.bold, run.style.italic) {
            _ if core.is_empty() => "",
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        };
        let styled = format!("{mark}{core}{mark}");
        let styled = match run.style.change {
            Change::Unchanged => styled,
            _ if core.is_empty() => styled,
            Change::Inserted => format!("<ins>{styled}</ins>"),
            Change::Deleted => format!("<del>{styled}</del>"),
        };
        let _ = write!(out, "{lead}{styled}{trail}");
    }
    out
}

/// Escapes what CommonMark would otherwise read as markup. Control characters, which
/// no agreement means and a terminal would obey (`mou diff` prints to one), are
/// dropped, as the XML writers drop them; a line break inside a value (a title)
/// becomes a space, so it cannot end the heading or paragraph it is in.
fn escape_text(text: &str, at_line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Plain stretches are copied whole; only a byte that may start a character to
    // escape or drop (ASCII markup and controls, C1 controls after 0xC2, U+FFFE/FFFF
    // after 0xEF) is decoded. Both lead bytes start a character, so slicing there is
    // on a boundary.
    let mut plain = 0;
    for (i, b) in text.bytes().enumerate() {
        if !(b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xef || b"\\*_`<[]".contains(&b)) {
            continue;
        }
        if i < plain {
            continue;
        }
        let Some(ch) = text[i..].chars().next() else {
            break;
        };
        out.push_str(&text[plain..i]);
        plain = i + ch.len_utf8();
        if matches!(ch, '\\' | '*' | '_' | '`' | '<' | '[' | ']') {
            out.push('\\');
        }
        match ch {
            '\n' | '\r' => out.push(' '),
            c if (c != '\t' && c.is_control()) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out.push_str(&text[plain..]);
    if at_line_start {
        if let Some(first) = out.chars().next()
            && matches!(first, '#' | '-' | '+' | '>' | '=' | '|')
        {
            out.insert(0, '\\');
        }
        let digits = out.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && matches!(out[digits..].chars().next(), Some('.') | Some(')')) {
            out.insert(digits, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::parse_markdown;

    /// Markdown we write must parse back to the same blocks.
    #[test]
    fn round_trips_through_the_parser() {
        let md = "Para with **bold**, *italic* and a [bracket] 5 * 3.\n\n- one\n- two\n  1. a\n  2. b\n\n| A | B |\n| --- | ---: |\n| x | 1 |\n\n1. Starts with a number.\n";
        let blocks = parse_markdown(md, Some(1)).unwrap();
        let doc = Document {
            title: "T".into(),
            short_title: "T".into(),
            parties: vec![],
            subtitle: "between A and B".into(),
            date: None,
            date_iso: None,
            draft: false,
            language: "en-US".into(),
            subject: String::new(),
            redline: None,
            articles: vec![Article {
                id: "a".into(),
                version: "1.0.0".into(),
                number: Some(1),
                title: "A".into(),
                numbering: Default::default(),
                variant: None,
                redline: None,
                blocks: blocks.clone(),
            }],
        };
        let out = render(&doc);
        let body = out.split("## ARTICLE I. A\n\n").nth(1).unwrap();
        assert_eq!(parse_markdown(body, Some(1)).unwrap(), blocks);
    }

    #[test]
    fn drops_control_characters() {
        assert_eq!(
            escape_text("a\u{0}b\u{1b}[31mc\u{b}d\u{FFFF}", false),
            "ab\\[31mcd"
        );
        assert_eq!(escape_text("two\nlines\ttab", false), "two lines\ttab");
        // Lead bytes 0xC2 and 0xEF also start characters that stay.
        assert_eq!(
            escape_text("a\u{85}b\u{a0}c\u{feff}d\u{fffe}e\u{2019}_", false),
            "ab\u{a0}c\u{feff}de\u{2019}\\_"
        );
    }

    #[test]
    fn escapes_line_starts() {
        assert_eq!(escape_text("1. x", true), "1\\. x");
        assert_eq!(escape_text("- x", true), "\\- x");
        assert_eq!(escape_text("- x", false), "- x");
    }
}
