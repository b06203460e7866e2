//! Pagination: chunks onto pages (keeping together what must stay together and
//! repeating table headers), then the pages themselves, with their furniture, and the
//! outline pointing into them.

use std::collections::HashMap;

use super::furniture::{footer, running_header, watermark};
use super::{Builder, Chunk};
use crate::document::Document;
use crate::render::pdf::model::{
    ArtifactKind, Item, Layout, LinkTarget, OutlineEntry, Page, TEXT_BOTTOM, TEXT_TOP, Tag,
};
use crate::render::pdf::text::EPS;

#[derive(Debug, Clone, Copy)]
pub(super) struct Placement {
    chunk: usize,
    /// Top of the chunk (or of its part) on the page.
    y: f32,
    /// A repeated table header (artifact copy of `chunk`).
    copy: bool,
    /// For a chunk taller than a page: the part placed here, `from..to` in the chunk's
    /// own coordinates (cut between lines, see `Chunk::cuts`).
    part: Option<(f32, f32)>,
}

/// `new_pages`: chunks that must start a page (exhibits).
pub(super) fn paginate(chunks: &[Chunk], new_pages: &[usize]) -> Vec<Vec<Placement>> {
    let mut pages: Vec<Vec<Placement>> = Vec::new();
    if chunks.is_empty() {
        return pages;
    }
    let mut page: Vec<Placement> = Vec::new();
    let mut y = TEXT_TOP;
    let mut page_start = 0;
    let mut i = 0;
    // How much of chunk `i` earlier pages already hold (a chunk taller than a page).
    let mut from = 0.0f32;
    while i < chunks.len() {
        let c = &chunks[i];
        if from == 0.0 && !page.is_empty() && new_pages.binary_search(&i).is_ok() {
            pages.push(std::mem::take(&mut page));
            y = TEXT_TOP;
            page_start = i;
        }
        let at_top = page.iter().all(|p| p.copy);
        let space = if at_top || from > 0.0 {
            0.0
        } else {
            c.space_before
        };
        let rest = c.height - from;
        let header = match c.repeat_header {
            Some(h) if h != i => chunks[h].height,
            _ => 0.0,
        };
        let fits_a_page = rest <= TEXT_BOTTOM - TEXT_TOP - header + EPS;
        if y + space + rest <= TEXT_BOTTOM + EPS || (at_top && fits_a_page) {
            page.push(Placement {
                chunk: i,
                y: y + space,
                copy: false,
                part: (from > 0.0).then_some((from, c.height)),
            });
            y += space + rest;
            i += 1;
            from = 0.0;
            continue;
        }
        if !fits_a_page {
            // No page can hold it: fill this one, cut between two lines, and go on at
            // the top of the next; only a single line taller than a page is left whole.
            let room = TEXT_BOTTOM + EPS - (y + space);
            let cut = c
                .cuts()
                .into_iter()
                .rev()
                .find(|&k| k > from + EPS && k - from <= room);
            if cut.is_some() || at_top {
                let to = cut.unwrap_or(c.height);
                page.push(Placement {
                    chunk: i,
                    y: y + space,
                    copy: false,
                    part: Some((from, to)),
                });
                if cut.is_none() {
                    y += space + rest;
                    i += 1;
                    from = 0.0;
                    continue;
                }
                from = to;
                pages.push(std::mem::take(&mut page));
                y = TEXT_TOP;
                page_start = i;
                if let Some(h) = c.repeat_header
                    && h != i
                {
                    page.push(Placement {
                        chunk: h,
                        y,
                        copy: true,
                        part: None,
                    });
                    y += chunks[h].height;
                }
                continue;
            }
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
                part: None,
            });
            y += chunks[h].height;
        }
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

impl Builder {
    pub(super) fn assemble(mut self, doc: &Document, placements: Vec<Vec<Placement>>) -> Layout {
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
                let (items, top) = if p.copy {
                    (
                        header_copies.get(&p.chunk).cloned().unwrap_or_default(),
                        0.0,
                    )
                } else {
                    let slot = &mut chunk_pos[p.chunk];
                    slot.get_or_insert((pi, p.y));
                    let chunk = &mut self.chunks[p.chunk];
                    match p.part {
                        // The items above the cut; the rest wait for the next part.
                        Some((from, to)) if to < chunk.height => {
                            let (here, later) = std::mem::take(&mut chunk.items)
                                .into_iter()
                                .partition(|item| super::extent(item).0 < to);
                            chunk.items = later;
                            (here, from)
                        }
                        Some((from, _)) => (std::mem::take(&mut chunk.items), from),
                        None => (std::mem::take(&mut chunk.items), 0.0),
                    }
                };
                page.items.extend(items.into_iter().map(|mut i| {
                    i.shift_y(p.y - top);
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

        // Each link target where its heading landed (every target has a heading).
        let links = self
            .links
            .into_iter()
            .map(|draft| {
                let (page, y) = draft
                    .chunk
                    .and_then(|c| chunk_pos.get(c).copied().flatten())
                    .unwrap_or((0, TEXT_TOP));
                LinkTarget {
                    id: draft.id,
                    title: draft.title,
                    page,
                    y,
                }
            })
            .collect();

        Layout {
            pages,
            nodes: self.nodes,
            roots: self.roots,
            outline,
            links,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, Run};
    use crate::render::pdf::fixture;
    use crate::render::pdf::layout::{heading_nodes, layout};
    use crate::render::pdf::model::{ContentId, StructKind};

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

    /// A table row and a signature block three pages tall are cut between lines: each
    /// line placed once, inside the margins, in order; the row's parts under a
    /// repeated header.
    #[test]
    fn chunks_taller_than_a_page_are_cut_between_lines() {
        use crate::document::{Signatory, Table};
        let long: String = (0..1500).map(|i| format!("w{i} ")).collect();
        let mut doc = fixture::agreement();
        doc.articles[1].blocks.push(Block::Table(Table {
            header: vec![vec![Run::plain("Head")], vec![Run::plain("N")]],
            rows: vec![vec![vec![Run::plain(long.clone())], vec![Run::plain("1")]]],
            align: vec![],
        }));
        doc.articles[1].blocks.push(Block::Signatures(vec![
            Signatory {
                party: "P".into(),
                name: "N".into(),
                title: long.clone(),
                date: None,
                role: Default::default(),
                statement: None,
            },
            Signatory {
                party: "Q".into(),
                name: "M".into(),
                title: "T".into(),
                date: None,
                role: Default::default(),
                statement: None,
            },
        ]));
        let layout = layout(&doc);
        let mut placed = vec![0u32; layout.content_count as usize];
        let mut words = Vec::new();
        for page in &layout.pages {
            let mut last = f32::MIN;
            for t in page.texts() {
                if let Tag::Content(id) = t.tag {
                    placed[id.0 as usize] += 1;
                    assert!(t.baseline > TEXT_TOP && t.baseline <= TEXT_BOTTOM + EPS);
                    if t.text().starts_with('w') {
                        assert!(t.baseline >= last, "lines out of order");
                        last = t.baseline;
                    }
                }
                words.extend(
                    t.text()
                        .split_whitespace()
                        .filter(|w| {
                            w.strip_prefix('w').is_some_and(|n| {
                                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
                            })
                        })
                        .map(str::to_string),
                );
            }
        }
        assert!(placed.iter().all(|&n| n == 1), "every line placed once");
        // Each word twice: in the row and in the signature title.
        assert_eq!(words.len(), 3000);
        let heads = layout
            .pages
            .iter()
            .filter(|p| p.texts().any(|t| t.text() == "Head"))
            .count();
        assert!(
            heads >= 3,
            "the header repeats over the row's pages: {heads}"
        );
    }

    #[test]
    fn outline_has_one_entry_per_article_with_sections_nested() {
        let doc = fixture::agreement();
        let layout = layout(&doc);
        assert_eq!(layout.outline.len(), doc.articles.len());
        for (entry, article) in layout.outline.iter().zip(&doc.articles) {
            assert_eq!(
                entry.title,
                crate::render::pdf::layout::blocks::article_heading(article).replace('\u{a0}', " ")
            );
            let sections = article
                .blocks
                .iter()
                .filter(|b| matches!(b, Block::Heading { .. }))
                .count();
            assert_eq!(entry.children.len(), sections, "{}", entry.title);
        }
    }
}
