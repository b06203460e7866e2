//! Tables: column widths from content, then one chunk per row (cell lines and rules);
//! the header row is repeated, as an artifact, on the pages a table continues on.

use super::{Builder, Chunk, Frame, baseline_offset, line_height, runs};
use crate::document::{self, Run, Table};
use crate::render::pdf::fonts::FontId;
use crate::render::pdf::model::{
    ArtifactKind, Item, Rgb, RuleItem, StructKind, Tag, TextItem, TextStyle,
};
use crate::render::pdf::text::{Align, measure, set_text};

const TABLE_SIZE: f32 = 10.5;
const CELL_PAD_X: f32 = 5.0;
const CELL_PAD_Y: f32 = 3.5;

fn cell(row: &[Vec<Run>], c: usize) -> &[Run] {
    row.get(c).map_or(&[], |r| &r[..])
}

impl Builder {
    pub(super) fn table(&mut self, table: &Table, frame: Frame, parent: usize, space_before: f32) {
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
                let (lo, hi) = measure(&runs(cell(row, c), style, &self.targets));
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
                field: None,
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
                let lines = set_text(&runs(cell(row, c), style, &b.targets), widths[c], align(c));
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
                let mut open = None;
                for (k, mut line) in lines.into_iter().enumerate() {
                    line.shift(
                        xs[c] + CELL_PAD_X,
                        top + CELL_PAD_Y + offset + k as f32 * lh,
                    );
                    items.extend(b.tag_line(line, cnode, &mut open));
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
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::document::Block;
    use crate::render::pdf::fixture;
    use crate::render::pdf::layout::layout;
    use crate::render::pdf::model::{ContentId, StructChild};
    use crate::render::pdf::text::EPS;

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
}
