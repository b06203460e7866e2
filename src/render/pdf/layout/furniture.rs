//! Page furniture, added once the page count is known: the running header, the
//! `Page N of M` footer and the draft watermark; and, for redlines, change bars.

use crate::render::pdf::fonts::FontId;
use crate::render::pdf::model::{
    ArtifactKind, Item, Layout, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, Rgb, RuleItem, TEXT_LEFT,
    TEXT_WIDTH, Tag, TextItem, TextStyle,
};
use crate::render::pdf::text::{Align, StyledRun, set_text};

const MARGINAL_SIZE: f32 = 9.0;

/// Redlines: a bar in the left margin beside every line that holds a change, as
/// word processors draw them.
/// One bar per line: a line cut into pieces (around a link) or a table row with two
/// changed cells gets one, not one per piece.
pub fn add_change_bars(layout: &mut Layout) {
    for page in &mut layout.pages {
        let mut bars: Vec<Item> = Vec::new();
        for t in page.texts().filter(|t| {
            t.spans
                .iter()
                .any(|s| s.style.color == Rgb::INSERTED || s.style.color == Rgb::DELETED)
        }) {
            let size = t.spans.first().map_or(11.5, |s| s.style.size);
            let bar = Item::Rule(RuleItem {
                x: MARGIN - 14.0,
                y: t.baseline - size * 0.85,
                width: 1.5,
                height: size * 1.15,
                color: Rgb::DELETED,
                tag: Tag::Artifact(ArtifactKind::Layout),
                field: None,
            });
            if !bars.contains(&bar) {
                bars.push(bar);
            }
        }
        page.items.extend(bars);
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

pub(super) fn running_header(short_title: &str) -> Vec<Item> {
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
        field: None,
    }));
    items
}

pub(super) fn footer(page: usize, total: usize) -> Item {
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
            field: None,
        }))
}

/// A large, light diagonal "DRAFT" across the page, drawn as outlines (not text).
pub(super) fn watermark() -> Item {
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

#[cfg(test)]
mod tests {
    use crate::render::pdf::fixture;
    use crate::render::pdf::layout::layout;
    use crate::render::pdf::model::{ArtifactKind, Item, Rgb, Tag, TextItem};

    /// A changed line that a link cuts into pieces still gets one change bar.
    #[test]
    fn one_change_bar_a_line() {
        use crate::document::{Block, Change, Run, Style};
        let mut doc = fixture::agreement();
        let inserted = |text: &str, xref: Option<&str>| Run {
            xref: xref.map(str::to_string),
            ..Run::styled(
                text,
                Style {
                    change: Change::Inserted,
                    ..Style::default()
                },
            )
        };
        let target = doc.articles[2].id.clone();
        doc.articles[0].blocks = vec![Block::Paragraph(vec![
            inserted("Under ", None),
            inserted("Article III", Some(&target)),
            inserted(" only.", None),
        ])];
        let mut l = layout(&doc);
        super::add_change_bars(&mut l);
        let page = &l.pages[0];
        let pieces = page
            .texts()
            .filter(|t| t.spans.iter().any(|s| s.style.color == Rgb::INSERTED))
            .count();
        assert_eq!(pieces, 3, "the line is three pieces around its link");
        let bars = page
            .items
            .iter()
            .filter(|i| matches!(i, Item::Rule(r) if r.color == Rgb::DELETED && r.width == 1.5))
            .count();
        assert_eq!(bars, 1);
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
}
