//! Laid-out pages → krilla calls → PDF bytes: glyphs, rules, tag tree, outline and
//! metadata.

use std::num::NonZeroU16;
use std::ops::Range;

use anyhow::{Context, anyhow};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope,
    Tag as KTag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Glyph, GlyphId};
use krilla::{Document as KDocument, SerializeSettings};

use super::layout::{
    ArtifactKind, Item, Layout, ListStyle, OutlineEntry, PAGE_HEIGHT, PAGE_WIDTH, Rgb, RuleItem,
    StructChild, StructKind, Tag, TextItem,
};
use super::{PdfOptions, PdfStandard};
use crate::document::Document;

/// A glyph as krilla wants it: advance relative to the font size.
struct EmitGlyph {
    id: u16,
    advance: f32,
    text: Range<usize>,
}

impl Glyph for EmitGlyph {
    fn glyph_id(&self) -> GlyphId {
        GlyphId::new(u32::from(self.id))
    }

    fn text_range(&self) -> Range<usize> {
        self.text.clone()
    }

    fn x_advance(&self, size: f32) -> f32 {
        self.advance * size
    }

    fn x_offset(&self, _size: f32) -> f32 {
        0.0
    }

    fn y_offset(&self, _size: f32) -> f32 {
        0.0
    }

    fn y_advance(&self, _size: f32) -> f32 {
        0.0
    }

    fn location(&self) -> Option<krilla::surface::Location> {
        None
    }
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn artifact_type(kind: ArtifactKind) -> ArtifactType {
    match kind {
        ArtifactKind::Header => ArtifactType::Header,
        ArtifactKind::Footer => ArtifactType::Footer,
        ArtifactKind::Watermark => ArtifactType::Watermark,
        ArtifactKind::Layout => ArtifactType::Layout,
        ArtifactKind::Pagination => ArtifactType::PaginationOther,
    }
}

/// Draws items, tracking the current fill so it is set only when it changes.
struct Painter<'s, 'a> {
    surface: &'s mut Surface<'a>,
    color: Option<Rgb>,
    glyphs: Vec<EmitGlyph>,
}

impl Painter<'_, '_> {
    fn set_color(&mut self, color: Rgb) {
        if self.color != Some(color) {
            self.surface.set_fill(Some(fill(color)));
            self.color = Some(color);
        }
    }

    /// Open the marked-content sequence of one item (krilla returns a dummy
    /// identifier for artifacts).
    fn begin(&mut self, tag: Tag) -> Identifier {
        let content_tag = match tag {
            Tag::Content(_) => ContentTag::Span(SpanTag::empty()),
            Tag::Artifact(kind) => ContentTag::Artifact(Artifact::with_kind(artifact_type(kind))),
        };
        self.surface.start_tagged(content_tag)
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        let Some(rect) = Rect::from_xywh(x, y, w, h) else {
            return;
        };
        let mut pb = PathBuilder::new();
        pb.push_rect(rect);
        if let Some(path) = pb.finish() {
            self.set_color(color);
            self.surface.draw_path(&path);
        }
    }

    fn text(&mut self, t: &TextItem) {
        if t.rotate != 0.0 {
            self.surface
                .push_transform(&Transform::from_rotate_at(-t.rotate, t.x, t.baseline));
        }
        for span in &t.spans {
            let size = span.style.size;
            if size <= 0.0 || span.glyphs.is_empty() {
                continue;
            }
            self.glyphs.clear();
            self.glyphs.extend(span.glyphs.iter().map(|g| EmitGlyph {
                id: g.id,
                advance: g.advance / size,
                text: g.text.start as usize..g.text.end as usize,
            }));
            self.set_color(span.style.color);
            let face = span.style.font.face();
            self.surface.draw_glyphs(
                Point::from_xy(span.x, t.baseline),
                &self.glyphs,
                face.krilla_font(),
                &span.text,
                size,
                t.outlined,
            );
            if span.style.underline {
                let (offset, thickness) = face.underline;
                let y = t.baseline - offset * size;
                self.rect(span.x, y, span.width, thickness * size, span.style.color);
            }
            if span.style.strike {
                let (offset, thickness) = face.strikeout;
                let y = t.baseline - offset * size;
                self.rect(span.x, y, span.width, thickness * size, span.style.color);
            }
        }
        if t.rotate != 0.0 {
            self.surface.pop();
        }
    }

    fn rule(&mut self, r: &RuleItem) {
        self.rect(r.x, r.y, r.width, r.height, r.color);
    }
}

fn configuration(standard: PdfStandard) -> anyhow::Result<krilla::configure::Configuration> {
    let builder = ConfigurationBuilder::new().with_accessibility_validator(Accessibility::UA1);
    let builder = match standard {
        PdfStandard::Ua1 => builder,
        PdfStandard::A2b => builder.with_archival_validator(Archival::A2_B),
    };
    builder
        .finish()
        .map_err(|e| anyhow!("cannot configure the PDF standard: {e:?}"))
}

fn date_time((year, month, day): (i32, u8, u8)) -> DateTime {
    let year = u16::try_from(year.clamp(0, 9999)).unwrap_or(0);
    DateTime::new(year)
        .month(month)
        .day(day)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

fn tag_kind(kind: &StructKind) -> TagKind {
    match kind {
        StructKind::Title => KTag::Title.into(),
        StructKind::P => KTag::P.into(),
        StructKind::Heading { level, title } => {
            let level = NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN);
            KTag::Hn(level, Some(title.clone())).into()
        }
        StructKind::Section => KTag::Section.into(),
        StructKind::Div => KTag::Div.into(),
        StructKind::BlockQuote => KTag::BlockQuote.into(),
        StructKind::List(style) => KTag::L(match style {
            ListStyle::Decimal => ListNumbering::Decimal,
            ListStyle::LowerAlpha => ListNumbering::LowerAlpha,
            ListStyle::LowerRoman => ListNumbering::LowerRoman,
            ListStyle::Disc => ListNumbering::Disc,
            ListStyle::Dash => ListNumbering::None,
        })
        .into(),
        StructKind::ListItem => KTag::LI.into(),
        StructKind::Label => KTag::Lbl.into(),
        StructKind::ListBody => KTag::LBody.into(),
        StructKind::Table => KTag::Table.into(),
        StructKind::TableRow => KTag::TR.into(),
        StructKind::TableHeader => KTag::TH(TableHeaderScope::Column).into(),
        StructKind::TableCell => KTag::TD.into(),
    }
}

/// Which marked-content sequence an item belongs in. Lines that follow one another in
/// the same structure element share one sequence: one MCID per paragraph and page
/// instead of one per line keeps content streams and the parent tree small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Content: its structure element and position among that element's children.
    Content {
        node: u32,
        pos: u32,
    },
    Artifact(ArtifactKind),
}

impl Section {
    fn of(tag: Tag, owners: &[(u32, u32)]) -> Section {
        match tag {
            Tag::Content(id) => {
                let (node, pos) = owners.get(id.0 as usize).copied().unwrap_or((u32::MAX, 0));
                Section::Content { node, pos }
            }
            Tag::Artifact(kind) => Section::Artifact(kind),
        }
    }

    fn continued_by(self, next: Section) -> bool {
        match (self, next) {
            (Section::Content { node, pos }, Section::Content { node: n, pos: p }) => {
                node != u32::MAX && node == n && pos + 1 == p
            }
            (Section::Artifact(a), Section::Artifact(b)) => a == b,
            _ => false,
        }
    }
}

/// For each content id, its structure element and position among that element's children.
fn owners(layout: &Layout) -> Vec<(u32, u32)> {
    let mut owners = vec![(u32::MAX, 0); layout.content_count as usize];
    for (node, n) in layout.nodes.iter().enumerate() {
        for (pos, child) in n.children.iter().enumerate() {
            if let StructChild::Content(id) = child
                && let Some(slot) = owners.get_mut(id.0 as usize)
            {
                *slot = (node as u32, pos as u32);
            }
        }
    }
    owners
}

fn tag_group(layout: &Layout, node: usize, ids: &[Option<Identifier>]) -> Option<TagGroup> {
    let n = &layout.nodes[node];
    let mut group = TagGroup::new(tag_kind(&n.kind));
    let mut last = None;
    for child in &n.children {
        match child {
            StructChild::Node(c) => {
                last = None;
                if let Some(g) = tag_group(layout, *c, ids) {
                    group.push(g);
                }
            }
            StructChild::Content(id) => {
                // Consecutive lines drawn in one sequence share its identifier.
                if let Some(Some(ident)) = ids.get(id.0 as usize)
                    && last != Some(*ident)
                {
                    group.push(Node::Leaf(*ident));
                    last = Some(*ident);
                }
            }
        }
    }
    (!group.children.is_empty()).then_some(group)
}

fn outline_node(entry: &OutlineEntry) -> OutlineNode {
    let dest = XyzDestination::new(entry.page, Point::from_xy(0.0, (entry.y - 12.0).max(0.0)));
    let mut node = OutlineNode::new(entry.title.clone(), dest);
    for child in &entry.children {
        node.push_child(outline_node(child));
    }
    node
}

/// Write `layout` (made from `doc`) as a PDF.
pub fn emit(layout: &Layout, doc: &Document, opts: &PdfOptions) -> anyhow::Result<Vec<u8>> {
    if opts.standard == PdfStandard::A2b && opts.date.is_none() {
        anyhow::bail!(
            "PDF/A-2b needs a document date: give the agreement a date or set SOURCE_DATE_EPOCH"
        );
    }
    let settings = SerializeSettings {
        configuration: configuration(opts.standard)?,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut document = KDocument::new_with(settings);
    let page_settings =
        PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).context("invalid page size")?;

    let mut ids: Vec<Option<Identifier>> = vec![None; layout.content_count as usize];
    let owners = owners(layout);
    for page in &layout.pages {
        let mut kpage = document.start_page_with(page_settings.clone());
        let mut surface = kpage.surface();
        let mut painter = Painter {
            surface: &mut surface,
            color: None,
            glyphs: Vec::new(),
        };
        // The open marked-content sequence: its key and identifier.
        let mut open: Option<(Section, Identifier)> = None;
        for item in &page.items {
            let tag = item.tag();
            let section = Section::of(tag, &owners);
            let ident = match open {
                Some((prev, ident)) if prev.continued_by(section) => ident,
                _ => {
                    if open.is_some() {
                        painter.surface.end_tagged();
                    }
                    painter.begin(tag)
                }
            };
            open = Some((section, ident));
            match item {
                Item::Text(t) => painter.text(t),
                Item::Rule(r) => painter.rule(r),
            }
            if let Tag::Content(id) = tag
                && let Some(slot) = ids.get_mut(id.0 as usize)
            {
                *slot = Some(ident);
            }
        }
        if open.is_some() {
            painter.surface.end_tagged();
        }
        surface.finish();
        kpage.finish();
    }

    let language = if doc.language.trim().is_empty() {
        "en-US".to_string()
    } else {
        doc.language.clone()
    };
    let mut tree = TagTree::new().with_lang(Some(language.clone()));
    for &root in &layout.roots {
        if let Some(group) = tag_group(layout, root, &ids) {
            tree.push(group);
        }
    }
    document.set_tag_tree(tree);

    let mut outline = Outline::new();
    for entry in &layout.outline {
        outline.push_child(outline_node(entry));
    }
    if layout.outline.is_empty() {
        // PDF/UA wants an outline; a title-only document gets one entry.
        let dest = XyzDestination::new(0, Point::from_xy(0.0, 0.0));
        outline.push_child(OutlineNode::new(doc.title.clone(), dest));
    }
    document.set_outline(outline);

    // PDF/UA requires a title; fall back to the short title, then a generic one.
    let title = [doc.title.trim(), doc.short_title.trim()]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or("Agreement")
        .to_string();
    let mut metadata = Metadata::new()
        .title(title)
        .authors(doc.parties.clone())
        .description(doc.subject.clone())
        .producer(opts.producer.clone())
        .creator(opts.producer.clone())
        .language(language);
    if let Some(date) = opts.date {
        metadata = metadata.creation_date(date_time(date));
    }
    document.set_metadata(metadata);

    document.finish().map_err(|e| match e {
        KrillaError::Validation(errors) => {
            let list: Vec<String> = errors.iter().map(|(e, _)| format!("{e:?}")).collect();
            anyhow!(
                "cannot write the PDF: it would not conform to {:?}: {}",
                opts.standard,
                list.join("; ")
            )
        }
        other => anyhow!("cannot write the PDF: {other}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fixture;
    use crate::render::pdf::layout::{self, ArtifactKind, RuleItem};

    /// What a redline writer will do: colour, underline and strike spans and add
    /// change bars, then emit. This must stay valid PDF/UA.
    #[test]
    fn colours_decorations_and_change_bars_emit() {
        let doc = fixture::agreement();
        let mut layout = layout::layout(&doc);
        for page in &mut layout.pages {
            let mut bars = Vec::new();
            for (k, item) in page.items.iter_mut().enumerate() {
                if let Item::Text(t) = item
                    && matches!(t.tag, Tag::Content(_))
                    && k % 3 == 0
                {
                    for span in &mut t.spans {
                        span.style.color = Rgb(180, 0, 0);
                        span.style.underline = k % 2 == 0;
                        span.style.strike = k % 2 == 1;
                    }
                    bars.push(Item::Rule(RuleItem {
                        x: 60.0,
                        y: t.baseline - 10.0,
                        width: 1.5,
                        height: 13.0,
                        color: Rgb(180, 0, 0),
                        tag: Tag::Artifact(ArtifactKind::Layout),
                    }));
                }
            }
            page.items.extend(bars);
        }
        let bytes = emit(&layout, &doc, &PdfOptions::default()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let plain = emit(&layout::layout(&doc), &doc, &PdfOptions::default()).unwrap();
        assert!(bytes != plain);
    }

    #[test]
    fn an_untitled_document_gets_a_title() {
        let mut doc = fixture::agreement();
        doc.title = String::new();
        let bytes = emit(&layout::layout(&doc), &doc, &PdfOptions::default()).unwrap();
        assert!(String::from_utf8_lossy(&bytes).contains("SRO Agreement"));
    }

    /// Marked-content ids in the page content streams, counted by inflating them.
    fn mcids(pdf: &[u8]) -> usize {
        use std::io::Read;
        let mut count = 0;
        let mut rest = pdf;
        while let Some(start) = rest.windows(7).position(|w| w == b"stream\n") {
            let body = &rest[start + 7..];
            let end = body
                .windows(9)
                .position(|w| w == b"endstream")
                .unwrap_or(body.len());
            let mut out = Vec::new();
            if flate2::read::ZlibDecoder::new(&body[..end])
                .read_to_end(&mut out)
                .is_ok()
            {
                count += out.windows(6).filter(|w| w == b"/MCID ").count();
            }
            rest = &body[(end + 9).min(body.len())..];
        }
        count
    }

    #[test]
    fn the_lines_of_a_paragraph_share_one_marked_content_sequence() {
        let doc = fixture::agreement();
        let layout = layout::layout(&doc);
        let owners = owners(&layout);
        let (mut lines, mut sequences) = (0, 0);
        for page in &layout.pages {
            let mut open: Option<Section> = None;
            for item in &page.items {
                let section = Section::of(item.tag(), &owners);
                if let Tag::Content(_) = item.tag() {
                    lines += 1;
                    if !open.is_some_and(|o| o.continued_by(section)) {
                        sequences += 1;
                    }
                }
                open = Some(section);
            }
        }
        let pdf = emit(&layout, &doc, &PdfOptions::default()).unwrap();
        assert_eq!(mcids(&pdf), sequences);
        assert!(sequences < lines, "{sequences} sequences for {lines} lines");
    }
}
