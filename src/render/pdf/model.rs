//! What layout produces and the emitter reads: pages of positioned text lines and
//! rules, the structure tree and the outline. Pure data, no PDF objects.
//!
//! Coordinates are PDF points with the origin at the top-left corner of the page and
//! y growing downwards, the order text is read in; the emitter turns them over. Text is
//! placed per line ([`TextItem`]), each line made of [`Span`]s in one [`TextStyle`]; a
//! style carries a colour and underline/strike-out so a redline writer can reuse this
//! layout, and [`RuleItem`] (a filled rectangle in any colour) serves for table rules,
//! signature lines and change bars alike.

use std::collections::HashMap;
use std::ops::Range;

use super::fonts::FontId;

// The page (US Letter) and its one-inch margins, in points.
pub const PAGE_WIDTH: f32 = 612.0;
pub const PAGE_HEIGHT: f32 = 792.0;
pub const MARGIN: f32 = 72.0;
pub const TEXT_LEFT: f32 = MARGIN;
pub const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
pub const TEXT_TOP: f32 = MARGIN;
pub const TEXT_BOTTOM: f32 = PAGE_HEIGHT - MARGIN;

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
    /// E-signature anchors: there for a text search, not for the eye.
    pub const WHITE: Rgb = Rgb(255, 255, 255);
}

/// How a span of text is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub font: FontId,
    pub size: f32,
    pub color: Rgb,
    pub underline: bool,
    pub strike: bool,
    /// A cross-reference: the index of its target in [`Layout::links`]. Part of the
    /// style so that line setting keeps the words of a link in spans of their own,
    /// whose place on the line is then the link's rectangle; drawn like any text.
    pub link: Option<u32>,
}

impl TextStyle {
    pub fn new(font: FontId, size: f32) -> TextStyle {
        TextStyle {
            font,
            size,
            color: Rgb::BLACK,
            underline: false,
            strike: false,
            link: None,
        }
    }

    pub(super) fn with_font(self, font: FontId) -> TextStyle {
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

    pub(super) fn shift(&mut self, dx: f32, dy: f32) {
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
    /// A signature line: the signature field (AcroForm) to place on it.
    pub field: Option<FieldMark>,
}

/// A signature field on a signature line: its name (party and role, as a reader lists
/// it) and the structure node (the signatory's block) its widget is tagged under.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMark {
    pub name: String,
    pub node: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(TextItem),
    Rule(RuleItem),
}

impl Item {
    pub(super) fn shift_y(&mut self, dy: f32) {
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

    pub(super) fn set_tag(&mut self, tag: Tag) {
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
    /// A cross-reference's text (one element even where it wraps), pointing at
    /// [`Layout::links`]`[target]`; the emitter adds an annotation per line of it.
    Link(u32),
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

/// Where a cross-reference leads: an article's (or exhibit's) heading.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkTarget {
    /// The article's id (a clause id or `exhibit:LABEL`), as the runs' `xref` name it.
    pub id: String,
    /// The heading as read out (`Article IV. Funding`), for the link's description.
    pub title: String,
    /// Page (0-based) and y of the top of the heading.
    pub page: usize,
    pub y: f32,
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub pages: Vec<Page>,
    /// Structure elements; `roots` are the top level in reading order.
    pub nodes: Vec<StructNode>,
    pub roots: Vec<usize>,
    pub outline: Vec<OutlineEntry>,
    /// Targets of the cross-references that are links, by the index a
    /// [`TextStyle::link`] and a [`StructKind::Link`] hold.
    pub links: Vec<LinkTarget>,
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
