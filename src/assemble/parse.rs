//! Rendered CommonMark → Document blocks, parsed once with pulldown-cmark.

use crate::document::{
    Align, BLANK, Block, Inlines, List, MAX_NESTING, Run, SignRole, Signatory, Style, Table,
};
use crate::template::BLANK_MARK;
use crate::template::{XREF_CLOSE, XREF_OPEN, XREF_TEXT};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// A problem in rendered Markdown, with the byte offset in the rendered text.
#[derive(Debug)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
    /// Lists and block quotes nest deeper than [`MAX_NESTING`].
    pub too_deep: bool,
}

impl ParseError {
    fn too_deep(offset: usize) -> ParseError {
        ParseError {
            offset,
            message: format!(
                "lists and block quotes nest more than {MAX_NESTING} levels deep \
                 (an agreement needs three or four)"
            ),
            too_deep: true,
        }
    }
}

/// The deepest nesting of lists and block quotes in `markdown`, counted up to one past
/// [`MAX_NESTING`] (then it stops reading): what [`parse`] would refuse, for finding
/// which value or line a refused text came from.
pub fn nesting_depth(markdown: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > MAX_NESTING {
                    break;
                }
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

enum Frame {
    /// Blocks of the article body, a list item or a quote.
    Blocks(Vec<Block>),
    List(Option<u64>, Vec<Vec<Block>>),
    Paragraph(Inlines),
    Heading(Inlines),
    Table {
        align: Vec<Align>,
        header: Vec<Inlines>,
        rows: Vec<Vec<Inlines>>,
        row: Vec<Inlines>,
        cell: Inlines,
    },
    Code(String, String),
}

/// Parses a clause body. `article` is the article number for section numbering.
pub fn parse(markdown: &str, article: Option<u32>) -> Result<Vec<Block>, ParseError> {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter();
    let mut stack: Vec<Frame> = vec![Frame::Blocks(Vec::new())];
    let mut style = Style::default();
    let mut sections = 0u32;
    // Open lists and block quotes: bounded, so that no deeper Document exists.
    let mut nesting = 0usize;
    for (event, range) in parser {
        let err = |message: String| ParseError {
            offset: range.start,
            message,
            too_deep: false,
        };
        if let Event::Start(Tag::BlockQuote(_) | Tag::List(_)) = &event {
            nesting += 1;
            if nesting > MAX_NESTING {
                return Err(ParseError::too_deep(range.start));
            }
        } else if let Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) = &event {
            nesting = nesting.saturating_sub(1);
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => stack.push(Frame::Paragraph(Vec::new())),
                Tag::Heading { .. } => {
                    close_implicit(&mut stack);
                    stack.push(Frame::Heading(Vec::new()))
                }
                Tag::BlockQuote(_) => {
                    close_implicit(&mut stack);
                    stack.push(Frame::Blocks(Vec::new()))
                }
                Tag::List(start) => {
                    close_implicit(&mut stack);
                    stack.push(Frame::List(start, Vec::new()))
                }
                Tag::Item => stack.push(Frame::Blocks(Vec::new())),
                Tag::Table(aligns) => stack.push(Frame::Table {
                    align: aligns.iter().map(align).collect(),
                    header: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                    cell: Vec::new(),
                }),
                Tag::TableHead | Tag::TableRow | Tag::TableCell => {}
                Tag::Emphasis => style.italic = true,
                Tag::Strong => style.bold = true,
                Tag::CodeBlock(kind) => {
                    close_implicit(&mut stack);
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.trim().to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    stack.push(Frame::Code(info, String::new()))
                }
                Tag::Link { .. } | Tag::Strikethrough | Tag::Superscript | Tag::Subscript => {}
                Tag::HtmlBlock => return Err(err("raw HTML is not allowed in a clause".into())),
                other => return Err(err(format!("unsupported Markdown element: {other:?}"))),
            },
            Event::End(end) => match end {
                TagEnd::Paragraph => {
                    if let Some(Frame::Paragraph(runs)) = stack.pop() {
                        push_block(&mut stack, Block::Paragraph(finish_runs(runs)));
                    }
                }
                TagEnd::Heading(_) => {
                    if let Some(Frame::Heading(runs)) = stack.pop() {
                        let number = article.map(|a| {
                            sections += 1;
                            format!("{a}.{sections}")
                        });
                        push_block(
                            &mut stack,
                            Block::Heading {
                                level: 2,
                                number,
                                text: finish_runs(runs),
                            },
                        );
                    }
                }
                TagEnd::BlockQuote(_) => {
                    close_implicit(&mut stack);
                    if let Some(Frame::Blocks(blocks)) = stack.pop() {
                        push_block(&mut stack, Block::Quote(blocks));
                    }
                }
                TagEnd::Item => {
                    close_implicit(&mut stack);
                    if let Some(Frame::Blocks(blocks)) = stack.pop()
                        && let Some(Frame::List(_, items)) = stack.last_mut()
                    {
                        items.push(blocks);
                    }
                }
                TagEnd::List(_) => {
                    if let Some(Frame::List(start, items)) = stack.pop() {
                        push_block(&mut stack, Block::List(List { start, items }));
                    }
                }
                TagEnd::TableCell => {
                    if let Some(Frame::Table { row, cell, .. }) = stack.last_mut() {
                        row.push(finish_runs(std::mem::take(cell)));
                    }
                }
                TagEnd::TableHead => {
                    if let Some(Frame::Table { header, row, .. }) = stack.last_mut() {
                        *header = std::mem::take(row);
                    }
                }
                TagEnd::TableRow => {
                    if let Some(Frame::Table { rows, row, .. }) = stack.last_mut() {
                        rows.push(std::mem::take(row));
                    }
                }
                TagEnd::Table => {
                    if let Some(Frame::Table {
                        align,
                        header,
                        rows,
                        ..
                    }) = stack.pop()
                    {
                        push_block(
                            &mut stack,
                            Block::Table(Table {
                                header,
                                rows,
                                align,
                            }),
                        );
                    }
                }
                TagEnd::Emphasis => style.italic = false,
                TagEnd::Strong => style.bold = false,
                TagEnd::CodeBlock => {
                    if let Some(Frame::Code(info, text)) = stack.pop() {
                        let block = if info == "note" {
                            note(&text, nesting).map_err(err)?
                        } else {
                            code_block(&info, &text).map_err(err)?
                        };
                        push_block(&mut stack, block);
                    }
                }
                _ => {}
            },
            Event::Text(t) => push_text(&mut stack, &t, style),
            Event::Code(t) => push_text(&mut stack, &t, style),
            Event::SoftBreak => push_text(&mut stack, " ", style),
            Event::HardBreak => {
                let run = Run::styled(
                    String::new(),
                    Style {
                        line_break: true,
                        ..Style::default()
                    },
                );
                if let Some(runs) = inline_target(&mut stack) {
                    runs.push(run);
                }
            }
            Event::Rule => {
                close_implicit(&mut stack);
                push_block(&mut stack, Block::Rule)
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                return Err(err("raw HTML is not allowed in a clause".into()));
            }
            other => return Err(err(format!("unsupported Markdown element: {other:?}"))),
        }
    }
    close_implicit(&mut stack);
    match stack.pop() {
        Some(Frame::Blocks(blocks)) if stack.is_empty() => Ok(merge_signatures(blocks)),
        _ => Err(ParseError {
            offset: markdown.len(),
            message: "unbalanced Markdown structure".into(),
            too_deep: false,
        }),
    }
}

fn align(a: &Alignment) -> Align {
    match a {
        Alignment::Right => Align::Right,
        Alignment::Center => Align::Center,
        _ => Align::Left,
    }
}

/// Tight list items carry text without a paragraph; this is where it goes.
fn inline_target(stack: &mut Vec<Frame>) -> Option<&mut Inlines> {
    if matches!(stack.last(), Some(Frame::Blocks(_))) && stack.len() > 1 {
        stack.push(Frame::Paragraph(Vec::new()));
    }
    match stack.last_mut() {
        Some(Frame::Paragraph(runs)) | Some(Frame::Heading(runs)) => Some(runs),
        Some(Frame::Table { cell, .. }) => Some(cell),
        _ => None,
    }
}

fn push_text(stack: &mut Vec<Frame>, text: &str, style: Style) {
    if let Some(Frame::Code(_, body)) = stack.last_mut() {
        body.push_str(text);
        return;
    }
    if let Some(runs) = inline_target(stack) {
        match runs.last_mut() {
            Some(last) if last.style == style => last.text.push_str(text),
            _ => runs.push(Run::styled(text, style)),
        }
    }
}

/// Closes the paragraph opened implicitly for a tight list item.
fn close_implicit(stack: &mut Vec<Frame>) {
    if stack.len() > 2
        && matches!(stack.last(), Some(Frame::Paragraph(_)))
        && matches!(stack.get(stack.len() - 2), Some(Frame::Blocks(_)))
        && let Some(Frame::Paragraph(runs)) = stack.pop()
    {
        push_block(stack, Block::Paragraph(finish_runs(runs)));
    }
}

fn push_block(stack: &mut [Frame], block: Block) {
    if let Some(Frame::Blocks(blocks)) = stack.last_mut() {
        blocks.push(block);
    }
}

/// Splits blank markers out into blank runs and trims the paragraph's edges.
fn finish_runs(runs: Inlines) -> Inlines {
    let runs = split_xrefs(runs);
    let mut out: Inlines = Vec::with_capacity(runs.len());
    for run in runs {
        if !run.text.contains(BLANK_MARK) {
            out.push(run);
            continue;
        }
        for (i, piece) in run.text.split(BLANK_MARK).enumerate() {
            if i % 2 == 1 {
                out.push(Run::styled(
                    BLANK,
                    Style {
                        blank: true,
                        ..run.style
                    },
                ));
            } else if !piece.is_empty() {
                out.push(Run::styled(piece, run.style));
            }
        }
    }
    if let Some(first) = out.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = out.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    out.retain(|r| !r.text.is_empty() || r.style.line_break);
    out
}

/// Runs with the cross-references `ref()` and `exhibit()` marked
/// (`\u{E001}ID\u{E002}TEXT\u{E003}`) split out, each naming its article. A marker
/// left unmatched (a filter cut it) is dropped; the words stay.
fn split_xrefs(runs: Inlines) -> Inlines {
    let is_mark = |c: char| matches!(c, XREF_OPEN | XREF_TEXT | XREF_CLOSE);
    if !runs.iter().any(|r| r.text.contains(is_mark)) {
        return runs;
    }
    let mut out = Vec::with_capacity(runs.len() + 2);
    for run in runs {
        let mut rest = run.text.as_str();
        while let Some(open) = rest.find(XREF_OPEN) {
            let after = &rest[open + XREF_OPEN.len_utf8()..];
            let Some((id, tail)) = after.split_once(XREF_TEXT) else {
                break;
            };
            let Some((text, tail)) = tail.split_once(XREF_CLOSE) else {
                break;
            };
            if id.contains(is_mark) || text.contains(is_mark) {
                break;
            }
            if open > 0 {
                out.push(Run::styled(&rest[..open], run.style));
            }
            out.push(Run {
                text: text.to_string(),
                style: run.style,
                xref: Some(id.to_string()),
            });
            rest = tail;
        }
        let rest: String = rest.chars().filter(|c| !is_mark(*c)).collect();
        if !rest.is_empty() {
            out.push(Run { text: rest, ..run });
        }
    }
    out
}

/// `text` without cross-reference markers: a signature block's fields are plain words.
fn strip_xref_marks(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(*c, XREF_OPEN | XREF_TEXT | XREF_CLOSE))
        .collect()
}

/// A ```` ```note ```` block: a drafting note of paragraphs and lists, at the top level
/// of the clause (so it nests no deeper than the text around it).
fn note(text: &str, nesting: usize) -> Result<Block, String> {
    if nesting > 0 {
        return Err("a drafting note (```note) must stand at the top level of a clause, not inside a list or quote".into());
    }
    let blocks = parse(text, None).map_err(|e| format!("in a drafting note: {}", e.message))?;
    fn allowed(b: &Block) -> bool {
        match b {
            Block::Paragraph(_) => true,
            Block::List(l) => l.items.iter().flatten().all(allowed),
            _ => false,
        }
    }
    if let Some(bad) = blocks.iter().find(|b| !allowed(b)) {
        let what = match bad {
            Block::Heading { .. } => "a heading",
            Block::Table(_) => "a table",
            Block::Signatures(_) => "a signature block",
            Block::Quote(_) => "a quote",
            Block::Note(_) => "a note",
            Block::Rule => "a rule",
            Block::Paragraph(_) | Block::List(_) => "a nested block",
        };
        return Err(format!(
            "a drafting note holds paragraphs and lists only, not {what}"
        ));
    }
    if blocks.is_empty() {
        return Err("a drafting note (```note) is empty".into());
    }
    // The note is a level itself: what it holds nests one level less deep.
    fn depth(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::List(l) => 1 + l.items.iter().map(|i| depth(i)).max().unwrap_or(0),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    if depth(&blocks) >= MAX_NESTING {
        return Err(format!(
            "a drafting note nests lists more than {} levels deep",
            MAX_NESTING - 1
        ));
    }
    Ok(Block::Note(blocks))
}

fn code_block(info: &str, text: &str) -> Result<Block, String> {
    if info != "signature" {
        return Err(format!(
            "fenced block `{info}` is not supported; the fenced blocks are `signature` and `note`"
        ));
    }
    let mut sig = Signatory {
        party: String::new(),
        name: String::new(),
        title: String::new(),
        date: None,
        role: SignRole::Signs,
        statement: None,
    };
    let text = strip_xref_marks(text);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("signature line `{line}` is not `key: value`"));
        };
        let value = value.trim().replace(BLANK_MARK, "").to_string();
        let value = if value.is_empty() || line.contains(BLANK_MARK) {
            BLANK.to_string()
        } else {
            value
        };
        match key.trim() {
            "party" => sig.party = value,
            "name" => sig.name = value,
            "title" => sig.title = value,
            "date" => sig.date = Some(value),
            "role" => {
                // A printed value's markup characters are stand-ins until the blocks
                // are restored; the role is read now.
                let value = crate::template::escape::restore(&value);
                sig.role = SignRole::parse(&value).ok_or_else(|| {
                    format!(
                        "signature role `{value}` is not one of signs, attests, approves-as-to-form, preaudit"
                    )
                })?
            }
            "statement" => sig.statement = Some(value),
            other => {
                return Err(format!(
                    "unknown signature key `{other}`; expected party, name, title, date, role or statement"
                ));
            }
        }
    }
    if sig.party.is_empty() {
        return Err("a signature block needs a `party` line".into());
    }
    Ok(Block::Signatures(vec![sig]))
}

fn merge_signatures(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        match (out.last_mut(), block) {
            (Some(Block::Signatures(prev)), Block::Signatures(more)) => prev.extend(more),
            (_, block) => out.push(block),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(runs: &Inlines) -> String {
        crate::document::plain_text(runs)
    }

    #[test]
    fn a_note_block_is_a_drafting_note_of_paragraphs_and_lists() {
        let blocks = parse(
            "Text.\n\n```note\nAsk the *City*.\n\n- one\n- two\n```\n",
            Some(1),
        )
        .unwrap();
        let Block::Note(inner) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(
            text(match &inner[0] {
                Block::Paragraph(r) => r,
                other => panic!("{other:?}"),
            }),
            "Ask the City."
        );
        assert!(matches!(inner[1], Block::List(_)));
        for bad in [
            "```note\n## Heading\n```",
            "```note\n\n```",
            "- item\n\n  ```note\n  x\n  ```",
        ] {
            assert!(parse(bad, Some(1)).is_err(), "{bad}");
        }
    }

    #[test]
    fn cross_references_name_their_article() {
        let md = "See \u{E001}termination\u{E002}Article XVI\u{E003} and **\u{E001}exhibit:A\u{E002}Exhibit A\u{E003}**.";
        let blocks = parse(md, Some(1)).unwrap();
        let Block::Paragraph(runs) = &blocks[0] else {
            panic!()
        };
        assert_eq!(text(runs), "See Article XVI and Exhibit A.");
        let refs: Vec<(&str, &str, bool)> = runs
            .iter()
            .filter_map(|r| {
                r.xref
                    .as_deref()
                    .map(|x| (x, r.text.as_str(), r.style.bold))
            })
            .collect();
        assert_eq!(
            refs,
            [
                ("termination", "Article XVI", false),
                ("exhibit:A", "Exhibit A", true)
            ]
        );
        // A marker a filter cut in half is dropped; the words stay.
        let blocks = parse("See \u{E001}termination Article XVI.", Some(1)).unwrap();
        let Block::Paragraph(runs) = &blocks[0] else {
            panic!()
        };
        assert_eq!(text(runs), "See termination Article XVI.");
        assert!(runs.iter().all(|r| r.xref.is_none()));
    }

    #[test]
    fn paragraphs_with_styles() {
        let blocks = parse("Hello **bold** and *it*.\n\nSecond.", Some(1)).unwrap();
        assert_eq!(blocks.len(), 2);
        let Block::Paragraph(runs) = &blocks[0] else {
            panic!()
        };
        assert_eq!(runs.len(), 5);
        assert!(runs[1].style.bold);
        assert!(runs[3].style.italic);
        assert_eq!(text(runs), "Hello bold and it.");
    }

    #[test]
    fn nested_tight_lists() {
        let md = "- one\n- two\n  1. a\n  2. b\n- three\n";
        let blocks = parse(md, Some(1)).unwrap();
        let Block::List(list) = &blocks[0] else {
            panic!()
        };
        assert_eq!(list.start, None);
        assert_eq!(list.items.len(), 3);
        assert_eq!(list.items[1].len(), 2);
        let Block::List(inner) = &list.items[1][1] else {
            panic!()
        };
        assert_eq!(inner.start, Some(1));
        assert_eq!(inner.items.len(), 2);
    }

    #[test]
    fn tables() {
        let md = "| School | Officers |\n|---|--:|\n| Hall | 1 |\n| Conard | 2 |\n";
        let blocks = parse(md, None).unwrap();
        let Block::Table(t) = &blocks[0] else {
            panic!()
        };
        assert_eq!(t.header.len(), 2);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.align[1], Align::Right);
        assert_eq!(text(&t.rows[1][0]), "Conard");
    }

    #[test]
    fn sections_are_numbered() {
        let blocks = parse("### First\n\nx\n\n### Second\n", Some(4)).unwrap();
        let Block::Heading { number, .. } = &blocks[2] else {
            panic!()
        };
        assert_eq!(number.as_deref(), Some("4.2"));
    }

    #[test]
    fn signatures_merge() {
        let md = "```signature\nparty: A\nname: N\ntitle: T\n```\n\n```signature\nparty: B\nname: M\ntitle: U\n```\n";
        let blocks = parse(md, None).unwrap();
        assert_eq!(blocks.len(), 1);
        let Block::Signatures(s) = &blocks[0] else {
            panic!()
        };
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].party, "B");
    }

    #[test]
    fn signature_roles_and_statements() {
        let md = "```signature\nparty: C\nrole: preaudit\nname: N\ntitle: Finance Officer\nstatement: Preaudited.\n```\n\n```signature\nparty: C\nrole: approves-as-to-form\nname: M\ntitle: Attorney\n```\n";
        let blocks = parse(md, None).unwrap();
        let Block::Signatures(s) = &blocks[0] else {
            panic!()
        };
        assert_eq!(s[0].role, SignRole::Preaudit);
        assert_eq!(s[0].statement.as_deref(), Some("Preaudited."));
        assert_eq!(s[1].role, SignRole::ApprovesAsToForm);
        assert_eq!(s[1].role.heading(), Some("APPROVED AS TO FORM:"));
        let err = parse("```signature\nparty: C\nrole: witnesses\n```\n", None).unwrap_err();
        assert!(err.message.contains("witnesses"), "{}", err.message);
    }

    #[test]
    fn blanks_become_blank_runs() {
        let md = format!("Begins on {m}term.start{m}.", m = BLANK_MARK);
        let blocks = parse(&md, None).unwrap();
        let Block::Paragraph(runs) = &blocks[0] else {
            panic!()
        };
        assert_eq!(runs.len(), 3);
        assert!(runs[1].style.blank);
        assert_eq!(text(runs), "Begins on [__________].");
    }

    /// Nested `> `, `- ` and `1. ` up to the bound parse; one more level is refused at
    /// the marker that opens it, before any deeper block exists.
    #[test]
    fn nesting_is_bounded() {
        for marker in ["> ", "- ", "1. ", "* "] {
            let ok = format!("{}x", marker.repeat(MAX_NESTING));
            assert!(parse(&ok, Some(1)).is_ok(), "{marker:?}");
            assert_eq!(nesting_depth(&ok), MAX_NESTING);
            let deep = format!("{}x", marker.repeat(8000));
            let e = parse(&deep, Some(1)).unwrap_err();
            assert!(e.too_deep, "{marker:?}: {}", e.message);
            assert_eq!(e.offset, MAX_NESTING * marker.len(), "{marker:?}");
            assert_eq!(nesting_depth(&deep), MAX_NESTING + 1);
        }
        // Lists and quotes count together, and so do indented nested lists.
        let mixed = format!("{}x", "- > ".repeat(MAX_NESTING / 2 + 1));
        assert!(parse(&mixed, None).unwrap_err().too_deep);
        let mixed = format!("{}x", "- > ".repeat(MAX_NESTING / 2));
        assert!(parse(&mixed, None).is_ok());
        let indented: String = (0..40)
            .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
            .collect();
        assert!(parse(&indented, None).unwrap_err().too_deep);
    }

    #[test]
    fn html_is_refused() {
        assert!(parse("<script>x</script>\n", None).is_err());
    }
}
