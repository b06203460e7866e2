//! Block layout: the title block, then each article's heading and blocks
//! (paragraphs, section headings, lists, quotes, rules), cut into chunks. Tables and
//! signature blocks have files of their own.

use super::{
    BODY_SIZE, Builder, Chunk, Frame, Keep, OutlineDraft, baseline_offset, body_style, line_height,
    runs,
};
use crate::document::{self, Article, Block, Document, List, Run};
use crate::render::pdf::fonts::FontId;
use crate::render::pdf::model::{
    ArtifactKind, Item, ListStyle, Rgb, RuleItem, StructKind, TEXT_LEFT, TEXT_WIDTH, Tag, TextStyle,
};
use crate::render::pdf::text::{Align, StyledRun, set_text};

const TITLE_SIZE: f32 = 18.0;
const SUBTITLE_SIZE: f32 = 12.0;
const ARTICLE_SIZE: f32 = 12.0;
const PARA_GAP: f32 = 7.0;
const LIST_GAP: f32 = 3.5;
const ARTICLE_GAP: f32 = 22.0;
const SECTION_GAP: f32 = 12.0;
const AFTER_HEADING: f32 = 5.0;
/// A drafting note's box: padding inside the border, the border's width, the ground.
const NOTE_PAD: f32 = 6.0;
const NOTE_BORDER: f32 = 0.75;
const NOTE_FILL: Rgb = Rgb(245, 242, 230);

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

/// How the PDF heads an article: "Article IV. Funding" (decimal numbering: "4. Funding"),
/// the title as the clause's front matter writes it (in title case), centred. Capitals
/// throughout read as shouting on a page; the DOCX writer heads articles the same way.
/// The number stays on the line of "Article" (a no-break space).
pub(in crate::render::pdf) fn article_heading(article: &Article) -> String {
    let label = article.heading_label();
    // A redline says what became of the article ("[Moved] Termination (now Article
    // III)"), as the Markdown redline does.
    let noted;
    let title = match &article.redline {
        Some(r) => {
            noted = format!("{}{}{}", r.prefix, article.title.trim(), r.suffix);
            noted.as_str()
        }
        None => article.title.trim(),
    };
    match (label, title) {
        (Some(label), "") => label,
        (Some(label), title) => format!("{label}. {title}"),
        (None, title) => title.to_string(),
    }
}

impl Builder {
    pub(super) fn title_block(&mut self, doc: &Document) {
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
                field: None,
            })],
            repeat_header: None,
        });
    }

    /// `target`: the article's index among the link targets, if it is one.
    pub(super) fn article(&mut self, article: &Article, first: bool, target: Option<u32>) {
        let sect = self.node(None, StructKind::Section);
        let heading = article_heading(article);
        let style = TextStyle::new(FontId::Bold, ARTICLE_SIZE);
        let chunk = self.chunks.len();
        let runs = [StyledRun::new(heading.as_str(), style)];
        // Bookmarks and the heading's /T read the words with an ordinary space.
        let title = heading.replace('\u{a0}', " ");
        let kind = StructKind::Heading {
            level: 1,
            title: title.clone(),
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
                title,
                chunk,
            });
            if let Some(draft) = target.and_then(|t| self.links.get_mut(t as usize)) {
                draft.chunk = Some(chunk);
            }
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

    /// Recurses once per list or quote level: at most [`crate::document::MAX_NESTING`].
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
                    let runs = runs(inlines, body_style(), &self.targets);
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
                Block::Note(inner) => {
                    let note = self.node(Some(parent), StructKind::BlockQuote);
                    let labelled = document::note_blocks(inner);
                    let first = self.chunks.len();
                    let boxed = frame.inset(28.0 + NOTE_PAD, 28.0 + NOTE_PAD);
                    self.blocks(&labelled, boxed, note, depth, space, gap);
                    self.box_chunks(first, boxed);
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
                        field: None,
                    })],
                    repeat_header: None,
                }),
            }
        }
    }

    /// Draws a drafting note as a box: a tinted ground and a border around the chunks
    /// from `first` on, set in `inner`. Each chunk carries its own slice of the box
    /// (its ground reaching up over the gap above it), so the box follows the note
    /// across a page break; the slices are artifacts, drawn under the text.
    fn box_chunks(&mut self, first: usize, inner: Frame) {
        let n = self.chunks.len();
        if first >= n {
            return;
        }
        let x = inner.x - NOTE_PAD;
        let width = inner.width + 2.0 * NOTE_PAD;
        let rule = |x: f32, y: f32, width: f32, height: f32, color: Rgb| {
            Item::Rule(RuleItem {
                x,
                y,
                width,
                height,
                color,
                tag: Tag::Artifact(ArtifactKind::Layout),
                field: None,
            })
        };
        for k in first..n {
            let chunk = &mut self.chunks[k];
            let top = if k == first {
                -NOTE_PAD
            } else {
                -chunk.space_before
            };
            let bottom = chunk.height + if k + 1 == n { NOTE_PAD } else { 0.0 };
            let mut slice = vec![
                rule(x, top, width, bottom - top, NOTE_FILL),
                rule(x, top, NOTE_BORDER, bottom - top, Rgb::GREY),
                rule(
                    x + width - NOTE_BORDER,
                    top,
                    NOTE_BORDER,
                    bottom - top,
                    Rgb::GREY,
                ),
            ];
            if k == first {
                slice.push(rule(x, top, width, NOTE_BORDER, Rgb::GREY));
                chunk.space_before += NOTE_PAD;
            }
            if k + 1 == n {
                slice.push(rule(x, bottom - NOTE_BORDER, width, NOTE_BORDER, Rgb::GREY));
                chunk.height += NOTE_PAD;
            }
            slice.append(&mut chunk.items);
            chunk.items = slice;
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
        all.extend(runs(text, style, &self.targets));
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
            // The last item never starts a page alone: the item before it keeps with it.
            if k >= 1
                && k + 1 == list.items.len()
                && let Some(prev) = self.chunks.last_mut()
            {
                prev.keep_with_next = true;
            }
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fixture;
    use crate::render::pdf::layout::{heading_nodes, layout};
    use crate::render::pdf::model::{Layout, TextItem};

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

    /// Wherever the page breaks, the last item of a list shares its page with the end
    /// of the item before it.
    #[test]
    fn the_last_list_item_never_starts_a_page_alone() {
        use crate::document::{Block, List, Run};
        let mut doc = fixture::agreement();
        doc.articles.truncate(1);
        let list = Block::List(List {
            start: Some(1),
            items: vec![
                vec![Block::Paragraph(vec![Run::plain("First item.")])],
                vec![Block::Paragraph(vec![Run::plain("Penultimate item.")])],
                vec![Block::Paragraph(vec![Run::plain("Final item.")])],
            ],
        });
        let mut moved = std::collections::HashSet::new();
        for extra in 0..60 {
            let mut d = doc.clone();
            let mut blocks = vec![Block::Paragraph(vec![Run::plain("Filler line.")]); extra];
            blocks.push(list.clone());
            d.articles[0].blocks.splice(0..0, blocks);
            let layout = layout(&d);
            let page_of = |needle: &str| {
                layout
                    .pages
                    .iter()
                    .position(|p| p.texts().any(|t| t.text().contains(needle)))
                    .unwrap()
            };
            let (before, last) = (page_of("Penultimate"), page_of("Final item"));
            assert_eq!(before, last, "{extra} filler lines");
            moved.insert(page_of("First item"));
        }
        assert!(moved.len() >= 2, "the list never crossed a page");
    }

    /// A drafting note is drawn in a tinted, bordered box behind its text.
    #[test]
    fn drafting_notes_are_boxed() {
        use crate::document::{Block, Run};
        let mut doc = fixture::agreement();
        doc.articles.truncate(1);
        doc.articles[0].blocks.insert(
            0,
            Block::Note(vec![Block::Paragraph(vec![Run::plain("Check the term.")])]),
        );
        let layout = layout(&doc);
        let page = &layout.pages[0];
        let ground = page
            .items
            .iter()
            .find_map(|i| match i {
                Item::Rule(r) if r.color == NOTE_FILL => Some(r.clone()),
                _ => None,
            })
            .expect("a tinted ground");
        let text = page
            .texts()
            .find(|t| t.text().contains("Check the term."))
            .unwrap();
        assert!(ground.x < text.x && ground.x + ground.width > text.right());
        assert!(ground.y < text.baseline && ground.y + ground.height > text.baseline);
        let borders = page
            .items
            .iter()
            .filter(
                |i| matches!(i, Item::Rule(r) if r.color == Rgb::GREY && r.width <= NOTE_BORDER),
            )
            .count();
        assert!(borders >= 2, "left and right borders");
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
}
