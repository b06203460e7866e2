//! Document → pages of positioned text lines and rules (the [`super::model`]). Pure:
//! no PDF objects, no I/O.
//!
//! Layout runs in two passes: the document is first cut into unbreakable vertical
//! chunks (a line, a table row, a row of signature blocks) with keep-together flags,
//! then the chunks are paginated, and only then, with the page count known, are the
//! running header, the `Page N of M` footer and the watermark added.
//!
//! This module holds the entry point, the chunk builder and what its phases share; the
//! phases have a file each: `blocks` (title, articles, paragraphs, headings, lists,
//! quotes), `table`, `signatures`, `pagination` (chunks → pages, outline) and
//! `furniture` (running header, footer, watermark, change bars).

mod blocks;
mod furniture;
mod pagination;
mod signatures;
mod table;

pub use furniture::add_change_bars;

use std::collections::BTreeMap;

use super::fonts::FontId;
use super::model::{
    ContentId, Item, Layout, Rgb, StructChild, StructKind, StructNode, TEXT_LEFT, TEXT_WIDTH, Tag,
    TextItem, TextStyle,
};
use super::text::{Align, StyledRun, set_text};
use crate::document::{self, Change, Document, Run};

pub const BODY_SIZE: f32 = 11.5;
pub const LEADING: f32 = 1.3;

/// What a layout adds beyond the document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Invisible anchor strings at the signature lines for e-signature services
    /// (see `signatures`).
    pub esign_anchors: bool,
}

/// Lay out `doc`.
pub fn layout(doc: &Document) -> Layout {
    layout_with(doc, Options::default())
}

/// Lay out `doc` with `opts`.
pub fn layout_with(doc: &Document, opts: Options) -> Layout {
    let mut b = Builder {
        esign_anchors: opts.esign_anchors,
        ..Builder::default()
    };
    let targets = b.link_targets(doc);
    b.title_block(doc);
    for (i, article) in doc.articles.iter().enumerate() {
        if crate::exhibits::is_exhibit(article) {
            b.new_pages.push(b.chunks.len());
        }
        b.article(article, i == 0, targets[i]);
    }
    let placements = pagination::paginate(&b.chunks, &b.new_pages);
    b.assemble(doc, placements)
}

/// Article ids that cross-references may link to, by the index of their
/// [`super::model::LinkTarget`].
type Targets = BTreeMap<String, u32>;

/// A link target while laying out: the article's id, its heading as read, and the
/// chunk of that heading once it is set.
#[derive(Debug)]
struct TargetDraft {
    id: String,
    title: String,
    chunk: Option<usize>,
}

/// A vertical piece of the flow kept on one page; item y coordinates are relative to
/// its top. Only a chunk taller than a page (a table row or signature block holding a
/// value thousands of characters long) is cut, between its lines (see [`Chunk::cuts`]).
#[derive(Debug, Default)]
struct Chunk {
    height: f32,
    space_before: f32,
    keep_with_next: bool,
    items: Vec<Item>,
    /// For table rows: the header row chunk, repeated when this row starts a page.
    repeat_header: Option<usize>,
}

/// The vertical extent of an item in its chunk: a text line's glyph box (ascent to
/// descent of its largest face), a rule's rectangle.
fn extent(item: &Item) -> (f32, f32) {
    match item {
        Item::Text(t) => {
            let (mut up, mut down) = (0.0f32, 0.0f32);
            for span in &t.spans {
                let face = span.style.font.face();
                up = up.max(face.ascent * span.style.size);
                down = down.max(face.descent * span.style.size);
            }
            (t.baseline - up, t.baseline + down)
        }
        Item::Rule(r) => (r.y, r.y + r.height),
    }
}

impl Chunk {
    /// Where the chunk may be cut across pages, in increasing order: the middle of
    /// every gap between its items (between two lines of a cell, say), so that no line
    /// or rule is ever split.
    fn cuts(&self) -> Vec<f32> {
        let mut spans: Vec<(f32, f32)> = self.items.iter().map(extent).collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut cuts = Vec::new();
        let mut bottom: Option<f32> = None;
        for (top, end) in spans {
            if let Some(b) = bottom
                && top > b
            {
                cuts.push((b + top) / 2.0);
            }
            bottom = Some(bottom.map_or(end, |b| b.max(end)));
        }
        cuts
    }
}

/// The narrowest a nested block is set (a few words a line).
const MIN_FRAME_WIDTH: f32 = 24.0;

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

    /// The frame `left` and `right` points narrower, but never narrower than
    /// [`MIN_FRAME_WIDTH`] (or this frame's width) and never reaching past this frame's
    /// right edge: lists and quotes nested [`crate::document::MAX_NESTING`] deep stop
    /// indenting at the margin instead of running off the page.
    fn inset(self, left: f32, right: f32) -> Frame {
        let width = (self.width - left - right).max(MIN_FRAME_WIDTH.min(self.width));
        Frame {
            x: (self.x + left).min(self.x + self.width - width),
            width,
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
    /// Chunks that start a new page (an exhibit's heading), in increasing order.
    new_pages: Vec<usize>,
    /// Cross-reference targets by article id, and each target's heading.
    targets: Targets,
    links: Vec<TargetDraft>,
    /// Draw e-signature anchors ([`Options::esign_anchors`]).
    esign_anchors: bool,
    /// Signature blocks laid out so far: the number of the next one's anchors.
    signatories: u32,
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
/// A run naming an article of `targets` carries that link; one naming anything else
/// (an article this agreement leaves out) is plain text.
fn runs<'a>(inlines: &'a [Run], base: TextStyle, targets: &Targets) -> Vec<StyledRun<'a>> {
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
            style.link = r.xref.as_deref().and_then(|id| targets.get(id)).copied();
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

    /// The articles a cross-reference can lead to, each article's target (or `None`),
    /// in article order. An article is a target when its heading prints (so there is
    /// a place to go) and, in a redline, when it is not deleted (a link goes to the
    /// agreement as it now reads); the first of two with one id wins.
    fn link_targets(&mut self, doc: &Document) -> Vec<Option<u32>> {
        doc.articles
            .iter()
            .map(|a| {
                let live = a
                    .redline
                    .as_ref()
                    .is_none_or(|r| r.change != Change::Deleted);
                let title = blocks::article_heading(a).replace('\u{a0}', " ");
                if !live || title.trim().is_empty() || self.targets.contains_key(&a.id) {
                    return None;
                }
                let t = self.links.len() as u32;
                self.targets.insert(a.id.clone(), t);
                self.links.push(TargetDraft {
                    id: a.id.clone(),
                    title: title.trim().to_string(),
                    chunk: None,
                });
                Some(t)
            })
            .collect()
    }

    /// Tags one line under `node`: as one piece, or, where the line holds links, as a
    /// piece per stretch of spans with the same link, each link's piece under a
    /// `Link` element of `node`. `open` is the link element the line before ended in:
    /// a link that wraps goes on in it, so it stays one element over its lines.
    fn tag_line(
        &mut self,
        mut line: TextItem,
        node: usize,
        open: &mut Option<(u32, usize)>,
    ) -> Vec<Item> {
        if line.spans.iter().all(|s| s.style.link.is_none()) {
            *open = None;
            line.tag = self.content(node);
            return vec![Item::Text(line)];
        }
        let mut pieces = Vec::new();
        let mut spans = std::mem::take(&mut line.spans).into_iter().peekable();
        while let Some(first) = spans.next() {
            let link = first.style.link;
            let mut group = vec![first];
            while let Some(next) = spans.next_if(|s| s.style.link == link) {
                group.push(next);
            }
            let owner = match (link, *open) {
                (None, _) => {
                    *open = None;
                    node
                }
                (Some(t), Some((o, n))) if o == t => n,
                (Some(t), _) => {
                    let n = self.node(Some(node), StructKind::Link(t));
                    *open = Some((t, n));
                    n
                }
            };
            let x = group[0].x;
            let right = group.last().map_or(x, |s| s.x + s.width);
            pieces.push(Item::Text(TextItem {
                x,
                baseline: line.baseline,
                width: right - x,
                spans: group,
                tag: self.content(owner),
                rotate: line.rotate,
                outlined: line.outlined,
            }));
        }
        pieces
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
        let mut open = None;
        for (k, mut line) in lines.into_iter().enumerate() {
            line.shift(frame.x, offset);
            let items = self.tag_line(line, node, &mut open);
            let keep_with_next = match keep {
                Keep::All => true,
                Keep::WidowOrphan => n >= 2 && (k == 0 || k + 2 == n),
                Keep::Together => k + 1 < n,
            };
            self.chunks.push(Chunk {
                height,
                space_before: if k == 0 { space_before } else { 0.0 },
                keep_with_next,
                items,
                repeat_header: None,
            });
        }
        Some(node)
    }
}

/// The heading nodes of `layout`, in document order (for the tests of the phases).
#[cfg(test)]
fn heading_nodes(layout: &Layout) -> Vec<usize> {
    (0..layout.nodes.len())
        .filter(|&n| matches!(layout.nodes[n].kind, StructKind::Heading { .. }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fixture;
    use crate::render::pdf::model::{TEXT_BOTTOM, TEXT_TOP};
    use crate::render::pdf::text::EPS;

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

    /// A paragraph naming a later article and one this agreement does not have, the
    /// first reference long enough to wrap.
    fn with_references() -> (Document, String) {
        use crate::document::{Block, Run};
        let mut doc = fixture::agreement();
        let target = doc.articles[3].id.clone();
        let xref = |text: &str, id: &str| Run {
            xref: Some(id.to_string()),
            ..Run::plain(text)
        };
        let long = "the article on this subject, ".repeat(6);
        doc.articles[0].blocks.insert(
            0,
            Block::Paragraph(vec![
                Run::plain("As "),
                xref(&format!("{long}Article IV"), &target),
                Run::plain(" provides, and as "),
                xref("Article XX", "not-in-this-agreement"),
                Run::plain(" would have."),
            ]),
        );
        (doc, target)
    }

    /// A reference to an article of the document is a `Link` element over its words,
    /// one element across the lines it wraps over, leading to the page its heading is
    /// on; a reference to an article that is not there is plain text.
    #[test]
    fn references_to_articles_are_links_to_their_headings() {
        let (doc, target) = with_references();
        let layout = layout(&doc);
        let t = layout.links.iter().position(|l| l.id == target).unwrap();
        assert!(!layout.links.iter().any(|l| l.id == "not-in-this-agreement"));
        let heading = blocks::article_heading(&doc.articles[3]).replace('\u{a0}', " ");
        assert_eq!(layout.links[t].title, heading);
        let heading_page = layout
            .pages
            .iter()
            .position(|p| {
                p.texts()
                    .any(|x| x.text().replace('\u{a0}', " ") == heading)
            })
            .unwrap();
        assert_eq!(layout.links[t].page, heading_page);
        let link_nodes: Vec<usize> = (0..layout.nodes.len())
            .filter(|&n| layout.nodes[n].kind == StructKind::Link(t as u32))
            .collect();
        assert_eq!(link_nodes.len(), 1, "one element for the wrapped reference");
        let pieces: Vec<&TextItem> = layout
            .contents_of(link_nodes[0])
            .into_iter()
            .filter_map(|id| {
                layout
                    .pages
                    .iter()
                    .flat_map(|p| p.texts())
                    .find(|x| x.tag == Tag::Content(id))
            })
            .collect();
        assert!(pieces.len() >= 2, "the reference wraps: {}", pieces.len());
        let words: String = pieces
            .iter()
            .map(|p| p.text())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(words.ends_with("Article IV"), "{words}");
        assert!(words.starts_with("the article"), "{words}");
        // The plain reference is drawn, inside no link.
        let plain = layout
            .pages
            .iter()
            .flat_map(|p| p.texts())
            .find(|x| x.text().contains("Article XX"))
            .unwrap();
        assert!(plain.spans.iter().all(|s| s.style.link.is_none()));
        assert!(
            layout
                .nodes
                .iter()
                .all(|n| !matches!(n.kind, StructKind::Link(k) if k as usize != t))
        );
    }

    #[test]
    fn layout_is_deterministic() {
        let doc = fixture::agreement();
        assert_eq!(layout(&doc), layout(&doc));
    }
}
