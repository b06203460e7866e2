//! Document → pages of positioned text lines and rules. Pure: no PDF objects, no I/O.
//!
//! Coordinates are PDF points with the origin at the top-left corner of the page and
//! y growing downwards, the order text is read in; the emitter turns them over. Text is placed per line
//! ([`TextItem`]), each line made of [`Span`]s in one [`TextStyle`]; a style carries a
//! colour and underline/strike-out so a redline writer can reuse this layout, and
//! [`RuleItem`] (a filled rectangle in any colour) serves for table rules, signature
//! lines and change bars alike.
//!
//! Layout runs in two passes: the document is first cut into unbreakable vertical
//! chunks (a line, a table row, a row of signature blocks) with keep-together flags,
//! then the chunks are paginated, and only then, with the page count known, are the
//! running header, the `Page N of M` footer and the watermark added.

use std::collections::HashMap;
use std::ops::Range;

use super::fonts::FontId;
use super::text::{Align, EPS, StyledRun, measure, set_text};
use crate::document::{self, Article, Block, Document, List, Run, Signatory, Table};

pub const PAGE_WIDTH: f32 = 612.0;
pub const PAGE_HEIGHT: f32 = 792.0;
pub const MARGIN: f32 = 72.0;
pub const TEXT_LEFT: f32 = MARGIN;
pub const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
pub const TEXT_TOP: f32 = MARGIN;
pub const TEXT_BOTTOM: f32 = PAGE_HEIGHT - MARGIN;
pub const BODY_SIZE: f32 = 11.5;
pub const LEADING: f32 = 1.3;

const TITLE_SIZE: f32 = 18.0;
const SUBTITLE_SIZE: f32 = 12.0;
const ARTICLE_SIZE: f32 = 12.0;
const TABLE_SIZE: f32 = 10.5;
const MARGINAL_SIZE: f32 = 9.0;
const PARA_GAP: f32 = 7.0;
const LIST_GAP: f32 = 3.5;
const ARTICLE_GAP: f32 = 22.0;
const SECTION_GAP: f32 = 12.0;
const AFTER_HEADING: f32 = 5.0;
const CELL_PAD_X: f32 = 5.0;
const CELL_PAD_Y: f32 = 3.5;
const SIGNATURE_GAP: f32 = 36.0;
const SIGNATURE_SPACE: f32 = 30.0;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    /// Redline insertions: blue, underlined.
    pub const INSERTED: Rgb = Rgb(0, 70, 190);
    /// Redline deletions: red, struck through.
    pub const DELETED: Rgb = Rgb(190, 0, 0);
    pub const GREY: Rgb = Rgb(110, 110, 110);
    pub const LIGHT_GREY: Rgb = Rgb(222, 222, 222);
}

/// How a span of text is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub font: FontId,
    pub size: f32,
    pub color: Rgb,
    pub underline: bool,
    pub strike: bool,
}

impl TextStyle {
    pub fn new(font: FontId, size: f32) -> TextStyle {
        TextStyle {
            font,
            size,
            color: Rgb::BLACK,
            underline: false,
            strike: false,
        }
    }

    fn with_font(self, font: FontId) -> TextStyle {
        TextStyle { font, ..self }
    }
}

/// Identifies one tagged piece of page content (one marked-content sequence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentId(pub u32);

/// Kinds of content outside the logical structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArtifactKind {
    Header,
    Footer,
    Watermark,
    /// Rules and other decoration.
    Layout,
    /// Content repeated by pagination (a table header on a continuation page).
    Pagination,
}

/// What an item is for the tag tree: real content or an artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    Content(ContentId),
    Artifact(ArtifactKind),
}

/// A glyph with its advance in points (justification included); `text` is the byte
/// range of the span's text it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub id: u16,
    pub advance: f32,
    pub text: Range<u32>,
}

/// A run of glyphs in one style on one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Left edge, absolute once the line is placed.
    pub x: f32,
    pub width: f32,
    pub text: String,
    pub glyphs: Vec<PlacedGlyph>,
    pub style: TextStyle,
}

/// One line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct TextItem {
    /// Left edge of the first span.
    pub x: f32,
    pub baseline: f32,
    pub width: f32,
    pub spans: Vec<Span>,
    pub tag: Tag,
    /// Rotation in degrees, counter-clockwise as seen, about (x, baseline).
    pub rotate: f32,
    /// Draw glyph outlines as paths (no extractable text).
    pub outlined: bool,
}

impl TextItem {
    /// The line's text.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    fn shift(&mut self, dx: f32, dy: f32) {
        self.x += dx;
        self.baseline += dy;
        for span in &mut self.spans {
            span.x += dx;
        }
    }
}

/// A filled rectangle: a rule, a signature line, a change bar.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleItem {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub color: Rgb,
    pub tag: Tag,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(TextItem),
    Rule(RuleItem),
}

impl Item {
    fn shift_y(&mut self, dy: f32) {
        match self {
            Item::Text(t) => t.baseline += dy,
            Item::Rule(r) => r.y += dy,
        }
    }

    pub fn tag(&self) -> Tag {
        match self {
            Item::Text(t) => t.tag,
            Item::Rule(r) => r.tag,
        }
    }

    fn set_tag(&mut self, tag: Tag) {
        match self {
            Item::Text(t) => t.tag = tag,
            Item::Rule(r) => r.tag = tag,
        }
    }
}

/// One laid-out page: its items in drawing (and reading) order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub items: Vec<Item>,
}

impl Page {
    pub fn texts(&self) -> impl Iterator<Item = &TextItem> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            Item::Rule(_) => None,
        })
    }
}

/// List numbering, for the tag tree and the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    Decimal,
    LowerAlpha,
    LowerRoman,
    Disc,
    Dash,
}

/// Structure element kinds (the tag tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructKind {
    /// The document title.
    Title,
    P,
    /// `level` 1 for articles, 2+ for sections; `title` is the heading text.
    Heading {
        level: u16,
        title: String,
    },
    /// An article.
    Section,
    /// One signature block.
    Div,
    BlockQuote,
    List(ListStyle),
    ListItem,
    Label,
    ListBody,
    Table,
    TableRow,
    TableHeader,
    TableCell,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructChild {
    Node(usize),
    Content(ContentId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructNode {
    pub kind: StructKind,
    pub children: Vec<StructChild>,
}

/// A bookmark: title, destination page (0-based) and y of the heading's top.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
    pub y: f32,
    pub children: Vec<OutlineEntry>,
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub pages: Vec<Page>,
    /// Structure elements; `roots` are the top level in reading order.
    pub nodes: Vec<StructNode>,
    pub roots: Vec<usize>,
    pub outline: Vec<OutlineEntry>,
    /// Number of [`ContentId`]s handed out (`0..content_count`).
    pub content_count: u32,
}

impl Layout {
    /// Content ids under `node`, depth first.
    pub fn contents_of(&self, node: usize) -> Vec<ContentId> {
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            for child in self.nodes[n].children.iter().rev() {
                match child {
                    StructChild::Node(c) => stack.push(*c),
                    StructChild::Content(id) => out.push(*id),
                }
            }
        }
        out.sort();
        out
    }

    /// The page each content id is on.
    pub fn content_pages(&self) -> HashMap<ContentId, usize> {
        let mut map = HashMap::new();
        for (p, page) in self.pages.iter().enumerate() {
            for item in &page.items {
                if let Tag::Content(id) = item.tag() {
                    map.insert(id, p);
                }
            }
        }
        map
    }
}

/// Lay out `doc`.
pub fn layout(doc: &Document) -> Layout {
    let mut b = Builder::default();
    b.title_block(doc);
    for (i, article) in doc.articles.iter().enumerate() {
        b.article(article, i == 0);
    }
    let placements = paginate(&b.chunks);
    b.assemble(doc, placements)
}

// ---------------------------------------------------------------------------------
// Building chunks

/// An unbreakable vertical piece of the flow; item y coordinates are relative to its top.
#[derive(Debug, Default)]
struct Chunk {
    height: f32,
    space_before: f32,
    keep_with_next: bool,
    items: Vec<Item>,
    /// For table rows: the header row chunk, repeated when this row starts a page.
    repeat_header: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    x: f32,
    width: f32,
}

impl Frame {
    const FULL: Frame = Frame {
        x: TEXT_LEFT,
        width: TEXT_WIDTH,
    };

    fn inset(self, left: f32, right: f32) -> Frame {
        Frame {
            x: self.x + left,
            width: (self.width - left - right).max(24.0),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Headings: every line stays with the next, the last with what follows.
    All,
    /// Paragraphs: no orphan first line, no widowed last line.
    WidowOrphan,
    /// Short blocks of broken lines (an address): all lines on one page.
    Together,
}

struct OutlineDraft {
    level: usize,
    title: String,
    chunk: usize,
}

#[derive(Default)]
struct Builder {
    chunks: Vec<Chunk>,
    nodes: Vec<StructNode>,
    roots: Vec<usize>,
    content_count: u32,
    outline: Vec<OutlineDraft>,
    /// Level of the last heading drawn (0: none yet). PDF/UA wants the first heading
    /// to be H1 and no level skipped, even where an article has no title of its own.
    last_heading: u16,
}

fn line_height(size: f32) -> f32 {
    size * LEADING
}

/// Baseline offset from the top of a line box of height `size * LEADING`.
fn baseline_offset(font: FontId, size: f32) -> f32 {
    let face = font.face();
    let glyph_box = (face.ascent + face.descent) * size;
    (line_height(size) - glyph_box) / 2.0 + face.ascent * size
}

fn body_style() -> TextStyle {
    TextStyle::new(FontId::Regular, BODY_SIZE)
}

/// Document inlines → styled runs on top of `base` (bold/italic add to the base face).
fn runs(inlines: &[Run], base: TextStyle) -> Vec<StyledRun<'_>> {
    inlines
        .iter()
        .map(|r| {
            if r.style.line_break {
                return StyledRun::line_break(base);
            }
            let font = FontId::from_style(
                base.font.is_bold() || r.style.bold,
                base.font.is_italic() || r.style.italic,
            );
            let text: &str = if r.style.blank && r.text.is_empty() {
                document::BLANK
            } else {
                &r.text
            };
            let mut style = base.with_font(font);
            match r.style.change {
                document::Change::Unchanged => {}
                document::Change::Inserted => {
                    style.color = Rgb::INSERTED;
                    style.underline = true;
                }
                document::Change::Deleted => {
                    style.color = Rgb::DELETED;
                    style.strike = true;
                }
            }
            StyledRun::new(text, style)
        })
        .collect()
}

/// Redlines: a bar in the left margin beside every line that holds a change, as
/// word processors draw them.
pub fn add_change_bars(layout: &mut Layout) {
    for page in &mut layout.pages {
        let bars: Vec<Item> = page
            .texts()
            .filter(|t| {
                t.spans
                    .iter()
                    .any(|s| s.style.color == Rgb::INSERTED || s.style.color == Rgb::DELETED)
            })
            .map(|t| {
                let size = t.spans.first().map_or(11.5, |s| s.style.size);
                Item::Rule(RuleItem {
                    x: MARGIN - 14.0,
                    y: t.baseline - size * 0.85,
                    width: 1.5,
                    height: size * 1.15,
                    color: Rgb::DELETED,
                    tag: Tag::Artifact(ArtifactKind::Layout),
                })
            })
            .collect();
        page.items.extend(bars);
    }
}

fn cell(row: &[Vec<Run>], c: usize) -> &[Run] {
    row.get(c).map_or(&[], |r| &r[..])
}

fn lower_alpha(mut n: u64) -> String {
    // 1 → a, 26 → z, 27 → aa
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn list_label(style: ListStyle, n: u64) -> String {
    match style {
        ListStyle::Decimal => format!("{n}."),
        ListStyle::LowerAlpha => format!("{}.", lower_alpha(n)),
        ListStyle::LowerRoman => {
            let r = u32::try_from(n)
                .map(document::roman)
                .unwrap_or_else(|_| n.to_string());
            format!("{}.", r.to_lowercase())
        }
        ListStyle::Disc => "\u{2022}".to_string(),
        ListStyle::Dash => "\u{2013}".to_string(),
    }
}

impl Builder {
    fn node(&mut self, parent: Option<usize>, kind: StructKind) -> usize {
        let id = self.nodes.len();
        self.nodes.push(StructNode {
            kind,
            children: Vec::new(),
        });
        match parent {
            Some(p) => self.nodes[p].children.push(StructChild::Node(id)),
            None => self.roots.push(id),
        }
        id
    }

    fn content(&mut self, node: usize) -> Tag {
        let id = ContentId(self.content_count);
        self.content_count += 1;
        self.nodes[node].children.push(StructChild::Content(id));
        Tag::Content(id)
    }

    /// Set a block of text as one chunk per line under a new `kind` node.
    /// Returns the node, or `None` when there is no text.
    #[allow(clippy::too_many_arguments)]
    fn text_block(
        &mut self,
        runs: &[StyledRun],
        frame: Frame,
        align: Align,
        parent: Option<usize>,
        kind: StructKind,
        space_before: f32,
        keep: Keep,
    ) -> Option<usize> {
        let lines = set_text(runs, frame.width, align);
        if lines.is_empty() {
            return None;
        }
        let first = runs
            .iter()
            .find(|r| !r.line_break)
            .map(|r| r.style)
            .unwrap_or_else(body_style);
        let size = runs.iter().map(|r| r.style.size).fold(first.size, f32::max);
        let height = line_height(size);
        let offset = baseline_offset(first.font, size);
        let node = self.node(parent, kind);
        let n = lines.len();
        for (k, mut line) in lines.into_iter().enumerate() {
            line.shift(frame.x, offset);
            line.tag = self.content(node);
            let keep_with_next = match keep {
                Keep::All => true,
                Keep::WidowOrphan => n >= 2 && (k == 0 || k + 2 == n),
                Keep::Together => k + 1 < n,
            };
            self.chunks.push(Chunk {
                height,
                space_before: if k == 0 { space_before } else { 0.0 },
                keep_with_next,
                items: vec![Item::Text(line)],
                repeat_header: None,
            });
        }
        Some(node)
    }

    fn title_block(&mut self, doc: &Document) {
        let title_style = TextStyle::new(FontId::Bold, TITLE_SIZE);
        let title = [StyledRun::new(doc.title.as_str(), title_style)];
        self.text_block(
            &title,
            Frame::FULL,
            Align::Center,
            None,
            StructKind::Title,
            0.0,
            Keep::All,
        );
        if !doc.subtitle.trim().is_empty() {
            let style = TextStyle::new(FontId::Regular, SUBTITLE_SIZE);
            let sub = [StyledRun::new(doc.subtitle.as_str(), style)];
            let frame = Frame::FULL.inset(36.0, 36.0);
            self.text_block(
                &sub,
                frame,
                Align::Center,
                None,
                StructKind::P,
                10.0,
                Keep::All,
            );
        }
        if let Some(date) = doc.date.as_deref().filter(|d| !d.trim().is_empty()) {
            let style = TextStyle::new(FontId::Italic, BODY_SIZE);
            let date = [StyledRun::new(date, style)];
            self.text_block(
                &date,
                Frame::FULL,
                Align::Center,
                None,
                StructKind::P,
                6.0,
                Keep::All,
            );
        }
        // A short centred rule closes the title block.
        let width = 96.0;
        self.chunks.push(Chunk {
            height: 4.0,
            space_before: 12.0,
            keep_with_next: false,
            items: vec![Item::Rule(RuleItem {
                x: TEXT_LEFT + (TEXT_WIDTH - width) / 2.0,
                y: 1.5,
                width,
                height: 0.6,
                color: Rgb::BLACK,
                tag: Tag::Artifact(ArtifactKind::Layout),
            })],
            repeat_header: None,
        });
    }

    fn article(&mut self, article: &Article, first: bool) {
        let sect = self.node(None, StructKind::Section);
        let heading = article.heading();
        let style = TextStyle::new(FontId::Bold, ARTICLE_SIZE);
        let chunk = self.chunks.len();
        let runs = [StyledRun::new(heading.as_str(), style)];
        let kind = StructKind::Heading {
            level: 1,
            title: heading.clone(),
        };
        let gap = if first { 14.0 } else { ARTICLE_GAP };
        if self
            .text_block(
                &runs,
                Frame::FULL,
                Align::Center,
                Some(sect),
                kind,
                gap,
                Keep::All,
            )
            .is_some()
        {
            self.last_heading = 1;
            self.outline.push(OutlineDraft {
                level: 0,
                title: heading,
                chunk,
            });
        }
        self.blocks(
            &article.blocks,
            Frame::FULL,
            sect,
            0,
            AFTER_HEADING + 2.0,
            PARA_GAP,
        );
    }

    fn blocks(
        &mut self,
        blocks: &[Block],
        frame: Frame,
        parent: usize,
        depth: usize,
        first_space: f32,
        gap: f32,
    ) {
        let mut after_heading = false;
        for (i, block) in blocks.iter().enumerate() {
            let space = if i == 0 {
                first_space
            } else if after_heading {
                AFTER_HEADING
            } else {
                gap
            };
            after_heading = false;
            match block {
                Block::Heading {
                    level,
                    number,
                    text,
                } => {
                    let space = if i == 0 {
                        first_space
                    } else {
                        space.max(SECTION_GAP)
                    };
                    self.section_heading(*level, number.as_deref(), text, frame, parent, space);
                    after_heading = true;
                }
                Block::Paragraph(inlines) => {
                    let runs = runs(inlines, body_style());
                    // A few short lines broken by hand (an address, a notice block)
                    // read as one unit.
                    let breaks = inlines.iter().filter(|r| r.style.line_break).count();
                    let keep = if (1..8).contains(&breaks) {
                        Keep::Together
                    } else {
                        Keep::WidowOrphan
                    };
                    let kind = StructKind::P;
                    self.text_block(
                        &runs,
                        frame,
                        Align::Justify,
                        Some(parent),
                        kind,
                        space,
                        keep,
                    );
                }
                Block::List(list) => self.list(list, frame, parent, depth, space),
                Block::Table(table) => self.table(table, frame, parent, space + 3.0),
                Block::Signatures(signatories) => {
                    // Keep the closing lines of the preceding text with the signatures.
                    if i > 0
                        && let Some(prev) = self.chunks.last_mut()
                    {
                        prev.keep_with_next = true;
                    }
                    self.signatures(signatories, frame, parent, space.max(18.0));
                }
                Block::Quote(inner) => {
                    let quote = self.node(Some(parent), StructKind::BlockQuote);
                    self.blocks(inner, frame.inset(28.0, 28.0), quote, depth, space, gap);
                }
                Block::Rule => self.chunks.push(Chunk {
                    height: 8.0,
                    space_before: space,
                    keep_with_next: false,
                    items: vec![Item::Rule(RuleItem {
                        x: frame.x,
                        y: 4.0,
                        width: frame.width,
                        height: 0.5,
                        color: Rgb::GREY,
                        tag: Tag::Artifact(ArtifactKind::Layout),
                    })],
                    repeat_header: None,
                }),
            }
        }
    }

    fn section_heading(
        &mut self,
        level: u8,
        number: Option<&str>,
        text: &[Run],
        frame: Frame,
        parent: usize,
        space: f32,
    ) {
        let font = if level <= 1 {
            FontId::Bold
        } else {
            FontId::BoldItalic
        };
        let style = TextStyle::new(font, BODY_SIZE);
        let label = number.map(|n| format!("{n}\u{2002}"));
        let mut all = Vec::new();
        if let Some(label) = &label {
            all.push(StyledRun::new(label.as_str(), style));
        }
        all.extend(runs(text, style));
        let mut title = number.map(|n| format!("{n} ")).unwrap_or_default();
        title.push_str(document::plain_text(text).trim());
        // Articles are H1 and a clause's sections (document level 2) H2: PDF/UA forbids
        // skipping a heading level, which `level + 1` did (H1 then H3). Under an article
        // without a heading, sections step up so none is deeper than the last plus one.
        let tag_level = u16::from(level).clamp(2, 6).min(self.last_heading + 1);
        let kind = StructKind::Heading {
            level: tag_level,
            title: title.clone(),
        };
        let chunk = self.chunks.len();
        if self
            .text_block(
                &all,
                frame,
                Align::Left,
                Some(parent),
                kind,
                space,
                Keep::All,
            )
            .is_some()
        {
            self.last_heading = tag_level;
            self.outline.push(OutlineDraft {
                level: usize::from(level.max(1)),
                title,
                chunk,
            });
        }
    }

    fn list(&mut self, list: &List, frame: Frame, parent: usize, depth: usize, space_before: f32) {
        if list.items.is_empty() {
            return;
        }
        let style = match (list.start, depth % 3) {
            (Some(_), 0) => ListStyle::Decimal,
            (Some(_), 1) => ListStyle::LowerAlpha,
            (Some(_), _) => ListStyle::LowerRoman,
            (None, d) if d % 2 == 0 => ListStyle::Disc,
            (None, _) => ListStyle::Dash,
        };
        let start = list.start.unwrap_or(1);
        let labels: Vec<String> = (0..list.items.len() as u64)
            .map(|k| list_label(style, start.saturating_add(k)))
            .collect();
        let label_style = body_style();
        let face = label_style.font.face();
        let widest = labels
            .iter()
            .map(|l| face.width(l, label_style.size))
            .fold(0.0, f32::max);
        let indent = (widest + 8.0).max(22.0).ceil();
        let body = frame.inset(indent, 0.0);
        let l = self.node(Some(parent), StructKind::List(style));
        for (k, item) in list.items.iter().enumerate() {
            let li = self.node(Some(l), StructKind::ListItem);
            let lbl = self.node(Some(li), StructKind::Label);
            let lbody = self.node(Some(li), StructKind::ListBody);
            let first_chunk = self.chunks.len();
            let space = if k == 0 { space_before } else { LIST_GAP };
            self.blocks(item, body, lbody, depth + 1, space, LIST_GAP);

            let label_run = [StyledRun::new(labels[k].as_str(), label_style)];
            let Some(mut label) = set_text(&label_run, indent, Align::Left).into_iter().next()
            else {
                continue;
            };
            label.tag = self.content(lbl);
            // The label sits on the first line of the item's first chunk (or at the
            // top of it when that chunk has no text, such as a rule).
            let default_baseline = baseline_offset(label_style.font, label_style.size);
            match self.chunks.get_mut(first_chunk) {
                Some(chunk) => {
                    let baseline = chunk
                        .items
                        .iter()
                        .find_map(|i| match i {
                            Item::Text(t) if matches!(t.tag, Tag::Content(_)) => Some(t.baseline),
                            _ => None,
                        })
                        .unwrap_or(default_baseline);
                    label.shift(frame.x, baseline);
                    chunk.items.insert(0, Item::Text(label));
                }
                None => {
                    label.shift(frame.x, default_baseline);
                    self.chunks.push(Chunk {
                        height: line_height(label_style.size),
                        space_before: space,
                        keep_with_next: false,
                        items: vec![Item::Text(label)],
                        repeat_header: None,
                    });
                }
            }
        }
    }

    fn table(&mut self, table: &Table, frame: Frame, parent: usize, space_before: f32) {
        let ncols = table
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(table.header.len()))
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let body = TextStyle::new(FontId::Regular, TABLE_SIZE);
        let head = TextStyle::new(FontId::Bold, TABLE_SIZE);
        let has_header = table.header.iter().any(|h| !h.is_empty());

        // Column widths from content: min (longest word) and max (unwrapped) widths.
        let mut min = vec![0.0f32; ncols];
        let mut max = vec![0.0f32; ncols];
        let mut note = |row: &[Vec<Run>], style: TextStyle| {
            for c in 0..ncols {
                let (lo, hi) = measure(&runs(cell(row, c), style));
                min[c] = min[c].max(lo);
                max[c] = max[c].max(hi);
            }
        };
        if has_header {
            note(&table.header, head);
        }
        for row in &table.rows {
            note(row, body);
        }
        // (At least 8 pt per column: absurdly many columns overflow rather than vanish.)
        let avail = (frame.width - ncols as f32 * 2.0 * CELL_PAD_X).max(8.0 * ncols as f32);
        let sum_max: f32 = max.iter().sum();
        let sum_min: f32 = min.iter().sum();
        let widths: Vec<f32> = if sum_max <= avail && sum_max > 0.0 {
            // Everything fits unwrapped: share the slack in proportion to content.
            max.iter()
                .map(|m| m + (avail - sum_max) * m / sum_max)
                .collect()
        } else if sum_min <= avail {
            let flex: f32 = max.iter().zip(&min).map(|(a, b)| a - b).sum();
            max.iter()
                .zip(&min)
                .map(|(hi, lo)| {
                    if flex > 0.0 {
                        lo + (avail - sum_min) * (hi - lo) / flex
                    } else {
                        avail / ncols as f32
                    }
                })
                .collect()
        } else {
            min.iter()
                .map(|m| {
                    if sum_min > 0.0 {
                        avail * m / sum_min
                    } else {
                        avail / ncols as f32
                    }
                })
                .collect()
        };
        let mut xs = Vec::with_capacity(ncols);
        let mut x = frame.x;
        for w in &widths {
            xs.push(x);
            x += w + 2.0 * CELL_PAD_X;
        }

        let tnode = self.node(Some(parent), StructKind::Table);
        let align = |c: usize| match table.align.get(c) {
            Some(document::Align::Center) => Align::Center,
            Some(document::Align::Right) => Align::Right,
            _ => Align::Left,
        };
        let rule = |y: f32, h: f32, color: Rgb| {
            Item::Rule(RuleItem {
                x: frame.x,
                y,
                width: frame.width,
                height: h,
                color,
                tag: Tag::Artifact(ArtifactKind::Layout),
            })
        };

        // One chunk per row: cell lines plus the rules.
        let build_row = |b: &mut Builder, row: &[Vec<Run>], header: bool, last: bool| -> Chunk {
            let tr = b.node(Some(tnode), StructKind::TableRow);
            let style = if header { head } else { body };
            let lh = line_height(TABLE_SIZE);
            let offset = baseline_offset(style.font, TABLE_SIZE);
            let top = if header || !has_header { 1.0 } else { 0.0 };
            let mut items = Vec::new();
            let mut lines_max = 1usize;
            for c in 0..ncols {
                let kind = if header {
                    StructKind::TableHeader
                } else {
                    StructKind::TableCell
                };
                let cnode = b.node(Some(tr), kind);
                let lines = set_text(&runs(cell(row, c), style), widths[c], align(c));
                lines_max = lines_max.max(lines.len());
                if lines.is_empty() {
                    // An empty cell still gets a (blank) content item for its TD.
                    items.push(Item::Text(TextItem {
                        x: xs[c] + CELL_PAD_X,
                        baseline: top + CELL_PAD_Y + offset,
                        width: 0.0,
                        spans: Vec::new(),
                        tag: b.content(cnode),
                        rotate: 0.0,
                        outlined: false,
                    }));
                }
                for (k, mut line) in lines.into_iter().enumerate() {
                    line.shift(
                        xs[c] + CELL_PAD_X,
                        top + CELL_PAD_Y + offset + k as f32 * lh,
                    );
                    line.tag = b.content(cnode);
                    items.push(Item::Text(line));
                }
            }
            let height = top + 2.0 * CELL_PAD_Y + lines_max as f32 * lh;
            if top > 0.0 {
                items.push(rule(0.0, 0.9, Rgb::BLACK));
            }
            let (h, color) = if last {
                (0.9, Rgb::BLACK)
            } else if header {
                (0.6, Rgb::BLACK)
            } else {
                (0.3, Rgb::GREY)
            };
            items.push(rule(height - h / 2.0, h, color));
            Chunk {
                height,
                space_before: 0.0,
                keep_with_next: header && !last,
                items,
                repeat_header: None,
            }
        };

        let mut header_chunk = None;
        if has_header {
            let mut chunk = build_row(self, &table.header, true, table.rows.is_empty());
            chunk.space_before = space_before;
            header_chunk = Some(self.chunks.len());
            self.chunks.push(chunk);
        }
        for (r, row) in table.rows.iter().enumerate() {
            let mut chunk = build_row(self, row, false, r + 1 == table.rows.len());
            if r == 0 && header_chunk.is_none() {
                chunk.space_before = space_before;
            }
            chunk.repeat_header = header_chunk;
            self.chunks.push(chunk);
        }
    }

    /// One signatory's block at x = 0, top = 0: returns its items and height.
    fn signature_block(&mut self, sig: &Signatory, width: f32, parent: usize) -> (Vec<Item>, f32) {
        let div = self.node(Some(parent), StructKind::Div);
        let regular = body_style();
        let bold = regular.with_font(FontId::Bold);
        let lh = line_height(BODY_SIZE);
        let offset = baseline_offset(FontId::Regular, BODY_SIZE);
        let mut items = Vec::new();
        let mut y = 0.0;

        let line = |b: &mut Builder,
                    items: &mut Vec<Item>,
                    y: &mut f32,
                    runs: &[StyledRun],
                    rule: bool| {
            let lines = set_text(runs, width, Align::Left);
            if lines.is_empty() {
                return;
            }
            let p = b.node(Some(div), StructKind::P);
            let n = lines.len();
            for (k, mut l) in lines.into_iter().enumerate() {
                l.shift(0.0, *y + offset);
                l.tag = b.content(p);
                if rule && k + 1 == n {
                    // The writing line runs from after the label to the block's edge.
                    let x0 = l.right() + 4.0;
                    if width - x0 > 24.0 {
                        items.push(Item::Rule(RuleItem {
                            x: x0,
                            y: *y + offset + 1.5,
                            width: width - x0,
                            height: 0.6,
                            color: Rgb::BLACK,
                            tag: Tag::Artifact(ArtifactKind::Layout),
                        }));
                    }
                }
                items.push(Item::Text(l));
                *y += lh;
            }
        };

        line(
            self,
            &mut items,
            &mut y,
            &[StyledRun::new(sig.party.as_str(), bold)],
            false,
        );
        y += SIGNATURE_SPACE - lh * 0.3;
        line(
            self,
            &mut items,
            &mut y,
            &[StyledRun::new("By:", regular)],
            true,
        );
        y += 3.0;
        let name = [
            StyledRun::new("Name: ", regular),
            StyledRun::new(sig.name.as_str(), regular),
        ];
        line(self, &mut items, &mut y, &name, false);
        let title = [
            StyledRun::new("Title: ", regular),
            StyledRun::new(sig.title.as_str(), regular),
        ];
        line(self, &mut items, &mut y, &title, false);
        match sig.date.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(date) => {
                let runs = [
                    StyledRun::new("Date: ", regular),
                    StyledRun::new(date, regular),
                ];
                line(self, &mut items, &mut y, &runs, false);
            }
            None => {
                y += 10.0;
                line(
                    self,
                    &mut items,
                    &mut y,
                    &[StyledRun::new("Date:", regular)],
                    true,
                );
            }
        }
        (items, y)
    }

    fn signatures(
        &mut self,
        signatories: &[Signatory],
        frame: Frame,
        parent: usize,
        space_before: f32,
    ) {
        if signatories.is_empty() {
            return;
        }
        let col = (frame.width - SIGNATURE_GAP) / 2.0;
        let regular = body_style();
        let bold = regular.with_font(FontId::Bold);
        // Side by side when every block fits its column without splitting words.
        let fits = signatories.iter().all(|s| {
            let widest = [
                measure(&[StyledRun::new(s.party.as_str(), bold)]).0,
                measure(&[StyledRun::new(format!("Name: {}", s.name), regular)]).0,
                measure(&[StyledRun::new(format!("Title: {}", s.title), regular)]).0,
            ];
            widest.iter().all(|w| *w <= col)
        });
        let per_row = if fits && signatories.len() > 1 { 2 } else { 1 };
        let width = if per_row == 2 {
            col
        } else {
            col.max(frame.width.min(300.0))
        };
        let rows: Vec<&[Signatory]> = signatories.chunks(per_row).collect();
        let nrows = rows.len();
        for (r, row) in rows.into_iter().enumerate() {
            let mut items = Vec::new();
            let mut height: f32 = 0.0;
            for (k, sig) in row.iter().enumerate() {
                let (mut block, h) = self.signature_block(sig, width, parent);
                let dx = frame.x + k as f32 * (col + SIGNATURE_GAP);
                for item in &mut block {
                    match item {
                        Item::Text(t) => t.shift(dx, 0.0),
                        Item::Rule(rule) => rule.x += dx,
                    }
                }
                items.extend(block);
                height = height.max(h);
            }
            self.chunks.push(Chunk {
                height,
                space_before: if r == 0 { space_before } else { 24.0 },
                keep_with_next: r + 1 < nrows,
                items,
                repeat_header: None,
            });
        }
    }

    // -----------------------------------------------------------------------------
    // Assembly

    fn assemble(mut self, doc: &Document, placements: Vec<Vec<Placement>>) -> Layout {
        let total = placements.len().max(1);
        // Header rows that get repeated are cloned before the chunks are consumed.
        let mut header_copies: HashMap<usize, Vec<Item>> = HashMap::new();
        for p in placements.iter().flatten().filter(|p| p.copy) {
            header_copies.entry(p.chunk).or_insert_with(|| {
                self.chunks[p.chunk]
                    .items
                    .iter()
                    .cloned()
                    .map(|mut i| {
                        if matches!(i.tag(), Tag::Content(_)) {
                            i.set_tag(Tag::Artifact(ArtifactKind::Pagination));
                        }
                        i
                    })
                    .collect()
            });
        }
        let mut chunk_pos: Vec<Option<(usize, f32)>> = vec![None; self.chunks.len()];
        let mut pages = Vec::with_capacity(total);
        for (pi, placed) in placements.iter().enumerate() {
            let mut page = Page::default();
            if doc.draft {
                page.items.push(watermark());
            }
            if pi > 0 {
                page.items.extend(running_header(&doc.short_title));
            }
            for p in placed {
                let items = if p.copy {
                    header_copies.get(&p.chunk).cloned().unwrap_or_default()
                } else {
                    chunk_pos[p.chunk] = Some((pi, p.y));
                    std::mem::take(&mut self.chunks[p.chunk].items)
                };
                page.items.extend(items.into_iter().map(|mut i| {
                    i.shift_y(p.y);
                    i
                }));
            }
            page.items.push(footer(pi + 1, total));
            pages.push(page);
        }
        if pages.is_empty() {
            let mut page = Page::default();
            if doc.draft {
                page.items.push(watermark());
            }
            page.items.push(footer(1, 1));
            pages.push(page);
        }

        // Outline: nest each entry under the last one with a lower level.
        let mut outline: Vec<OutlineEntry> = Vec::new();
        let mut stack: Vec<usize> = Vec::new(); // levels of the open path
        for draft in self.outline {
            let (page, y) = chunk_pos
                .get(draft.chunk)
                .copied()
                .flatten()
                .unwrap_or((0, TEXT_TOP));
            let entry = OutlineEntry {
                title: draft.title,
                page,
                y,
                children: Vec::new(),
            };
            while stack.last().is_some_and(|&l| l >= draft.level) {
                stack.pop();
            }
            insert_outline(&mut outline, stack.len(), entry);
            stack.push(draft.level);
        }

        Layout {
            pages,
            nodes: self.nodes,
            roots: self.roots,
            outline,
            content_count: self.content_count,
        }
    }
}

/// Push `entry` as the last child `depth` levels down the last-entry path.
fn insert_outline(list: &mut Vec<OutlineEntry>, depth: usize, entry: OutlineEntry) {
    match list.last_mut() {
        Some(last) if depth > 0 => insert_outline(&mut last.children, depth - 1, entry),
        _ => list.push(entry),
    }
}

fn marginal_text(
    text: &str,
    style: TextStyle,
    align: Align,
    baseline: f32,
    tag: ArtifactKind,
) -> Vec<Item> {
    set_text(&[StyledRun::new(text, style)], TEXT_WIDTH, align)
        .into_iter()
        .take(1)
        .map(|mut line| {
            line.shift(TEXT_LEFT, baseline);
            line.tag = Tag::Artifact(tag);
            Item::Text(line)
        })
        .collect()
}

fn running_header(short_title: &str) -> Vec<Item> {
    if short_title.trim().is_empty() {
        return Vec::new();
    }
    let style = TextStyle {
        color: Rgb::GREY,
        ..TextStyle::new(FontId::Italic, MARGINAL_SIZE)
    };
    let mut items = marginal_text(
        short_title,
        style,
        Align::Right,
        MARGIN - 24.0,
        ArtifactKind::Header,
    );
    items.push(Item::Rule(RuleItem {
        x: TEXT_LEFT,
        y: MARGIN - 19.0,
        width: TEXT_WIDTH,
        height: 0.4,
        color: Rgb::GREY,
        tag: Tag::Artifact(ArtifactKind::Header),
    }));
    items
}

fn footer(page: usize, total: usize) -> Item {
    let style = TextStyle::new(FontId::Regular, MARGINAL_SIZE);
    let text = format!("Page {page} of {total}");
    let baseline = PAGE_HEIGHT - MARGIN + 30.0;
    marginal_text(&text, style, Align::Center, baseline, ArtifactKind::Footer)
        .pop()
        .unwrap_or(Item::Rule(RuleItem {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0,
            color: Rgb::BLACK,
            tag: Tag::Artifact(ArtifactKind::Footer),
        }))
}

/// A large, light diagonal "DRAFT" across the page, drawn as outlines (not text).
fn watermark() -> Item {
    let size = 150.0;
    let style = TextStyle {
        color: Rgb::LIGHT_GREY,
        ..TextStyle::new(FontId::Bold, size)
    };
    let mut line = set_text(
        &[StyledRun::new("DRAFT", style)],
        PAGE_WIDTH * 2.0,
        Align::Left,
    )
    .pop()
    .unwrap_or(TextItem {
        x: 0.0,
        baseline: 0.0,
        width: 0.0,
        spans: Vec::new(),
        tag: Tag::Artifact(ArtifactKind::Watermark),
        rotate: 0.0,
        outlined: true,
    });
    let angle: f32 = (PAGE_HEIGHT / PAGE_WIDTH).atan();
    let (sin, cos) = angle.sin_cos();
    // Centre the text box (width × cap height) on the page centre, along the diagonal.
    let cap = 0.66 * size;
    let (cx, cy) = (PAGE_WIDTH / 2.0, PAGE_HEIGHT / 2.0);
    // Baseline direction u = (cos, -sin), "up" v = (-sin, -cos) in y-down coordinates;
    // origin = centre - u * width / 2 - v * cap / 2.
    let x = cx - cos * line.width / 2.0 + sin * cap / 2.0;
    let y = cy + sin * line.width / 2.0 + cos * cap / 2.0;
    line.shift(x, y);
    line.rotate = angle.to_degrees();
    line.outlined = true;
    line.tag = Tag::Artifact(ArtifactKind::Watermark);
    Item::Text(line)
}

// ---------------------------------------------------------------------------------
// Pagination

#[derive(Debug, Clone, Copy)]
struct Placement {
    chunk: usize,
    /// Top of the chunk on the page.
    y: f32,
    /// A repeated table header (artifact copy of `chunk`).
    copy: bool,
}

fn paginate(chunks: &[Chunk]) -> Vec<Vec<Placement>> {
    let mut pages: Vec<Vec<Placement>> = Vec::new();
    if chunks.is_empty() {
        return pages;
    }
    let mut page: Vec<Placement> = Vec::new();
    let mut y = TEXT_TOP;
    let mut page_start = 0;
    let mut i = 0;
    while i < chunks.len() {
        let c = &chunks[i];
        let at_top = page.iter().all(|p| p.copy);
        let space = if at_top { 0.0 } else { c.space_before };
        if at_top || y + space + c.height <= TEXT_BOTTOM + EPS {
            page.push(Placement {
                chunk: i,
                y: y + space,
                copy: false,
            });
            y += space + c.height;
            i += 1;
            continue;
        }
        // Does not fit: move the whole keep-together chain that ends here, unless it
        // already starts the page (then it is longer than a page and must break).
        let mut s = i;
        while s > page_start && chunks[s - 1].keep_with_next {
            s -= 1;
        }
        if s > page_start {
            page.retain(|p| p.copy || p.chunk < s);
            i = s;
        }
        pages.push(std::mem::take(&mut page));
        y = TEXT_TOP;
        page_start = i;
        if let Some(h) = chunks[i].repeat_header
            && h != i
        {
            page.push(Placement {
                chunk: h,
                y,
                copy: true,
            });
            y += chunks[h].height;
        }
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fixture;

    fn heading_nodes(layout: &Layout) -> Vec<usize> {
        (0..layout.nodes.len())
            .filter(|&n| matches!(layout.nodes[n].kind, StructKind::Heading { .. }))
            .collect()
    }

    /// Heading levels in document order.
    fn heading_levels(layout: &Layout) -> Vec<u16> {
        heading_nodes(layout)
            .into_iter()
            .filter_map(|n| match layout.nodes[n].kind {
                StructKind::Heading { level, .. } => Some(level),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn heading_levels_never_skip_one() {
        let mut doc = fixture::agreement();
        let section = crate::document::Block::Heading {
            level: 2,
            number: Some("1.1".to_string()),
            text: vec![crate::document::Run::plain("Deep")],
        };
        // An untitled, unnumbered article first: its section cannot be an H2 with no
        // H1 before it.
        let mut untitled = doc.articles[0].clone();
        untitled.number = None;
        untitled.title = String::new();
        untitled.blocks = vec![section.clone()];
        doc.articles.insert(0, untitled);
        doc.articles[1].blocks.insert(0, section);
        let levels = heading_levels(&layout(&doc));
        assert_eq!(levels.first(), Some(&1), "{levels:?}");
        assert_eq!(&levels[..3], &[1, 1, 2], "{levels:?}");
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{levels:?}");
        }
    }

    #[test]
    fn fixture_is_about_ten_pages() {
        let layout = layout(&fixture::agreement());
        assert!(
            (9..=12).contains(&layout.pages.len()),
            "{} pages",
            layout.pages.len()
        );
    }

    #[test]
    fn no_line_is_wider_than_its_box() {
        let layout = layout(&fixture::agreement());
        let mut lines = 0;
        for page in &layout.pages {
            for t in page.texts().filter(|t| t.rotate == 0.0) {
                lines += 1;
                assert!(t.x >= TEXT_LEFT - EPS, "{:?} starts at {}", t.text(), t.x);
                assert!(
                    t.right() <= TEXT_LEFT + TEXT_WIDTH + EPS,
                    "{:?} ends at {}",
                    t.text(),
                    t.right()
                );
                // The advances of the glyphs drawn add up to the width measured.
                let sum: f32 = t
                    .spans
                    .iter()
                    .flat_map(|s| &s.glyphs)
                    .map(|g| g.advance)
                    .sum();
                assert!((sum - t.width).abs() < 0.01, "{:?}", t.text());
            }
            for t in page.texts().filter(|t| matches!(t.tag, Tag::Content(_))) {
                assert!(
                    t.baseline > TEXT_TOP && t.baseline <= TEXT_BOTTOM,
                    "{:?} at {}",
                    t.text(),
                    t.baseline
                );
            }
        }
        assert!(lines > 300);
    }

    #[test]
    fn table_cells_stay_in_their_columns() {
        let layout = layout(&fixture::agreement());
        let tables: Vec<usize> = (0..layout.nodes.len())
            .filter(|&n| layout.nodes[n].kind == StructKind::Table)
            .collect();
        assert!(tables.len() >= 2);
        let by_id: HashMap<ContentId, &TextItem> = layout
            .pages
            .iter()
            .flat_map(|p| p.texts())
            .filter_map(|t| match t.tag {
                Tag::Content(id) => Some((id, t)),
                Tag::Artifact(_) => None,
            })
            .collect();
        for table in tables {
            for row in layout.nodes[table].children.iter() {
                let StructChild::Node(row) = row else {
                    continue;
                };
                let cells: Vec<Vec<&TextItem>> = layout.nodes[*row]
                    .children
                    .iter()
                    .filter_map(|c| match c {
                        StructChild::Node(c) => {
                            Some(layout.contents_of(*c).iter().map(|id| by_id[id]).collect())
                        }
                        StructChild::Content(_) => None,
                    })
                    .collect();
                for pair in cells.windows(2) {
                    let right = pair[0].iter().map(|t| t.right()).fold(0.0, f32::max);
                    let left = pair[1].iter().map(|t| t.x).fold(f32::MAX, f32::min);
                    assert!(
                        right <= left + EPS,
                        "cell overlaps the next: {right} > {left}"
                    );
                }
            }
        }
    }

    #[test]
    fn headings_are_kept_with_what_follows() {
        let layout = layout(&fixture::agreement());
        let pages = layout.content_pages();
        let mut order: Vec<ContentId> = pages.keys().copied().collect();
        order.sort();
        for h in heading_nodes(&layout) {
            let ids = layout.contents_of(h);
            let last = *ids.last().unwrap();
            let next = order.iter().find(|id| **id > last);
            if let Some(next) = next {
                assert_eq!(
                    pages[&last], pages[next],
                    "heading {:?} is the last thing on its page",
                    layout.nodes[h].kind
                );
            }
            assert!(
                ids.iter().all(|id| pages[id] == pages[&last]),
                "heading split across pages"
            );
        }
    }

    #[test]
    fn paragraphs_have_no_widows_or_orphans() {
        let layout = layout(&fixture::agreement());
        let pages = layout.content_pages();
        for (n, node) in layout.nodes.iter().enumerate() {
            if node.kind != StructKind::P {
                continue;
            }
            let ids = layout.contents_of(n);
            if ids.len() < 2 {
                continue;
            }
            let first = pages[&ids[0]];
            let last = pages[ids.last().unwrap()];
            if first != last {
                assert_eq!(
                    pages[&ids[1]], first,
                    "orphan: first line alone at the bottom of page {first}"
                );
                assert_eq!(
                    pages[&ids[ids.len() - 2]],
                    last,
                    "widow: last line alone at the top of page {last}"
                );
            }
        }
    }

    #[test]
    fn address_blocks_stay_on_one_page() {
        let mut doc = fixture::agreement();
        for extra in 0..30 {
            if extra > 0 {
                let notices = doc.articles.iter_mut().find(|a| a.id == "notices").unwrap();
                notices
                    .blocks
                    .insert(0, Block::Paragraph(vec![Run::plain("Filler line.")]));
            }
            let layout = layout(&doc);
            let pages = layout.content_pages();
            let texts: HashMap<ContentId, String> = layout
                .pages
                .iter()
                .flat_map(|p| p.texts())
                .filter_map(|t| match t.tag {
                    Tag::Content(id) => Some((id, t.text())),
                    Tag::Artifact(_) => None,
                })
                .collect();
            let mut found = 0;
            for (n, node) in layout.nodes.iter().enumerate() {
                let ids = layout.contents_of(n);
                if node.kind != StructKind::P || !texts[&ids[0]].starts_with("To the D") {
                    continue;
                }
                found += 1;
                assert!(
                    ids.iter().all(|id| pages[id] == pages[&ids[0]]),
                    "address split at {extra}: {:?}",
                    ids.iter()
                        .map(|id| (pages[id], &texts[id]))
                        .collect::<Vec<_>>()
                );
            }
            assert_eq!(found, 2);
        }
    }

    #[test]
    fn signature_blocks_are_never_split() {
        let mut doc = fixture::agreement();
        let layout0 = layout(&doc);
        // Push the signatures down line by line so that every position on a page is tried.
        let mut seen_pages = std::collections::HashSet::new();
        for extra in 0..40 {
            let article = doc.articles.last_mut().unwrap();
            if extra > 0 {
                article
                    .blocks
                    .insert(0, Block::Paragraph(vec![Run::plain("Filler line.")]));
            }
            let layout = layout(&doc);
            let pages = layout.content_pages();
            let divs: Vec<usize> = (0..layout.nodes.len())
                .filter(|&n| layout.nodes[n].kind == StructKind::Div)
                .collect();
            assert_eq!(divs.len(), 3);
            let all: Vec<usize> = divs
                .iter()
                .flat_map(|&d| layout.contents_of(d))
                .map(|id| pages[&id])
                .collect();
            assert!(
                all.iter().all(|p| *p == all[0]),
                "signature blocks split over pages {all:?}"
            );
            seen_pages.insert(all[0]);
        }
        assert!(
            seen_pages.len() >= 2,
            "the signatures never moved to a new page"
        );
        assert!(!layout0.pages.is_empty());
    }

    #[test]
    fn table_header_repeats_on_continuation_pages() {
        let mut doc = fixture::agreement();
        let rows: Vec<Vec<Vec<Run>>> = (1..=90)
            .map(|i| {
                vec![
                    vec![Run::plain(format!("Site {i}"))],
                    vec![Run::plain("high")],
                    vec![Run::plain("1")],
                ]
            })
            .collect();
        doc.articles[1].blocks.push(Block::Table(Table {
            header: vec![
                vec![Run::plain("Campus")],
                vec![Run::plain("Level")],
                vec![Run::plain("Officers")],
            ],
            rows,
            align: vec![
                document::Align::Left,
                document::Align::Left,
                document::Align::Right,
            ],
        }));
        let layout = layout(&doc);
        let pages_with_rows: Vec<usize> = layout
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.texts().any(|t| t.text().starts_with("Site ")))
            .map(|(i, _)| i)
            .collect();
        assert!(pages_with_rows.len() >= 3, "{pages_with_rows:?}");
        for &p in &pages_with_rows {
            let texts: Vec<&TextItem> = layout.pages[p].texts().collect();
            let header = texts
                .iter()
                .position(|t| t.text() == "Campus")
                .expect("header on every page of the table");
            let first_row = texts
                .iter()
                .position(|t| t.text().starts_with("Site "))
                .unwrap();
            assert!(header < first_row);
            assert!(texts[header].baseline < texts[first_row].baseline);
        }
        // Only the first header is content; the repeats are artifacts.
        let content_headers = layout
            .pages
            .iter()
            .flat_map(|p| p.texts())
            .filter(|t| t.text() == "Campus" && matches!(t.tag, Tag::Content(_)))
            .count();
        assert_eq!(content_headers, 1);
    }

    #[test]
    fn every_content_id_is_placed_once_and_in_the_tree_once() {
        let layout = layout(&fixture::agreement());
        let mut placed = vec![0u32; layout.content_count as usize];
        for page in &layout.pages {
            for item in &page.items {
                if let Tag::Content(id) = item.tag() {
                    placed[id.0 as usize] += 1;
                }
            }
        }
        assert!(placed.iter().all(|&n| n == 1));
        let mut in_tree = vec![0u32; layout.content_count as usize];
        for node in &layout.nodes {
            for child in &node.children {
                if let StructChild::Content(id) = child {
                    in_tree[id.0 as usize] += 1;
                }
            }
        }
        assert!(in_tree.iter().all(|&n| n == 1));
    }

    #[test]
    fn footer_and_header_on_every_page() {
        let layout = layout(&fixture::agreement());
        let n = layout.pages.len();
        for (i, page) in layout.pages.iter().enumerate() {
            let texts: Vec<String> = page.texts().map(TextItem::text).collect();
            assert!(texts.contains(&format!("Page {} of {n}", i + 1)));
            let has_header = page
                .texts()
                .any(|t| t.tag == Tag::Artifact(ArtifactKind::Header));
            assert_eq!(has_header, i > 0, "running header on page {}", i + 1);
        }
    }

    #[test]
    fn outline_has_one_entry_per_article_with_sections_nested() {
        let doc = fixture::agreement();
        let layout = layout(&doc);
        assert_eq!(layout.outline.len(), doc.articles.len());
        for (entry, article) in layout.outline.iter().zip(&doc.articles) {
            assert_eq!(entry.title, article.heading());
            let sections = article
                .blocks
                .iter()
                .filter(|b| matches!(b, Block::Heading { .. }))
                .count();
            assert_eq!(entry.children.len(), sections, "{}", entry.title);
        }
    }

    #[test]
    fn lists_are_labelled_by_depth() {
        let layout = layout(&fixture::agreement());
        let labels: Vec<String> = layout
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == StructKind::Label)
            .map(|(i, _)| i)
            .flat_map(|i| layout.contents_of(i))
            .filter_map(|id| {
                layout
                    .pages
                    .iter()
                    .flat_map(|p| p.texts())
                    .find(|t| t.tag == Tag::Content(id))
                    .map(TextItem::text)
            })
            .collect();
        assert!(labels.contains(&"1.".to_string()));
        assert!(labels.contains(&"a.".to_string()));
        assert!(labels.contains(&"\u{2022}".to_string()));
    }

    #[test]
    fn layout_is_deterministic() {
        let doc = fixture::agreement();
        assert_eq!(layout(&doc), layout(&doc));
    }
}
