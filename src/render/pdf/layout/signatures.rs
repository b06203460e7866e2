//! Signature blocks: one block per signatory (party, a line to sign on, name, title,
//! date), two side by side when they fit, each row one chunk so a block never splits
//! (unless it is taller than a page: then pagination cuts it between lines).
//!
//! With e-signature anchors (`--esign-anchors`), the N-th signature block of the
//! document (counting every block, attestations included, in reading order) carries
//! `\sN\` at the start of its signature line and, when it has a blank date line,
//! `\dN\` at the start of that line: strings that DocuSign's anchor text and Adobe
//! Sign's text tags find by searching the PDF's text, to place their own signature
//! and date fields. They are set small, in white, and marked as artifacts, so neither
//! a reader nor a screen reader meets them.

use super::{BODY_SIZE, Builder, Chunk, Frame, baseline_offset, body_style, line_height};
use crate::document::{SignRole, Signatory};
use crate::render::pdf::fonts::FontId;
use crate::render::pdf::model::{
    ArtifactKind, FieldMark, Item, Rgb, RuleItem, StructKind, TEXT_BOTTOM, TEXT_TOP, TEXT_WIDTH,
    Tag, TextStyle,
};
use crate::render::pdf::text::{Align, StyledRun, measure, set_text};

const SIGNATURE_GAP: f32 = 36.0;
const SIGNATURE_SPACE: f32 = 30.0;
/// E-signature anchors are small: they stay on their line, under the field a service
/// puts there.
const ANCHOR_SIZE: f32 = 6.0;

/// An e-signature anchor: `text` in white at `x` on `baseline`, a layout artifact.
fn anchor(text: &str, x: f32, baseline: f32) -> Option<Item> {
    let style = TextStyle {
        color: Rgb::WHITE,
        ..TextStyle::new(FontId::Regular, ANCHOR_SIZE)
    };
    let mut line = set_text(&[StyledRun::new(text, style)], TEXT_WIDTH, Align::Left).pop()?;
    line.shift(x, baseline);
    line.tag = Tag::Artifact(ArtifactKind::Layout);
    Some(Item::Text(line))
}

/// The name of a signatory's signature field: the party and what the person does
/// ("West Hartford Public Schools — signs"), as the profile names the role. Made
/// unique, where two blocks would share it, when the PDF is written.
fn field_name(sig: &Signatory) -> String {
    let role = match sig.role {
        SignRole::Signs => "signs",
        SignRole::Attests => "attests",
        SignRole::ApprovesAsToForm => "approves-as-to-form",
        SignRole::Preaudit => "preaudit",
    };
    format!("{} \u{2014} {role}", sig.party.trim())
}

impl Builder {
    /// One signatory's block at x = 0, top = 0: returns its items and height.
    fn signature_block(&mut self, sig: &Signatory, width: f32, parent: usize) -> (Vec<Item>, f32) {
        let div = self.node(Some(parent), StructKind::Div);
        let regular = body_style();
        let bold = regular.with_font(FontId::Bold);
        let lh = line_height(BODY_SIZE);
        let offset = baseline_offset(FontId::Regular, BODY_SIZE);
        let mut items = Vec::new();
        let mut y = 0.0;
        self.signatories += 1;
        let n = self.signatories;
        let (sign_anchor, date_anchor) = match self.esign_anchors {
            true => (Some(format!("\\s{n}\\")), Some(format!("\\d{n}\\"))),
            false => (None, None),
        };

        // A line of text; with `rule`, a writing line after its last line, carrying
        // `field` and, drawn under the rule, `anchor`.
        let line = |b: &mut Builder,
                    items: &mut Vec<Item>,
                    y: &mut f32,
                    runs: &[StyledRun],
                    rule: bool,
                    field: Option<FieldMark>,
                    anchor_text: Option<&str>| {
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
                        if let Some(a) = anchor_text.and_then(|t| anchor(t, x0 + 2.0, *y + offset))
                        {
                            items.push(a);
                        }
                        items.push(Item::Rule(RuleItem {
                            x: x0,
                            y: *y + offset + 1.5,
                            width: width - x0,
                            height: 0.6,
                            color: Rgb::BLACK,
                            tag: Tag::Artifact(ArtifactKind::Layout),
                            field: field.clone(),
                        }));
                    }
                }
                items.push(Item::Text(l));
                *y += lh;
            }
        };

        match sig.role.heading() {
            None => line(
                self,
                &mut items,
                &mut y,
                &[StyledRun::new(sig.party.as_str(), bold)],
                false,
                None,
                None,
            ),
            Some(heading) => {
                line(
                    self,
                    &mut items,
                    &mut y,
                    &[StyledRun::new(heading, bold)],
                    false,
                    None,
                    None,
                );
                line(
                    self,
                    &mut items,
                    &mut y,
                    &[StyledRun::new(sig.party.as_str(), regular)],
                    false,
                    None,
                    None,
                );
            }
        }
        if let Some(statement) = &sig.statement {
            y += lh * 0.3;
            line(
                self,
                &mut items,
                &mut y,
                &[StyledRun::new(statement.as_str(), regular)],
                false,
                None,
                None,
            );
        }
        y += SIGNATURE_SPACE - lh * 0.3;
        line(
            self,
            &mut items,
            &mut y,
            &[StyledRun::new("By:", regular)],
            true,
            Some(FieldMark {
                name: field_name(sig),
                node: div,
            }),
            sign_anchor.as_deref(),
        );
        y += 3.0;
        let name = [
            StyledRun::new("Name: ", regular),
            StyledRun::new(sig.name.as_str(), regular),
        ];
        line(self, &mut items, &mut y, &name, false, None, None);
        let title = [
            StyledRun::new("Title: ", regular),
            StyledRun::new(sig.title.as_str(), regular),
        ];
        line(self, &mut items, &mut y, &title, false, None, None);
        match sig.date.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(date) => {
                let runs = [
                    StyledRun::new("Date: ", regular),
                    StyledRun::new(date, regular),
                ];
                line(self, &mut items, &mut y, &runs, false, None, None);
            }
            None => {
                y += 10.0;
                line(
                    self,
                    &mut items,
                    &mut y,
                    &[StyledRun::new("Date:", regular)],
                    true,
                    None,
                    date_anchor.as_deref(),
                );
            }
        }
        (items, y)
    }

    pub(super) fn signatures(
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
                measure(&[StyledRun::new(s.role.heading().unwrap_or_default(), bold)]).0,
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
            let blocks: Vec<(Vec<Item>, f32)> = row
                .iter()
                .map(|sig| self.signature_block(sig, width, parent))
                .collect();
            let space = if r == 0 { space_before } else { 24.0 };
            let keep_with_next = r + 1 < nrows;
            // A block taller than a page (a value thousands of characters long) is cut
            // between its lines by pagination; side by side, the two blocks' lines would
            // leave no common gap to cut in, so such a row is stacked instead.
            let tallest = blocks.iter().map(|(_, h)| *h).fold(0.0, f32::max);
            if blocks.len() > 1 && tallest > TEXT_BOTTOM - TEXT_TOP {
                let n = blocks.len();
                for (k, (mut block, height)) in blocks.into_iter().enumerate() {
                    for item in &mut block {
                        match item {
                            Item::Text(t) => t.shift(frame.x, 0.0),
                            Item::Rule(rule) => rule.x += frame.x,
                        }
                    }
                    self.chunks.push(Chunk {
                        height,
                        space_before: if k == 0 { space } else { 24.0 },
                        keep_with_next: keep_with_next || k + 1 < n,
                        items: block,
                        repeat_header: None,
                    });
                }
                continue;
            }
            let mut items = Vec::new();
            let mut height: f32 = 0.0;
            for (k, (mut block, h)) in blocks.into_iter().enumerate() {
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
                space_before: space,
                keep_with_next,
                items,
                repeat_header: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ANCHOR_SIZE;
    use crate::document::{Block, Run};
    use crate::render::pdf::fixture;
    use crate::render::pdf::layout::layout;
    use crate::render::pdf::model::StructKind;

    /// With anchors, each signature line starts with `\sN\` and each blank date line
    /// with `\dN\`, N counting blocks in reading order; white, small, artifacts, at
    /// the start of their line. Without, the layout is what it always was.
    #[test]
    fn esign_anchors_mark_each_signature_and_blank_date_line() {
        use crate::render::pdf::layout::{Options, layout_with};
        use crate::render::pdf::model::{ArtifactKind, Item, Rgb, Tag};
        let doc = fixture::agreement();
        let plain = layout(&doc);
        assert_eq!(layout_with(&doc, Options::default()), plain);
        let anchored = layout_with(
            &doc,
            Options {
                esign_anchors: true,
            },
        );
        let mut found = Vec::new();
        for page in &anchored.pages {
            for (k, item) in page.items.iter().enumerate() {
                let Item::Text(t) = item else { continue };
                if !t.spans.iter().any(|s| s.style.color == Rgb::WHITE) {
                    continue;
                }
                assert_eq!(t.tag, Tag::Artifact(ArtifactKind::Layout));
                assert!(t.spans.iter().all(|s| s.style.size == ANCHOR_SIZE));
                // Drawn first, then the writing line it starts, which begins 2 pt
                // to its left, just under its baseline.
                let Some(Item::Rule(rule)) = page.items.get(k + 1) else {
                    panic!("{:?} is not before a line", t.text());
                };
                assert!((t.x - rule.x - 2.0).abs() < 0.01);
                assert!(rule.y > t.baseline && rule.y - t.baseline < 2.0);
                found.push(t.text());
            }
        }
        // Every block's signature line; the date line of those whose date is blank.
        let mut expected = Vec::new();
        let blocks = doc.articles.iter().flat_map(|a| &a.blocks);
        let signatories = blocks.filter_map(|b| match b {
            Block::Signatures(s) => Some(s),
            _ => None,
        });
        for (k, sig) in signatories.flatten().enumerate() {
            expected.push(format!("\\s{}\\", k + 1));
            if sig.date.as_deref().is_none_or(|d| d.trim().is_empty()) {
                expected.push(format!("\\d{}\\", k + 1));
            }
        }
        assert!(expected.len() > 3, "{expected:?}");
        assert!(expected.iter().any(|e| e.starts_with("\\d")));
        assert_eq!(found, expected);
        let white = |l: &crate::render::pdf::model::Layout| {
            l.pages
                .iter()
                .flat_map(|p| p.texts())
                .filter(|t| t.spans.iter().any(|s| s.style.color == Rgb::WHITE))
                .count()
        };
        assert_eq!(white(&plain), 0);
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
}
