//! DOCX writer: the Document as an Office Open XML word-processing package.
//!
//! The parts are written as strings and packed by a small deterministic ZIP writer
//! (see `zip.rs`), with no ids drawn from global counters or randomness: the same
//! document gives the same bytes in any process and on any thread. Readers it is
//! checked against: pandoc, LibreOffice and the `zip` crate (tests/it/docx_*.rs).

mod parts;
mod xml;
mod zip;

use super::WriteOptions;
use crate::document::{
    Align, Article, BLANK, Block, Change, Document, Inlines, List, Run, Signatory, Style, Table,
    plain_text,
};
use parts::{LEVELS, TEXT_WIDTH};
use std::fmt::Write;
use xml::escape_into;

pub use parts::DRAFT_LABEL;

/// Renders `doc` as the bytes of a `.docx` file.
pub fn render(doc: &Document, opts: &WriteOptions) -> anyhow::Result<Vec<u8>> {
    let mut body = Body::default();
    body.front_matter(doc);
    for article in &doc.articles {
        body.article(article, doc.draft);
    }
    let document = number_changes(&body.document(doc.draft), opts.date);

    let mut zip = zip::ZipWriter::new();
    zip.add(
        "[Content_Types].xml",
        parts::content_types(doc.draft).as_bytes(),
    )?;
    zip.add("_rels/.rels", parts::package_rels().as_bytes())?;
    zip.add(
        "docProps/core.xml",
        parts::core_properties(doc, opts.date).as_bytes(),
    )?;
    zip.add("docProps/app.xml", parts::app_properties().as_bytes())?;
    zip.add("word/document.xml", document.as_bytes())?;
    zip.add(
        "word/_rels/document.xml.rels",
        parts::document_rels(doc.draft).as_bytes(),
    )?;
    zip.add("word/styles.xml", parts::styles(&doc.language).as_bytes())?;
    zip.add(
        "word/numbering.xml",
        parts::numbering(&body.lists).as_bytes(),
    )?;
    zip.add("word/settings.xml", parts::settings().as_bytes())?;
    zip.add("word/fontTable.xml", parts::font_table().as_bytes())?;
    zip.add("word/theme/theme1.xml", parts::theme().as_bytes())?;
    zip.add(
        "word/footer1.xml",
        parts::footer(&doc.short_title).as_bytes(),
    )?;
    if doc.draft {
        zip.add("word/header1.xml", parts::draft_header().as_bytes())?;
    }
    zip.finish()
}

/// Paragraph properties, written in the order the schema requires.
#[derive(Default, Clone, Copy)]
struct Para<'a> {
    style: Option<&'a str>,
    keep_next: bool,
    /// (numId, ilvl)
    num: Option<(usize, u8)>,
    /// A horizontal rule drawn as the paragraph's bottom border.
    rule_below: bool,
    space_before: Option<u32>,
    indent: Option<u32>,
    jc: Option<&'a str>,
}

impl Para<'_> {
    fn write(&self, out: &mut String) {
        let mut ppr = String::new();
        if let Some(style) = self.style {
            let _ = write!(ppr, "<w:pStyle w:val=\"{style}\"/>");
        }
        if self.keep_next {
            ppr.push_str("<w:keepNext/>");
        }
        if let Some((num, ilvl)) = self.num {
            let _ = write!(
                ppr,
                "<w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr>"
            );
        }
        if self.rule_below {
            ppr.push_str(
                "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"auto\"/></w:pBdr>",
            );
        }
        if let Some(before) = self.space_before {
            let _ = write!(ppr, "<w:spacing w:before=\"{before}\"/>");
        }
        if let Some(left) = self.indent {
            let _ = write!(ppr, "<w:ind w:left=\"{left}\"/>");
        }
        if let Some(jc) = self.jc {
            let _ = write!(ppr, "<w:jc w:val=\"{jc}\"/>");
        }
        out.push_str("<w:p>");
        if !ppr.is_empty() {
            let _ = write!(out, "<w:pPr>{ppr}</w:pPr>");
        }
    }
}

/// Where a block sits: list depth and the indent that lines content up with it.
#[derive(Default, Clone, Copy)]
struct Ctx {
    /// Number of enclosing lists.
    depth: u8,
    /// Left indent of the enclosing list item's text, in twips.
    indent: u32,
    quote: bool,
}

#[derive(Default)]
struct Body {
    out: String,
    /// One entry per list, in order: numId is index + 1. See [`parts::numbering`].
    lists: Vec<Option<(u8, u64)>>,
}

impl Body {
    fn document(&self, draft: bool) -> String {
        let mut s = String::with_capacity(self.out.len() + 2048);
        let _ = write!(
            s,
            "{}<w:document xmlns:w=\"{}\" xmlns:r=\"{}\"><w:body>",
            parts::XML_DECL,
            parts::NS_W,
            parts::NS_R
        );
        s.push_str(&self.out);
        s.push_str(&section_properties(draft, false));
        s.push_str("</w:body></w:document>");
        s
    }

    fn front_matter(&mut self, doc: &Document) {
        self.simple(Some("Title"), &doc.title);
        self.simple(Some("Subtitle"), &doc.subtitle);
        match &doc.date {
            Some(date) => self.simple(Some("AgreementDate"), &format!("Dated {date}")),
            // Keep the space under the title block even without a date.
            None => self.simple(Some("AgreementDate"), ""),
        }
    }

    fn article(&mut self, article: &Article, draft: bool) {
        if crate::exhibits::is_exhibit(article) {
            // An exhibit is a section of its own, starting on a new page: this
            // paragraph ends the section before it, with the same page setup.
            self.out.push_str("<w:p><w:pPr>");
            self.out.push_str(&section_properties(draft, true));
            self.out.push_str("</w:pPr></w:p>");
        }
        self.simple(Some("Heading1"), &article.heading());
        self.blocks(&article.blocks, Ctx::default());
    }

    /// A paragraph of one plain run.
    fn simple(&mut self, style: Option<&str>, text: &str) {
        Para {
            style,
            ..Para::default()
        }
        .write(&mut self.out);
        if !text.is_empty() {
            text_run(&mut self.out, text, Style::default(), false);
        }
        self.out.push_str("</w:p>");
    }

    fn blocks(&mut self, blocks: &[Block], ctx: Ctx) {
        for (i, block) in blocks.iter().enumerate() {
            // A paragraph that introduces a list, table or signatures stays with it.
            let keep_next = matches!(
                blocks.get(i + 1),
                Some(Block::List(_) | Block::Table(_) | Block::Signatures(_))
            );
            self.block(block, ctx, keep_next);
        }
    }

    /// Recurses once per list or quote level: at most [`crate::document::MAX_NESTING`].
    fn block(&mut self, block: &Block, ctx: Ctx, keep_next: bool) {
        match block {
            Block::Heading {
                level,
                number,
                text,
            } => {
                let style = if *level <= 2 { "Heading2" } else { "Heading3" };
                Para {
                    style: Some(style),
                    indent: (ctx.indent > 0).then_some(ctx.indent),
                    ..Para::default()
                }
                .write(&mut self.out);
                if let Some(number) = number {
                    text_run(
                        &mut self.out,
                        &format!("{number} "),
                        Style::default(),
                        false,
                    );
                }
                runs(&mut self.out, text, false);
                self.out.push_str("</w:p>");
            }
            Block::Paragraph(inlines) => {
                self.paragraph(inlines, ctx, keep_next, None);
            }
            Block::List(list) => self.list(list, ctx),
            Block::Table(table) => self.table(table, ctx.indent),
            Block::Signatures(sigs) => self.signatures(sigs),
            Block::Quote(blocks) => self.blocks(blocks, Ctx { quote: true, ..ctx }),
            Block::Note(blocks) => self.blocks(
                &crate::document::note_blocks(blocks),
                Ctx { quote: true, ..ctx },
            ),
            Block::Rule => {
                Para {
                    rule_below: true,
                    indent: (ctx.indent > 0).then_some(ctx.indent),
                    ..Para::default()
                }
                .write(&mut self.out);
                self.out.push_str("</w:p>");
            }
        }
    }

    fn paragraph(
        &mut self,
        inlines: &Inlines,
        ctx: Ctx,
        keep_next: bool,
        num: Option<(usize, u8)>,
    ) {
        let style = if ctx.quote {
            Some("Quote")
        } else if ctx.depth > 0 {
            Some("ListParagraph")
        } else {
            None
        };
        let indent = if num.is_some() {
            None
        } else if ctx.quote {
            Some(ctx.indent + 720)
        } else {
            (ctx.indent > 0).then_some(ctx.indent)
        };
        Para {
            style,
            keep_next,
            num,
            indent,
            ..Para::default()
        }
        .write(&mut self.out);
        runs(&mut self.out, inlines, false);
        self.out.push_str("</w:p>");
    }

    fn list(&mut self, list: &List, ctx: Ctx) {
        let ilvl = ctx.depth.min(LEVELS - 1);
        self.lists.push(list.start.map(|start| (ilvl, start)));
        let num_id = self.lists.len();
        let inner = Ctx {
            depth: ctx.depth.saturating_add(1),
            indent: parts::list_indent(ilvl),
            quote: ctx.quote,
        };
        for item in &list.items {
            let mut rest: &[Block] = item;
            match item.first() {
                Some(Block::Paragraph(inlines)) => {
                    let keep_next = matches!(
                        item.get(1),
                        Some(Block::List(_) | Block::Table(_) | Block::Signatures(_))
                    );
                    self.paragraph(inlines, inner, keep_next, Some((num_id, ilvl)));
                    rest = &item[1..];
                }
                // An item that opens with something else still shows its number.
                _ => self.paragraph(&Vec::new(), inner, false, Some((num_id, ilvl))),
            }
            self.blocks(rest, inner);
        }
    }

    fn table(&mut self, table: &Table, indent: u32) {
        let cols = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.header.len()])
            .max()
            .unwrap_or(0);
        if cols == 0 {
            return;
        }
        let width = TEXT_WIDTH.saturating_sub(indent).max(1440);
        let widths = column_widths(table, cols, width);
        let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"";
        let _ = write!(
            self.out,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{width}\" w:type=\"dxa\"/>\
             <w:tblInd w:w=\"{indent}\" w:type=\"dxa\"/>\
             <w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/>\
             <w:right {border}/><w:insideH {border}/><w:insideV {border}/></w:tblBorders>\
             <w:tblLayout w:type=\"fixed\"/>\
             <w:tblCellMar><w:top w:w=\"50\" w:type=\"dxa\"/><w:left w:w=\"100\" w:type=\"dxa\"/>\
             <w:bottom w:w=\"50\" w:type=\"dxa\"/><w:right w:w=\"100\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>"
        );
        for w in &widths {
            let _ = write!(self.out, "<w:gridCol w:w=\"{w}\"/>");
        }
        self.out.push_str("</w:tblGrid>");
        if !table.header.is_empty() {
            self.row(&table.header, table, &widths, true);
        }
        for row in &table.rows {
            self.row(row, table, &widths, false);
        }
        self.out.push_str("</w:tbl>");
        // A table that ends a list item or article would otherwise touch what follows.
        self.spacer(120);
    }

    fn row(&mut self, cells: &[Inlines], table: &Table, widths: &[u32], header: bool) {
        self.out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if header {
            self.out.push_str("<w:tblHeader/>");
        }
        self.out.push_str("</w:trPr>");
        for (i, w) in widths.iter().enumerate() {
            let _ = write!(
                self.out,
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
            );
            if header {
                self.out
                    .push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E6E6\"/>");
            }
            self.out.push_str("</w:tcPr>");
            let jc = match table.align.get(i) {
                Some(Align::Right) => "right",
                Some(Align::Center) => "center",
                _ => "left",
            };
            Para {
                style: Some("TableText"),
                // Never leave a header row alone at the foot of a page.
                keep_next: header,
                jc: Some(jc),
                ..Para::default()
            }
            .write(&mut self.out);
            if let Some(cell) = cells.get(i) {
                runs(&mut self.out, cell, header);
            }
            self.out.push_str("</w:p></w:tc>");
        }
        self.out.push_str("</w:tr>");
    }

    /// Signature blocks two to a row of a borderless table; no row splits across a
    /// page and the rows keep together.
    fn signatures(&mut self, sigs: &[Signatory]) {
        if sigs.is_empty() {
            return;
        }
        let half = TEXT_WIDTH / 2;
        let none = "w:val=\"nil\"";
        let _ = write!(
            self.out,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/>\
             <w:tblBorders><w:top {none}/><w:left {none}/><w:bottom {none}/>\
             <w:right {none}/><w:insideH {none}/><w:insideV {none}/></w:tblBorders>\
             <w:tblLayout w:type=\"fixed\"/>\
             <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"0\" w:type=\"dxa\"/>\
             <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"360\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>\
             <w:tblGrid><w:gridCol w:w=\"{half}\"/><w:gridCol w:w=\"{half}\"/></w:tblGrid>"
        );
        let rows: Vec<&[Signatory]> = sigs.chunks(2).collect();
        for (r, pair) in rows.iter().enumerate() {
            let last_row = r + 1 == rows.len();
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for c in 0..2 {
                let _ = write!(
                    self.out,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{half}\" w:type=\"dxa\"/></w:tcPr>"
                );
                match pair.get(c) {
                    Some(sig) => self.signature_cell(sig, !last_row),
                    None => self.out.push_str("<w:p/>"),
                }
                self.out.push_str("</w:tc>");
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
        self.spacer(0);
    }

    fn signature_cell(&mut self, sig: &Signatory, keep_with_next_row: bool) {
        let bold = Style {
            bold: true,
            ..Style::default()
        };
        let line = |out: &mut String, before: Option<u32>, keep: bool, label: &str, value: &str| {
            Para {
                style: Some("SignatureText"),
                keep_next: keep,
                space_before: before,
                ..Para::default()
            }
            .write(out);
            text_run(out, label, Style::default(), false);
            text_run(out, value, Style::default(), false);
            out.push_str("</w:p>");
        };
        let head = |out: &mut String, text: &str, style: Style| {
            Para {
                style: Some("SignatureText"),
                keep_next: true,
                ..Para::default()
            }
            .write(out);
            text_run(out, text, style, false);
            out.push_str("</w:p>");
        };
        match sig.role.heading() {
            None => head(&mut self.out, &sig.party, bold),
            Some(heading) => {
                head(&mut self.out, heading, bold);
                head(&mut self.out, &sig.party, Style::default());
            }
        }
        if let Some(statement) = &sig.statement {
            head(&mut self.out, statement, Style::default());
        }
        let rule = "______________________________";
        line(&mut self.out, Some(480), true, "By: ", rule);
        line(&mut self.out, None, true, "Name: ", &sig.name);
        line(&mut self.out, None, true, "Title: ", &sig.title);
        let date = sig.date.as_deref().unwrap_or("____________________");
        line(&mut self.out, None, keep_with_next_row, "Date: ", date);
        // Room between rows of signatures.
        Para {
            style: Some("SignatureText"),
            keep_next: keep_with_next_row,
            ..Para::default()
        }
        .write(&mut self.out);
        self.out.push_str("</w:p>");
    }

    /// An empty paragraph of `after` twips below: separates a table from what
    /// follows (Word requires a paragraph between adjacent tables anyway).
    fn spacer(&mut self, after: u32) {
        let _ = write!(
            self.out,
            "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"{after}\" w:line=\"120\" w:lineRule=\"auto\"/></w:pPr></w:p>"
        );
    }
}

/// Column widths in twips adding up to `total`: proportional to the longest text
/// in each column, within limits, so narrow numeric columns stay narrow.
fn column_widths(table: &Table, cols: usize, total: u32) -> Vec<u32> {
    let weight = |i: usize| -> u32 {
        let len = |cell: Option<&Inlines>| cell.map_or(0, |c| plain_text(c).chars().count());
        let longest = table
            .rows
            .iter()
            .map(|r| len(r.get(i)))
            .chain([len(table.header.get(i))])
            .max()
            .unwrap_or(0);
        (longest as u32).clamp(6, 40)
    };
    let weights: Vec<u32> = (0..cols).map(weight).collect();
    let sum: u32 = weights.iter().sum::<u32>().max(1);
    let mut widths: Vec<u32> = weights.iter().map(|w| total * w / sum).collect();
    let used: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total - used;
    }
    widths
}

/// All runs of a paragraph; `force_bold` for header cells.
fn runs(out: &mut String, inlines: &[Run], force_bold: bool) {
    for run in inlines {
        if run.style.line_break {
            out.push_str("<w:r><w:br/></w:r>");
        } else if run.style.blank {
            let text = if run.text.is_empty() {
                BLANK
            } else {
                &run.text
            };
            text_run(out, text, run.style, force_bold);
        } else if !run.text.is_empty() {
            text_run(out, &run.text, run.style, force_bold);
        }
    }
}

/// Placeholders for tracked-change ids and dates, filled in by [`number_changes`].
/// Both are characters XML 1.0 forbids, so escaped document text never contains them.
const CHANGE_ID: char = '\u{1}';
const CHANGE_DATE: char = '\u{2}';

/// Gives every `w:ins`/`w:del` its own id, in document order, and the build date.
fn number_changes(xml: &str, date: Option<crate::date::Date>) -> String {
    if !xml.contains(CHANGE_ID) {
        return xml.to_string();
    }
    let (y, m, d) = date.map_or((2000, 1, 1), crate::date::Date::ymd);
    let stamp = format!("{y:04}-{m:02}-{d:02}T00:00:00Z");
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut id = 0u32;
    for ch in xml.chars() {
        match ch {
            CHANGE_ID => {
                id += 1;
                let _ = write!(out, "{id}");
            }
            CHANGE_DATE => out.push_str(&stamp),
            c => out.push(c),
        }
    }
    out
}

/// A section's `w:sectPr`: page size, margins, footer (and a draft's watermark header).
/// Every section of the document gets the same, so every section prints alike; the
/// section that ends before an exhibit (`next_page`) makes the exhibit start a page.
fn section_properties(draft: bool, next_page: bool) -> String {
    let mut s = String::from("<w:sectPr>");
    if draft {
        let _ = write!(
            s,
            "<w:headerReference w:type=\"default\" r:id=\"{}\"/>",
            parts::RID_HEADER
        );
    }
    let _ = write!(
        s,
        "<w:footerReference w:type=\"default\" r:id=\"{footer}\"/>",
        footer = parts::RID_FOOTER
    );
    if next_page {
        s.push_str("<w:type w:val=\"nextPage\"/>");
    }
    let _ = write!(
        s,
        "<w:pgSz w:w=\"{w}\" w:h=\"{h}\"/>\
         <w:pgMar w:top=\"{m}\" w:right=\"{m}\" w:bottom=\"{m}\" w:left=\"{m}\" \
         w:header=\"720\" w:footer=\"720\" w:gutter=\"0\"/>\
         <w:cols w:space=\"720\"/></w:sectPr>",
        w = parts::PAGE_WIDTH,
        h = parts::PAGE_HEIGHT,
        m = parts::MARGIN,
    );
    s
}

/// One `w:r`; newlines become `w:br` and tabs `w:tab`. Redline runs are wrapped in
/// tracked changes (`w:ins` / `w:del`, author `mou`) that Word and LibreOffice can
/// accept or reject.
fn text_run(out: &mut String, text: &str, style: Style, force_bold: bool) {
    let (open, close, text_tag) = match style.change {
        Change::Unchanged => ("", "", "w:t"),
        Change::Inserted => ("w:ins", "</w:ins>", "w:t"),
        Change::Deleted => ("w:del", "</w:del>", "w:delText"),
    };
    if !open.is_empty() {
        let _ = write!(
            out,
            "<{open} w:id=\"{CHANGE_ID}\" w:author=\"mou\" w:date=\"{CHANGE_DATE}\">"
        );
    }
    out.push_str("<w:r>");
    let bold = style.bold || force_bold;
    if bold || style.italic || style.blank {
        out.push_str("<w:rPr>");
        if bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if style.italic {
            out.push_str("<w:i/><w:iCs/>");
        }
        if style.blank {
            out.push_str("<w:highlight w:val=\"yellow\"/>");
        }
        out.push_str("</w:rPr>");
    }
    let mut first = true;
    for line in text.split('\n') {
        if !first {
            out.push_str("<w:br/>");
        }
        first = false;
        let mut first_piece = true;
        for piece in line.split('\t') {
            if !first_piece {
                out.push_str("<w:tab/>");
            }
            first_piece = false;
            let piece = piece.strip_suffix('\r').unwrap_or(piece);
            if !piece.is_empty() {
                let _ = write!(out, "<{text_tag} xml:space=\"preserve\">");
                escape_into(out, piece);
                let _ = write!(out, "</{text_tag}>");
            }
        }
    }
    out.push_str("</w:r>");
    out.push_str(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_carry_styles_breaks_and_blanks() {
        let mut out = String::new();
        let runs_in = vec![
            Run::plain("A & B"),
            Run {
                text: "bold".into(),
                style: Style {
                    bold: true,
                    italic: true,
                    ..Style::default()
                },
                xref: None,
            },
            Run {
                text: String::new(),
                style: Style {
                    line_break: true,
                    ..Style::default()
                },
                xref: None,
            },
            Run {
                text: BLANK.into(),
                style: Style {
                    blank: true,
                    ..Style::default()
                },
                xref: None,
            },
            Run::plain("x\ty\nz"),
        ];
        runs(&mut out, &runs_in, false);
        assert_eq!(
            out,
            "<w:r><w:t xml:space=\"preserve\">A &amp; B</w:t></w:r>\
             <w:r><w:rPr><w:b/><w:bCs/><w:i/><w:iCs/></w:rPr><w:t xml:space=\"preserve\">bold</w:t></w:r>\
             <w:r><w:br/></w:r>\
             <w:r><w:rPr><w:highlight w:val=\"yellow\"/></w:rPr><w:t xml:space=\"preserve\">[__________]</w:t></w:r>\
             <w:r><w:t xml:space=\"preserve\">x</w:t><w:tab/><w:t xml:space=\"preserve\">y</w:t><w:br/>\
             <w:t xml:space=\"preserve\">z</w:t></w:r>"
        );
    }

    #[test]
    fn widths_fill_the_text_block() {
        let t = Table {
            header: vec![vec![Run::plain("School")], vec![Run::plain("Officers")]],
            rows: vec![vec![
                vec![Run::plain(
                    "A very long school name indeed, longer than forty",
                )],
                vec![Run::plain("2")],
            ]],
            align: vec![Align::Left, Align::Right],
        };
        let w = column_widths(&t, 2, TEXT_WIDTH);
        assert_eq!(w.iter().sum::<u32>(), TEXT_WIDTH);
        assert!(w[0] > 3 * w[1]);
    }
}
