//! DOCX writer: the Document as an Office Open XML word-processing package.
//!
//! The parts are written as strings and packed by a small deterministic ZIP writer
//! (see `zip.rs`), with no ids drawn from global counters or randomness: the same
//! document gives the same bytes in any process and on any thread. Readers it is
//! checked against: pandoc, LibreOffice and the `zip` crate (tests/it/docx_*.rs).

mod bookmarks;
mod parts;
mod xml;
mod zip;

use super::WriteOptions;
use crate::document::{
    Align, Article, BLANK, Block, Change, Document, Inlines, List, Numbering, Run, Signatory,
    Style, Table, plain_text,
};
use bookmarks::Bookmarks;
use parts::{LEVELS, TEXT_WIDTH};
use std::fmt::Write;
use xml::escape_into;

/// Renders `doc` as the bytes of a `.docx` file.
pub fn render(doc: &Document, opts: &WriteOptions) -> anyhow::Result<Vec<u8>> {
    let mut body = Body::new(doc);
    body.front_matter(doc);
    for article in &doc.articles {
        body.article(article);
    }
    let document = number_changes(&body.document(), opts.date);
    let comments = !body.comments.is_empty();

    let mut zip = zip::ZipWriter::new();
    zip.add(
        "[Content_Types].xml",
        parts::content_types(comments).as_bytes(),
    )?;
    zip.add("_rels/.rels", parts::package_rels().as_bytes())?;
    zip.add(
        "docProps/core.xml",
        parts::core_properties(doc, opts.date).as_bytes(),
    )?;
    zip.add("docProps/app.xml", parts::app_properties().as_bytes())?;
    zip.add(
        "docProps/custom.xml",
        bookmarks::custom_properties(doc, &body.marks).as_bytes(),
    )?;
    zip.add("word/document.xml", document.as_bytes())?;
    zip.add(
        "word/_rels/document.xml.rels",
        parts::document_rels(comments).as_bytes(),
    )?;
    if comments {
        zip.add(
            "word/comments.xml",
            parts::comments(&body.comments, opts.date).as_bytes(),
        )?;
    }
    zip.add("word/styles.xml", parts::styles(&doc.language).as_bytes())?;
    zip.add(
        "word/numbering.xml",
        parts::numbering(body.heading_numbering, &body.lists).as_bytes(),
    )?;
    zip.add("word/settings.xml", parts::settings().as_bytes())?;
    zip.add("word/fontTable.xml", parts::font_table().as_bytes())?;
    zip.add("word/theme/theme1.xml", parts::theme().as_bytes())?;
    zip.add("word/footer1.xml", parts::footer().as_bytes())?;
    zip.add(
        "word/header1.xml",
        parts::header(&doc.short_title, true, doc.draft).as_bytes(),
    )?;
    zip.add(
        "word/header2.xml",
        parts::header(&doc.short_title, false, doc.draft).as_bytes(),
    )?;
    zip.finish()
}

/// Paragraph properties, written in the order the schema requires.
#[derive(Default, Clone, Copy)]
struct Para<'a> {
    style: Option<&'a str>,
    keep_next: bool,
    /// (numId, ilvl); numId 0 takes away numbering a style links.
    num: Option<(usize, u8)>,
    /// A horizontal rule drawn as the paragraph's bottom border.
    rule_below: bool,
    space_before: Option<u32>,
    indent: Option<u32>,
    jc: Option<&'a str>,
    /// A redline's paragraph inserted or deleted as a whole: its mark is tracked too,
    /// so that accepting or rejecting leaves no empty paragraph behind.
    mark: Change,
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
        mark_xml(&mut ppr, self.mark);
        out.push_str("<w:p>");
        if !ppr.is_empty() {
            let _ = write!(out, "<w:pPr>{ppr}</w:pPr>");
        }
    }
}

/// A tracked paragraph mark (`w:rPr` of `w:pPr`), or nothing.
fn mark_xml(out: &mut String, change: Change) {
    if change != Change::Unchanged {
        out.push_str("<w:rPr>");
        mark_row(out, change);
        out.push_str("</w:rPr>");
    }
}

/// How a redline changed a run sequence as a whole: `Inserted` or `Deleted` when every
/// run is (and there is one), else `Unchanged`.
fn whole(runs: &[Run]) -> Change {
    match runs.first().map(|r| r.style.change) {
        Some(c) if c != Change::Unchanged && runs.iter().all(|r| r.style.change == c) => c,
        _ => Change::Unchanged,
    }
}

/// [`whole`] over several run sequences, empty ones aside (a table row's cells).
fn whole_of<'a>(parts: impl Iterator<Item = &'a Inlines>) -> Change {
    let mut seen = None;
    for runs in parts.filter(|r| !r.is_empty()) {
        let c = whole(runs);
        if c == Change::Unchanged || seen.is_some_and(|s| s != c) {
            return Change::Unchanged;
        }
        seen = Some(c);
    }
    seen.unwrap_or_default()
}

/// A tracked change mark, as a table row (`w:trPr`) holds it, or nothing.
fn mark_row(out: &mut String, change: Change) {
    let tag = match change {
        Change::Unchanged => return,
        Change::Inserted => "w:ins",
        Change::Deleted => "w:del",
    };
    let _ = write!(
        out,
        "<{tag} w:id=\"{CHANGE_ID}\" w:author=\"mou\" w:date=\"{CHANGE_DATE}\"/>"
    );
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

/// Where the last paragraph's content starts and ends in `Body::out`: a drafting note's
/// comment is anchored there.
#[derive(Clone, Copy)]
struct Anchor {
    start: usize,
    end: usize,
}

struct Body {
    out: String,
    /// One entry per list, in order: numId is index + 2 (1 is the headings'). See
    /// [`parts::numbering`].
    lists: Vec<Option<(u8, u64)>>,
    /// How the headings' list numbers articles: fixed by the first numbered article.
    heading_numbering: Numbering,
    marks: Bookmarks,
    next_bookmark: u32,
    /// The number Word will give the next numbered article, and the next section.
    next_article: u32,
    next_section: u32,
    /// The article being written: id, and how many section headings it has had.
    article_id: String,
    sections: usize,
    /// Article id → what the text says to refer to it ("Article IV"), for REF fields.
    references: std::collections::BTreeMap<String, String>,
    /// Each drafting note's comment body (paragraphs), in order: id is the index.
    comments: Vec<String>,
    last_para: Option<Anchor>,
    /// A redline: headings always take the list's numbers (a deleted heading and its
    /// replacement carry the same number until the changes are accepted).
    redline: bool,
    /// The article being written is inserted or deleted whole (a redline).
    article_change: Change,
    /// A redline's changed signature blocks (see [`crate::document::DocumentRedline`]).
    signature_changes: Vec<(Vec<Signatory>, Vec<Signatory>, Vec<Signatory>)>,
    /// A section has ended (before an exhibit): the first, which holds page 1.
    section_ended: bool,
}

impl Body {
    fn new(doc: &Document) -> Body {
        let references = doc
            .articles
            .iter()
            .filter_map(|a| Some((a.id.clone(), a.reference()?)))
            .collect();
        Body {
            out: String::new(),
            lists: Vec::new(),
            heading_numbering: doc
                .articles
                .iter()
                .find(|a| a.number.is_some())
                .map_or(Numbering::Articles, |a| a.numbering),
            marks: Bookmarks::new(doc),
            next_bookmark: 0,
            next_article: 1,
            next_section: 1,
            article_id: String::new(),
            sections: 0,
            references,
            comments: Vec::new(),
            last_para: None,
            redline: doc.redline.is_some(),
            article_change: Change::Unchanged,
            signature_changes: doc
                .redline
                .as_ref()
                .map(|r| r.signatures.clone())
                .unwrap_or_default(),
            section_ended: false,
        }
    }

    fn document(&self) -> String {
        let mut s = String::with_capacity(self.out.len() + 2048);
        let _ = write!(
            s,
            "{}<w:document xmlns:w=\"{}\" xmlns:r=\"{}\"><w:body>",
            parts::XML_DECL,
            parts::NS_W,
            parts::NS_R
        );
        s.push_str(&self.out);
        s.push_str(&section_properties(!self.section_ended, false));
        s.push_str("</w:body></w:document>");
        s
    }

    fn front_matter(&mut self, doc: &Document) {
        if let Some(front) = &doc.redline {
            for (style, runs) in [
                ("Title", &front.title),
                ("Subtitle", &front.subtitle),
                ("AgreementDate", &front.date),
            ] {
                self.styled(style, runs);
            }
            self.simple(Some("TitleRule"), "");
            return;
        }
        self.simple(Some("Title"), &doc.title);
        self.simple(Some("Subtitle"), &doc.subtitle);
        match &doc.date {
            Some(date) => self.simple(Some("AgreementDate"), &format!("Dated {date}")),
            // Keep the space under the title block even without a date.
            None => self.simple(Some("AgreementDate"), ""),
        }
        self.simple(Some("TitleRule"), "");
    }

    /// A paragraph of `runs` in `style` (a redline's title block).
    fn styled(&mut self, style: &str, runs: &Inlines) {
        Para {
            style: Some(style),
            ..Para::default()
        }
        .write(&mut self.out);
        self.runs(runs, false);
        self.out.push_str("</w:p>");
    }

    fn article(&mut self, article: &Article) {
        let change = article
            .redline
            .as_ref()
            .map_or(Change::Unchanged, |r| r.change);
        if crate::exhibits::is_exhibit(article) {
            // An exhibit is a section of its own, starting on a new page: this
            // paragraph ends the section before it, with the same page setup.
            self.out.push_str("<w:p><w:pPr>");
            mark_xml(&mut self.out, change);
            self.out
                .push_str(&section_properties(!self.section_ended, true));
            self.section_ended = true;
            self.out.push_str("</w:pPr></w:p>");
        }
        self.article_id = article.id.clone();
        self.sections = 0;
        // The number Word prints: a deleted article's is its old one (it prints
        // while the deletion is pending and goes with it when accepted).
        let number = match &article.redline {
            Some(r) if r.change == Change::Deleted => r.old_number,
            _ => article.number,
        };
        self.article_change = change;
        let word_numbered = number.is_some_and(|n| n == self.next_article || self.redline)
            && article.numbering == self.heading_numbering;
        let num = if word_numbered {
            self.next_article += 1;
            self.next_section = 1;
            Some((parts::HEADING_NUM_ID, 0))
        } else {
            // A heading the list cannot number (unnumbered, or out of sequence)
            // takes the style's numbering away and keeps any number as text.
            Some((0, 0))
        };
        Para {
            style: Some("Heading1"),
            num,
            mark: change,
            ..Para::default()
        }
        .write(&mut self.out);
        let bookmark = (change != Change::Deleted)
            .then(|| self.marks.article(&article.id).map(str::to_string))
            .flatten();
        let id = self.open_bookmark(bookmark.as_deref());
        let start = self.out.len();
        if !word_numbered && let Some(n) = number {
            // The label the PDF prints, of the number Word would print.
            let label = article.numbering.heading_label(n);
            let style = Style {
                change,
                ..Style::default()
            };
            text_run(&mut self.out, &format!("{label}. "), style, false);
        }
        let title = heading_runs(article, change);
        self.runs(&title, false);
        let end = self.out.len();
        self.close_bookmark(id);
        self.out.push_str("</w:p>");
        self.last_para = Some(Anchor { start, end });
        self.blocks(&article.blocks, Ctx::default());
    }

    fn open_bookmark(&mut self, name: Option<&str>) -> Option<u32> {
        let name = name?;
        let id = self.next_bookmark;
        self.next_bookmark += 1;
        let _ = write!(
            self.out,
            "<w:bookmarkStart w:id=\"{id}\" w:name=\"{}\"/>",
            xml::escape(name)
        );
        Some(id)
    }

    fn close_bookmark(&mut self, id: Option<u32>) {
        if let Some(id) = id {
            let _ = write!(self.out, "<w:bookmarkEnd w:id=\"{id}\"/>");
        }
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
            } => self.section(*level, number.as_deref(), text, ctx),
            Block::Paragraph(inlines) => {
                self.paragraph(inlines, ctx, keep_next, None);
            }
            Block::List(list) => self.list(list, ctx),
            Block::Table(table) => self.table(table, ctx.indent),
            Block::Signatures(sigs) => self.signatures(sigs),
            Block::Quote(blocks) => self.blocks(blocks, Ctx { quote: true, ..ctx }),
            Block::Note(blocks) => self.note(blocks),
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

    /// A section heading: numbered by the headings' list at level 2 when its number is
    /// the one Word would give it, and bookmarked.
    fn section(&mut self, level: u8, number: Option<&str>, text: &Inlines, ctx: Ctx) {
        let style = if level <= 2 { "Heading2" } else { "Heading3" };
        let expected = format!(
            "{}.{}",
            self.next_article.saturating_sub(1),
            self.next_section
        );
        let word_numbered = style == "Heading2"
            && (number == Some(expected.as_str()) || (self.redline && number.is_some()));
        let change = whole(text);
        Para {
            style: Some(style),
            indent: (ctx.indent > 0).then_some(ctx.indent),
            num: if word_numbered {
                Some((parts::HEADING_NUM_ID, 1))
            } else if style == "Heading2" {
                Some((0, 0))
            } else {
                None
            },
            mark: change,
            ..Para::default()
        }
        .write(&mut self.out);
        // A deleted section, too, takes its number until the deletion is accepted.
        if word_numbered {
            self.next_section += 1;
        }
        self.sections += 1;
        let name = if change == Change::Deleted {
            None
        } else {
            let id = self.article_id.clone();
            self.marks.section(&id, self.sections)
        };
        let id = self.open_bookmark(name.as_deref());
        let start = self.out.len();
        if let Some(number) = number.filter(|_| !word_numbered) {
            let style = Style {
                change,
                ..Style::default()
            };
            text_run(&mut self.out, &format!("{number} "), style, false);
        }
        self.runs(text, false);
        let end = self.out.len();
        self.close_bookmark(id);
        self.out.push_str("</w:p>");
        self.last_para = Some(Anchor { start, end });
    }

    /// A drafting note: a Word comment on the paragraph before it (there always is
    /// one, the article's heading at least), by "mou", whose body is the note.
    fn note(&mut self, blocks: &[Block]) {
        let Some(anchor) = self.last_para else {
            return;
        };
        let id = self.comments.len();
        let mut body = String::new();
        note_body(&mut body, blocks, self);
        self.comments.push(body);
        let end = format!(
            "<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr>\
             <w:commentReference w:id=\"{id}\"/></w:r>"
        );
        self.out.insert_str(anchor.end, &end);
        self.out.insert_str(
            anchor.start,
            &format!("<w:commentRangeStart w:id=\"{id}\"/>"),
        );
        self.last_para = None;
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
            Some(ctx.indent + parts::QUOTE_INDENT)
        } else {
            (ctx.indent > 0).then_some(ctx.indent)
        };
        Para {
            style,
            keep_next,
            num,
            indent,
            mark: whole(inlines),
            ..Para::default()
        }
        .write(&mut self.out);
        let start = self.out.len();
        self.runs(inlines, false);
        self.last_para = Some(Anchor {
            start,
            end: self.out.len(),
        });
        self.out.push_str("</w:p>");
    }

    fn list(&mut self, list: &List, ctx: Ctx) {
        let ilvl = ctx.depth.min(LEVELS - 1);
        self.lists.push(list.start.map(|start| (ilvl, start)));
        let num_id = self.lists.len() + 1;
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
        // The PDF's rules (layout/table.rs): heavy above the table and below it, a
        // medium one under the header, hairlines between rows, no vertical rules.
        let _ = write!(
            self.out,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{width}\" w:type=\"dxa\"/>\
             <w:tblInd w:w=\"{indent}\" w:type=\"dxa\"/>\
             <w:tblBorders><w:top {heavy}/><w:left {none}/><w:bottom {heavy}/>\
             <w:right {none}/><w:insideH {hair}/><w:insideV {none}/></w:tblBorders>\
             <w:tblLayout w:type=\"fixed\"/>\
             <w:tblCellMar><w:top w:w=\"{pad_y}\" w:type=\"dxa\"/><w:left w:w=\"{pad_x}\" w:type=\"dxa\"/>\
             <w:bottom w:w=\"{pad_y}\" w:type=\"dxa\"/><w:right w:w=\"{pad_x}\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
            heavy = rule::HEAVY,
            hair = rule::HAIR,
            none = rule::NONE,
            pad_x = rule::PAD_X,
            pad_y = rule::PAD_Y,
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
        // A table that ends a list item or article would otherwise touch what follows;
        // a table inserted or deleted whole takes it along.
        let all = table.header.iter().chain(table.rows.iter().flatten());
        self.spacer(120, whole_of(all));
    }

    fn row(&mut self, cells: &[Inlines], table: &Table, widths: &[u32], header: bool) {
        // A row inserted or deleted whole is tracked as a row, and so are its
        // paragraphs: accepting or rejecting leaves no empty row.
        let change = whole_of(cells.iter());
        self.out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if header {
            self.out.push_str("<w:tblHeader/>");
        }
        mark_row(&mut self.out, change);
        self.out.push_str("</w:trPr>");
        for (i, w) in widths.iter().enumerate() {
            let _ = write!(
                self.out,
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
            );
            if header {
                // Bold on white between a heavy rule and a medium one; the top rule
                // is the cell's too, so a header Word repeats on the next page has it.
                let _ = write!(
                    self.out,
                    "<w:tcBorders><w:top {}/><w:bottom {}/></w:tcBorders>",
                    rule::HEAVY,
                    rule::MEDIUM
                );
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
                self.runs(cell, header);
            }
            self.out.push_str("</w:p></w:tc>");
        }
        self.out.push_str("</w:tr>");
    }

    /// Signature blocks two to a row of a borderless table; no row splits across a
    /// page and the rows keep together. In a redline, a changed signature block is
    /// the old table deleted and the new one inserted (names, roles and the number of
    /// signatories may all differ), and one of an article inserted or deleted whole
    /// goes with it.
    fn signatures(&mut self, sigs: &[Signatory]) {
        let changed = self
            .signature_changes
            .iter()
            .find(|(printed, _, _)| printed.as_slice() == sigs)
            .map(|(_, old, new)| (old.clone(), new.clone()));
        match changed {
            Some((old, new)) if self.article_change == Change::Unchanged => {
                self.signature_table(&old, Change::Deleted);
                self.signature_table(&new, Change::Inserted);
            }
            Some((_, new)) => self.signature_table(&new, self.article_change),
            None => self.signature_table(sigs, self.article_change),
        }
    }

    fn signature_table(&mut self, sigs: &[Signatory], change: Change) {
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
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/>");
            mark_row(&mut self.out, change);
            self.out.push_str("</w:trPr>");
            for c in 0..2 {
                let _ = write!(
                    self.out,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{half}\" w:type=\"dxa\"/></w:tcPr>"
                );
                match pair.get(c) {
                    Some(sig) => self.signature_cell(sig, !last_row, change),
                    None if change == Change::Unchanged => self.out.push_str("<w:p/>"),
                    None => {
                        Para {
                            mark: change,
                            ..Para::default()
                        }
                        .write(&mut self.out);
                        self.out.push_str("</w:p>");
                    }
                }
                self.out.push_str("</w:tc>");
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
        self.spacer(0, change);
    }

    fn signature_cell(&mut self, sig: &Signatory, keep_with_next_row: bool, change: Change) {
        let plain = Style {
            change,
            ..Style::default()
        };
        let bold = Style {
            bold: true,
            ..plain
        };
        let line = |out: &mut String, before: Option<u32>, keep: bool, label: &str, value: &str| {
            Para {
                style: Some("SignatureText"),
                keep_next: keep,
                space_before: before,
                mark: change,
                ..Para::default()
            }
            .write(out);
            text_run(out, label, plain, false);
            text_run(out, value, plain, false);
            out.push_str("</w:p>");
        };
        let head = |out: &mut String, text: &str, style: Style| {
            Para {
                style: Some("SignatureText"),
                keep_next: true,
                mark: change,
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
                head(&mut self.out, &sig.party, plain);
            }
        }
        if let Some(statement) = &sig.statement {
            head(&mut self.out, statement, plain);
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
            mark: change,
            ..Para::default()
        }
        .write(&mut self.out);
        self.out.push_str("</w:p>");
    }

    /// An empty paragraph of `after` twips below: separates a table from what
    /// follows (Word requires a paragraph between adjacent tables anyway).
    fn spacer(&mut self, after: u32, mark: Change) {
        let mut ppr = String::new();
        mark_xml(&mut ppr, mark);
        let _ = write!(
            self.out,
            "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"{after}\" w:line=\"120\" w:lineRule=\"auto\"/>{ppr}</w:pPr></w:p>"
        );
    }

    /// All runs of a paragraph; `force_bold` for header cells. A cross-reference to a
    /// numbered article becomes a REF field (see [`ref_field`]); one to an exhibit, or
    /// one a redline changed, a link to the bookmark, its text as it is.
    fn runs(&mut self, inlines: &[Run], force_bold: bool) {
        for run in inlines {
            if let Some(target) = &run.xref
                && let Some(name) = self.marks.article(target)
                && !run.style.line_break
                && !run.text.is_empty()
            {
                let name = name.to_string();
                let reference = self.references.get(target);
                match reference {
                    // The typography pass joins "Article" and its number with a no-break
                    // space; the reference is the same words.
                    Some(r)
                        if r.replace('\u{a0}', " ") == run.text.replace('\u{a0}', " ")
                            && run.style.change == Change::Unchanged =>
                    {
                        ref_field(&mut self.out, &run.text, &name, run.style, force_bold);
                    }
                    _ => {
                        let _ = write!(
                            self.out,
                            "<w:hyperlink w:anchor=\"{}\">",
                            xml::escape(&name)
                        );
                        runs(&mut self.out, std::slice::from_ref(run), force_bold);
                        self.out.push_str("</w:hyperlink>");
                    }
                }
                continue;
            }
            runs(&mut self.out, std::slice::from_ref(run), force_bold);
        }
    }
}

/// A cross-reference as a field `REF mou_x \r \h` (`\r`: the heading's paragraph
/// number, `\h`: a link) with the Document's words as its cached result, so pandoc and
/// an editor that has not updated fields read exactly those words. What updating gives
/// (checked with LibreOffice, tests/it/docx_native.rs): the number with the level's
/// text before it and without the period after, so "Article IV" is all field (the
/// level text is "Article %1.", which the heading prints as the PDF does), and
/// "Section 4" is the word "Section " and a field giving "4".
fn ref_field(out: &mut String, text: &str, bookmark: &str, style: Style, force_bold: bool) {
    let (words, number) = match text.find([' ', '\u{a0}']) {
        Some(at) if &text[..at] == "Section" => {
            let space = text[at..].chars().next().map_or(1, char::len_utf8);
            (text[..at + space].to_string(), &text[at + space..])
        }
        _ => (String::new(), text),
    };
    if !words.is_empty() {
        text_run(out, &words, style, force_bold);
    }
    let _ = write!(
        out,
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:instrText xml:space=\"preserve\"> REF {} \\r \\h </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
        xml::escape(bookmark)
    );
    text_run(out, number, style, force_bold);
    out.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
}

/// The runs of an article heading's title, as the front matter writes it (the PDF
/// prints it so too: see [`Article::heading_label`]): a redline's new title as words
/// inserted and the old as words deleted.
fn heading_runs(article: &Article, change: Change) -> Inlines {
    let title = article.title.trim();
    match article.redline.as_ref().and_then(|r| r.old_title.as_ref()) {
        Some(old) if change == Change::Unchanged => crate::diff::diff_text(old.trim(), title),
        _ => vec![Run::styled(
            title.to_string(),
            Style {
                change,
                ..Style::default()
            },
        )],
    }
}

/// A drafting note's blocks as comment paragraphs: paragraphs as they are, list items
/// as paragraphs marked "• " (a comment has no numbering of its own).
fn note_body(out: &mut String, blocks: &[Block], body: &mut Body) {
    for block in blocks {
        match block {
            Block::Paragraph(runs) | Block::Heading { text: runs, .. } => {
                out.push_str("<w:p><w:pPr><w:pStyle w:val=\"CommentText\"/></w:pPr>");
                let saved = std::mem::take(&mut body.out);
                body.runs(runs, false);
                let inner = std::mem::replace(&mut body.out, saved);
                out.push_str(&inner);
                out.push_str("</w:p>");
            }
            Block::List(list) => {
                for item in &list.items {
                    let mut item = item.clone();
                    if let Some(Block::Paragraph(first)) = item.first_mut() {
                        first.insert(0, Run::plain("\u{2022} "));
                    }
                    note_body(out, &item, body);
                }
            }
            Block::Quote(inner) | Block::Note(inner) => note_body(out, inner, body),
            Block::Table(_) | Block::Signatures(_) | Block::Rule => {}
        }
    }
}

/// A table's rules and cell padding, as the PDF draws them (`layout/table.rs`: 0.9 pt
/// black, 0.6 pt black, 0.3 pt grey; padding 5 pt across and 3.5 pt down). Border
/// widths are in eighths of a point, padding in twips.
mod rule {
    pub const HEAVY: &str = "w:val=\"single\" w:sz=\"7\" w:space=\"0\" w:color=\"000000\"";
    pub const MEDIUM: &str = "w:val=\"single\" w:sz=\"5\" w:space=\"0\" w:color=\"000000\"";
    pub const HAIR: &str = "w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"6E6E6E\"";
    pub const NONE: &str = "w:val=\"nil\"";
    pub const PAD_X: u32 = 100;
    pub const PAD_Y: u32 = 70;
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
            // A newline is one `w:br`, tracked like any run.
            text_run(out, "\n", run.style, force_bold);
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

/// A section's `w:sectPr`: page size, margins, headers (the running header, a draft's
/// watermark) and footer. Every section of the document gets the same, so every
/// section prints alike, except that the document's first page (of the `first`
/// section) has no running header, as in the PDF; an exhibit's first page has it. The
/// section that ends before an exhibit (`next_page`) makes the exhibit start a page.
fn section_properties(first: bool, next_page: bool) -> String {
    let mut s = String::from("<w:sectPr>");
    let _ = write!(
        s,
        "<w:headerReference w:type=\"default\" r:id=\"{}\"/>",
        parts::RID_HEADER
    );
    if first {
        let _ = write!(
            s,
            "<w:headerReference w:type=\"first\" r:id=\"{}\"/>",
            parts::RID_FIRST_HEADER
        );
    }
    let _ = write!(
        s,
        "<w:footerReference w:type=\"default\" r:id=\"{footer}\"/>",
        footer = parts::RID_FOOTER
    );
    if first {
        // The first page's footer is the same `Page 1 of N`.
        let _ = write!(
            s,
            "<w:footerReference w:type=\"first\" r:id=\"{footer}\"/>",
            footer = parts::RID_FOOTER
        );
    }
    if next_page {
        s.push_str("<w:type w:val=\"nextPage\"/>");
    }
    let _ = write!(
        s,
        "<w:pgSz w:w=\"{w}\" w:h=\"{h}\"/>\
         <w:pgMar w:top=\"{m}\" w:right=\"{m}\" w:bottom=\"{m}\" w:left=\"{m}\" \
         w:header=\"720\" w:footer=\"720\" w:gutter=\"0\"/>\
         <w:cols w:space=\"720\"/>{title_pg}</w:sectPr>",
        title_pg = if first { "<w:titlePg/>" } else { "" },
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
