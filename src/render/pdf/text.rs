//! Setting a paragraph: styled runs → words → lines → positioned glyph spans.
//!
//! Every width here comes from [`super::fonts`] (glyph advances plus pair kerning), and
//! the glyphs placed in the output carry exactly the advances that were measured, so
//! the drawn line is the measured line.

use std::borrow::Cow;

use super::fonts::ShapedGlyph;
use super::model::{ArtifactKind, PlacedGlyph, Span, Tag, TextItem, TextStyle};

/// Tolerance for float comparisons of widths, in points.
pub const EPS: f32 = 0.01;

/// Horizontal alignment of the lines of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    /// Both edges flush, last line (and lines ending in a hard break) flush left.
    Justify,
}

/// A run of text in one style: the input of [`set_text`]. A `line_break` run forces a
/// new line and its text is ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct StyledRun<'a> {
    pub text: Cow<'a, str>,
    pub style: TextStyle,
    pub line_break: bool,
}

impl<'a> StyledRun<'a> {
    pub fn new(text: impl Into<Cow<'a, str>>, style: TextStyle) -> Self {
        StyledRun {
            text: text.into(),
            style,
            line_break: false,
        }
    }

    pub fn line_break(style: TextStyle) -> Self {
        StyledRun {
            text: Cow::Borrowed(""),
            style,
            line_break: true,
        }
    }
}

/// Spaces may shrink to this fraction of their natural width in justified text.
const MIN_SPACE: f32 = 0.8;

/// The shortest word (in letters) that is hyphenated.
const HYPHEN_MIN_WORD: usize = 6;
/// What ending a line with a hyphen costs, and two such lines in a row on top: TeX's
/// `\hyphenpenalty` of 50 (squared, as demerits are) and `\doublehyphendemerits`.
const HYPHEN_DEMERITS: f32 = 2500.0;
/// The worst line badness a paragraph may have and still be set without hyphenation:
/// TeX's default `\pretolerance` (100: spaces stretched to twice their width).
const PRETOLERANCE: f32 = 100.0;

/// How loose (or tight) a justified line is, TeX's way: 100·r³ for spaces stretched by
/// r of their width (shrinking counts against the most they may shrink), at most
/// 10,000; a line with no space to stretch that does not fill the width is 5,000.
fn badness(natural: f32, spaces: f32, width: f32) -> f32 {
    if spaces <= 0.0 {
        return if natural >= width - EPS { 0.0 } else { 5000.0 };
    }
    let r = (width - natural) / spaces; // > 0 stretch, < 0 shrink
    let r = if r < 0.0 { -r / (1.0 - MIN_SPACE) } else { r };
    (100.0 * r * r * r).min(10000.0)
}
const DOUBLE_HYPHEN_DEMERITS: f32 = 10000.0;

/// Where `lower` (a lower-case word) may be hyphenated. The same words come back in
/// every paragraph and agreement, so a thread keeps the answers (a pure function of
/// the word: no effect on output), bounded in entries.
fn hyphenation_points(lower: &str) -> Vec<usize> {
    use hyphenation::Hyphenator;
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<String, Vec<usize>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    const MAX_KNOWN: usize = 1 << 15;
    KNOWN.with_borrow_mut(|known| {
        if let Some(points) = known.get(lower) {
            return points.clone();
        }
        let points = en_us().opportunities(lower);
        if known.len() >= MAX_KNOWN {
            known.clear();
        }
        known.insert(lower.to_string(), points.clone());
        points
    })
}

/// The en-US patterns, embedded in the binary and read once per process.
fn en_us() -> &'static hyphenation::Standard {
    use hyphenation::{Language, Load, Standard};
    static DICT: std::sync::OnceLock<Standard> = std::sync::OnceLock::new();
    DICT.get_or_init(|| {
        Standard::from_embedded(Language::EnglishUS)
            .expect("the en-US hyphenation patterns are embedded at build time")
    })
}

#[derive(Debug, Clone, Copy)]
struct PGlyph {
    id: u16,
    style: u16,
    /// Advance in points (kerning with the next glyph of the same piece included).
    adv: f32,
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, Copy)]
struct Word {
    g0: u32,
    g1: u32,
    width: f32,
    /// Index of the space glyph that follows the word, if any.
    space: Option<u32>,
    space_w: f32,
    /// A hard line break follows the word.
    hard: bool,
    /// The word is the front of a longer one cut at a hyphenation point: a line may
    /// end here with a hyphen this wide drawn; otherwise the next piece follows with no
    /// space. 0 for whole words.
    hyphen_w: f32,
}

#[derive(Debug, Default)]
struct Para {
    text: String,
    glyphs: Vec<PGlyph>,
    words: Vec<Word>,
    styles: Vec<TextStyle>,
}

/// Whitespace that separates words (and may break a line). No-break and fixed-width
/// spaces (U+00A0, U+2000–U+200A, U+202F) are kept as glyphs inside words.
fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2013}' | '\u{2014}')
}

impl Para {
    fn style_index(&mut self, style: TextStyle) -> u16 {
        if let Some(i) = self.styles.iter().position(|s| *s == style) {
            return i as u16;
        }
        self.styles.push(style);
        (self.styles.len() - 1) as u16
    }

    fn build(runs: &[StyledRun]) -> Para {
        let mut p = Para::default();
        let mut open: Option<Word> = None;
        let mut scratch: Vec<ShapedGlyph> = Vec::new();
        for run in runs {
            if run.line_break {
                if let Some(w) = open.take() {
                    p.words.push(w);
                }
                match p.words.last_mut() {
                    Some(last) if !last.hard => last.hard = true,
                    _ => {
                        let at = p.glyphs.len() as u32;
                        p.words.push(Word {
                            g0: at,
                            g1: at,
                            width: 0.0,
                            space: None,
                            space_w: 0.0,
                            hard: true,
                            hyphen_w: 0.0,
                        });
                    }
                }
                continue;
            }
            let style_idx = p.style_index(run.style);
            let face = run.style.font.face();
            let text: Cow<str> = match face.sanitize(&run.text) {
                Some(clean) => Cow::Owned(clean),
                None => Cow::Borrowed(&run.text),
            };
            let mut seg_start = 0;
            let mut in_space = None;
            let bytes_len = text.len();
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let space = is_break_space(c);
                match in_space {
                    None => in_space = Some(space),
                    Some(prev) if prev != space => {
                        p.segment(
                            &text[seg_start..i],
                            prev,
                            run.style,
                            style_idx,
                            &mut open,
                            &mut scratch,
                        );
                        seg_start = i;
                        in_space = Some(space);
                    }
                    _ => {}
                }
                // Break opportunity after a dash between two alphanumerics.
                if !space && is_dash(c) {
                    let before_alnum = text[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|b| b.is_alphanumeric());
                    let after_alnum = chars.peek().is_some_and(|&(_, a)| a.is_alphanumeric());
                    if before_alnum && after_alnum {
                        let end = i + c.len_utf8();
                        p.segment(
                            &text[seg_start..end],
                            false,
                            run.style,
                            style_idx,
                            &mut open,
                            &mut scratch,
                        );
                        if let Some(w) = open.take() {
                            p.words.push(w);
                        }
                        seg_start = end;
                        in_space = None;
                    }
                }
            }
            if seg_start < bytes_len
                && let Some(space) = in_space
            {
                p.segment(
                    &text[seg_start..],
                    space,
                    run.style,
                    style_idx,
                    &mut open,
                    &mut scratch,
                );
            }
        }
        if let Some(w) = open.take() {
            p.words.push(w);
        }
        p
    }

    fn segment(
        &mut self,
        seg: &str,
        space: bool,
        style: TextStyle,
        style_idx: u16,
        open: &mut Option<Word>,
        scratch: &mut Vec<ShapedGlyph>,
    ) {
        if seg.is_empty() {
            return;
        }
        let face = style.font.face();
        let scale = face.scale(style.size);
        if space {
            if let Some(w) = open.take() {
                self.words.push(w);
            }
            let Some(last) = self.words.last() else {
                return; // leading space
            };
            if last.space.is_some() || last.hard || last.g1 as usize != self.glyphs.len() {
                return; // collapse runs of spaces
            }
            let Some(id) = face.glyph_id(' ') else { return };
            scratch.clear();
            let units = face.shape_into(" ", scratch);
            let adv = units as f32 * scale;
            let start = self.text.len() as u32;
            self.text.push(' ');
            self.glyphs.push(PGlyph {
                id,
                style: style_idx,
                adv,
                start,
                end: start + 1,
            });
            let idx = (self.glyphs.len() - 1) as u32;
            if let Some(last) = self.words.last_mut() {
                last.space = Some(idx);
                last.space_w = adv;
            }
            return;
        }
        scratch.clear();
        let units = face.shape_into(seg, scratch);
        let base = self.text.len() as u32;
        self.text.push_str(seg);
        let g0 = self.glyphs.len() as u32;
        for g in scratch.iter() {
            self.glyphs.push(PGlyph {
                id: g.id,
                style: style_idx,
                adv: g.advance as f32 * scale,
                start: base + g.offset,
                end: base + g.offset + u32::from(g.len),
            });
        }
        let g1 = self.glyphs.len() as u32;
        let width = units as f32 * scale;
        match open {
            Some(w) => {
                w.g1 = g1;
                w.width += width;
            }
            None => {
                *open = Some(Word {
                    g0,
                    g1,
                    width,
                    space: None,
                    space_w: 0.0,
                    hard: false,
                    hyphen_w: 0.0,
                })
            }
        }
    }

    /// Cut words at the hyphenation points of the en-US patterns (Liang's, as TeX
    /// uses them), so that justified lines can end inside a long word. Only plain
    /// lower-case or capitalised words of at least [`HYPHEN_MIN_WORD`] letters are cut
    /// (not acronyms, numbers, ids or words already broken at a dash), never within two
    /// letters of the start or three of the end, and only where a glyph starts (one
    /// glyph per character here).
    fn hyphenate(&mut self) {
        let mut out: Vec<Word> = Vec::with_capacity(self.words.len() * 5 / 4);
        let mut lower = String::new();
        for w in &self.words {
            let (g0, g1) = (w.g0 as usize, w.g1 as usize);
            if g1 - g0 < HYPHEN_MIN_WORD {
                out.push(*w);
                continue;
            }
            let text = &self.text[self.glyphs[g0].start as usize..self.glyphs[g1 - 1].end as usize];
            // The letters between leading and trailing punctuation: `(“Agreement”),`.
            let core_start = text
                .find(|c: char| c.is_ascii_alphabetic())
                .unwrap_or(text.len());
            let core_end = text
                .rfind(|c: char| c.is_ascii_alphabetic())
                .map_or(core_start, |i| i + 1);
            let core = &text[core_start..core_end];
            let upper = core.bytes().filter(u8::is_ascii_uppercase).count();
            if core.len() < HYPHEN_MIN_WORD
                || !core.bytes().all(|b| b.is_ascii_alphabetic())
                || upper > 1
                || upper == 1 && !core.as_bytes()[0].is_ascii_uppercase()
            {
                out.push(*w);
                continue;
            }
            lower.clear();
            lower.push_str(core);
            lower.make_ascii_lowercase();
            let breaks = hyphenation_points(&lower);
            if breaks.is_empty() {
                out.push(*w);
                continue;
            }
            let base = self.glyphs[g0].start as usize + core_start;
            let mut piece = g0;
            let mut k = g0;
            for b in breaks {
                let at = (base + b) as u32;
                while k < g1 && self.glyphs[k].start < at {
                    k += 1;
                }
                if k >= g1 || self.glyphs[k].start != at || k == piece {
                    continue;
                }
                let style = self.styles[self.glyphs[k - 1].style as usize];
                let face = style.font.face();
                let Some(_) = face.glyph_id('-') else {
                    out.push(*w);
                    piece = g1;
                    break;
                };
                out.push(Word {
                    g0: piece as u32,
                    g1: k as u32,
                    width: self.glyphs[piece..k].iter().map(|g| g.adv).sum(),
                    space: None,
                    space_w: 0.0,
                    hard: false,
                    hyphen_w: face.width("-", style.size),
                });
                piece = k;
            }
            if piece < g1 {
                out.push(Word {
                    g0: piece as u32,
                    width: self.glyphs[piece..g1].iter().map(|g| g.adv).sum(),
                    ..*w
                });
            }
        }
        self.words = out;
    }

    /// Split words wider than `width` into pieces that fit (at glyph boundaries).
    fn split_long_words(&mut self, width: f32) {
        if self.words.iter().all(|w| w.width <= width + EPS) {
            return;
        }
        let mut out = Vec::with_capacity(self.words.len() + 4);
        for w in &self.words {
            if w.width <= width + EPS {
                out.push(*w);
                continue;
            }
            let mut g0 = w.g0;
            let mut acc = 0.0;
            let mut g = w.g0;
            while g < w.g1 {
                let adv = self.glyphs[g as usize].adv;
                if acc + adv > width + EPS && g > g0 {
                    out.push(Word {
                        g0,
                        g1: g,
                        width: acc,
                        space: None,
                        space_w: 0.0,
                        hard: false,
                        hyphen_w: 0.0,
                    });
                    g0 = g;
                    acc = 0.0;
                }
                acc += adv;
                g += 1;
            }
            out.push(Word {
                g0,
                g1: w.g1,
                width: acc,
                ..*w
            });
        }
        self.words = out;
    }

    /// Natural width of words `a..b` on one line, and the total width of the spaces
    /// between them.
    fn line_width(&self, a: usize, b: usize) -> (f32, f32) {
        let mut natural = 0.0;
        let mut spaces = 0.0;
        for (k, w) in self.words[a..b].iter().enumerate() {
            natural += w.width;
            if a + k + 1 < b {
                natural += w.space_w;
                spaces += w.space_w;
            }
        }
        (natural, spaces)
    }

    /// The worst badness of the lines that are not the last of their segment.
    fn worst_badness(&self, lines: &[(usize, usize)], width: f32) -> f32 {
        lines
            .iter()
            .filter(|&&(_, e)| e < self.words.len() && !self.words[e - 1].hard)
            .map(|&(s, e)| {
                let (natural, spaces) = self.line_width(s, e);
                badness(natural + self.words[e - 1].hyphen_w, spaces, width)
            })
            .fold(0.0, f32::max)
    }

    /// Break points: each line is `words[start..end]`.
    fn break_lines(&self, width: f32, justify: bool) -> Vec<(usize, usize)> {
        let mut lines = Vec::new();
        let mut seg_start = 0;
        // Hard breaks cut the paragraph into segments that break independently.
        for (i, w) in self.words.iter().enumerate() {
            if w.hard || i + 1 == self.words.len() {
                let seg_end = i + 1;
                if justify {
                    self.break_optimal(seg_start, seg_end, width, &mut lines);
                } else {
                    self.break_greedy(seg_start, seg_end, width, &mut lines);
                }
                seg_start = seg_end;
            }
        }
        lines
    }

    fn break_greedy(&self, a: usize, b: usize, width: f32, lines: &mut Vec<(usize, usize)>) {
        let mut start = a;
        while start < b {
            let mut end = start + 1;
            let mut natural = self.words[start].width;
            while end < b {
                let add = self.words[end - 1].space_w + self.words[end].width;
                if natural + add > width + EPS {
                    break;
                }
                natural += add;
                end += 1;
            }
            lines.push((start, end));
            start = end;
        }
    }

    /// Total-fit line breaking (Knuth–Plass without hyphenation): minimises the sum of
    /// squared badness over the lines of the segment. Spaces stretch freely and shrink
    /// to [`MIN_SPACE`]; the last line is set at natural width and must fit.
    fn break_optimal(&self, a: usize, b: usize, width: f32, lines: &mut Vec<(usize, usize)>) {
        let n = b - a;
        // best[k]: least demerits for setting words a..a+k; from[k]: start of the last line.
        let mut best = vec![f32::INFINITY; n + 1];
        let mut from = vec![0usize; n + 1];
        best[0] = 0.0;
        for j in 1..=n {
            let end = a + j;
            let last = j == n;
            // Walk line starts backwards while the line can still fit.
            let mut natural = 0.0;
            let mut spaces = 0.0;
            for i in (0..j).rev() {
                let start = a + i;
                let w = &self.words[start];
                if start + 1 < end {
                    natural += w.space_w;
                    spaces += w.space_w;
                }
                natural += w.width;
                // A line ending inside a word draws its hyphen.
                let hyphen = if last {
                    0.0
                } else {
                    self.words[end - 1].hyphen_w
                };
                let natural = natural + hyphen;
                let min_width = natural - spaces * (1.0 - MIN_SPACE);
                let fits = if last {
                    natural <= width + EPS
                } else {
                    min_width <= width + EPS
                };
                if !fits {
                    if i + 1 == j {
                        // A single word always gets its own line (it was split to fit).
                        let d = best[i] + 1.0e8;
                        if d < best[j] {
                            best[j] = d;
                            from[j] = i;
                        }
                    }
                    break;
                }
                if best[i].is_infinite() {
                    continue;
                }
                let badness = if last {
                    0.0
                } else {
                    badness(natural, spaces, width)
                };
                let mut d = best[i] + (10.0 + badness) * (10.0 + badness);
                if hyphen > 0.0 {
                    d += HYPHEN_DEMERITS;
                    // Two hyphenated lines in a row (the line before ends in one).
                    if i > 0 && self.words[start - 1].hyphen_w > 0.0 {
                        d += DOUBLE_HYPHEN_DEMERITS;
                    }
                }
                if d < best[j] {
                    best[j] = d;
                    from[j] = i;
                }
            }
        }
        let mut breaks = Vec::new();
        let mut j = n;
        while j > 0 {
            let i = from[j];
            breaks.push((a + i, a + j));
            j = i;
        }
        lines.extend(breaks.into_iter().rev());
    }

    /// Build the positioned text item of one line (x relative to the frame start,
    /// baseline 0).
    fn line_item(
        &self,
        start: usize,
        end: usize,
        width: f32,
        align: Align,
        last_of_segment: bool,
    ) -> TextItem {
        let (natural, spaces) = self.line_width(start, end);
        // A line ending inside a word draws its hyphen, measured with the line.
        let hyphen_w = if last_of_segment {
            0.0
        } else {
            self.words[end - 1].hyphen_w
        };
        let natural = natural + hyphen_w;
        let justify = align == Align::Justify && !last_of_segment && spaces > 0.0;
        let stretch = if justify {
            (width - natural) / spaces
        } else {
            0.0
        };
        let x0 = match align {
            Align::Left | Align::Justify => 0.0,
            Align::Center => ((width - natural) / 2.0).max(0.0),
            Align::Right => (width - natural).max(0.0),
        };
        let g_start = self.words[start].g0 as usize;
        let g_end = self.words[end - 1].g1 as usize;
        // Interior space glyphs (they get the justification stretch).
        let interior: Vec<u32> = self.words[start..end - 1]
            .iter()
            .filter_map(|w| w.space)
            .collect();
        let mut spans: Vec<Span> = Vec::new();
        let mut x = x0;
        let mut next_space = interior.iter().peekable();
        let mut g = g_start;
        while g < g_end {
            let style_idx = self.glyphs[g].style;
            let mut h = g;
            while h < g_end && self.glyphs[h].style == style_idx {
                h += 1;
            }
            let text_start = self.glyphs[g].start;
            let text_end = self.glyphs[h - 1].end;
            let mut glyphs = Vec::with_capacity(h - g);
            let span_x = x;
            for k in g..h {
                let pg = &self.glyphs[k];
                let mut adv = pg.adv;
                if next_space.peek().is_some_and(|&&s| s as usize == k) {
                    next_space.next();
                    adv += pg.adv * stretch;
                }
                glyphs.push(PlacedGlyph {
                    id: pg.id,
                    advance: adv,
                    text: (pg.start - text_start)..(pg.end - text_start),
                });
                x += adv;
            }
            spans.push(Span {
                x: span_x,
                width: x - span_x,
                text: self.text[text_start as usize..text_end as usize].to_string(),
                glyphs,
                style: self.styles[style_idx as usize],
            });
            g = h;
        }
        // The hyphen, in the style of the letter before it.
        if hyphen_w > 0.0
            && let Some(span) = spans.last_mut()
            && let Some(id) = span.style.font.face().glyph_id('-')
        {
            let at = span.text.len() as u32;
            span.text.push('-');
            span.glyphs.push(PlacedGlyph {
                id,
                advance: hyphen_w,
                text: at..at + 1,
            });
            span.width += hyphen_w;
            x += hyphen_w;
        }
        TextItem {
            x: x0,
            baseline: 0.0,
            width: x - x0,
            spans,
            tag: Tag::Artifact(ArtifactKind::Layout),
            rotate: 0.0,
            outlined: false,
        }
    }
}

/// Set `runs` into lines no wider than `width`. Each returned item is one line with
/// its x relative to the frame start and its baseline at 0; the caller positions and
/// tags it.
pub fn set_text(runs: &[StyledRun], width: f32, align: Align) -> Vec<TextItem> {
    if runs.iter().map(|r| r.text.len()).sum::<usize>() < REUSE_MIN_BYTES {
        return set_text_anew(runs, width, align);
    }
    let key = reuse_key(runs, width, align);
    if let Some(lines) = SET_BEFORE.with_borrow(|c| c.lines.get(&key).cloned()) {
        return lines;
    }
    let lines = set_text_anew(runs, width, align);
    SET_BEFORE.with_borrow_mut(|c| c.keep(key, &lines));
    lines
}

/// Paragraphs are set again and again in a batch: a clause's fixed text is the same in
/// every city's agreement. Setting lines is a pure function of the runs, the width and
/// the alignment, so a thread keeps the lines of each paragraph it has set twice (once
/// is not enough: a paragraph naming a city's schools never comes back, and would only
/// take memory) and reuses them. Hyphenation is part of setting and depends on
/// nothing else (the patterns are fixed at build time), so the key stays complete. Per thread, so no lock and no effect of thread count
/// on the output; bounded in entries.
#[derive(Default)]
struct SetBefore {
    /// Hashes of the paragraphs set once (only to decide what to keep).
    seen: std::collections::HashSet<u64>,
    lines: std::collections::HashMap<Vec<u8>, Vec<TextItem>>,
}

impl SetBefore {
    fn keep(&mut self, key: Vec<u8>, lines: &[TextItem]) {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(&key);
        if self.seen.len() >= REUSE_MAX_SEEN {
            self.seen.clear();
        }
        if !self.seen.insert(hash) && self.lines.len() < REUSE_MAX_KEPT {
            self.lines.insert(key, lines.to_vec());
        }
    }
}

/// Shorter paragraphs (table cells, headings, a name) are cheap to set and often differ
/// from one agreement to the next: they are set anew.
const REUSE_MIN_BYTES: usize = 160;
const REUSE_MAX_KEPT: usize = 2048;
const REUSE_MAX_SEEN: usize = 1 << 16;

thread_local! {
    static SET_BEFORE: std::cell::RefCell<SetBefore> = std::cell::RefCell::new(SetBefore::default());
}

/// Every input of [`set_text_anew`], as bytes: each run's text with its length, style
/// and line break, then the width and the alignment.
fn reuse_key(runs: &[StyledRun], width: f32, align: Align) -> Vec<u8> {
    let mut key = Vec::with_capacity(8 + runs.iter().map(|r| r.text.len() + 13).sum::<usize>());
    key.extend_from_slice(&width.to_bits().to_le_bytes());
    key.push(align as u8);
    for r in runs {
        let st = &r.style;
        key.extend_from_slice(&(r.text.len() as u32).to_le_bytes());
        key.extend_from_slice(r.text.as_bytes());
        key.extend_from_slice(&st.size.to_bits().to_le_bytes());
        key.extend_from_slice(&[
            st.font as u8,
            st.color.0,
            st.color.1,
            st.color.2,
            u8::from(st.underline) | u8::from(st.strike) << 1 | u8::from(r.line_break) << 2,
        ]);
        if let Some(link) = st.link {
            key.push(0xff);
            key.extend_from_slice(&link.to_le_bytes());
        }
    }
    key
}

fn set_text_anew(runs: &[StyledRun], width: f32, align: Align) -> Vec<TextItem> {
    let mut para = Para::build(runs);
    if para.words.is_empty() {
        return Vec::new();
    }
    para.split_long_words(width);
    let justify = align == Align::Justify;
    let mut lines = para.break_lines(width, justify);
    // TeX's two passes: hyphenate only a paragraph that cannot be justified well
    // without it. Most can, and looking up every long word cost a tenth of setting
    // one agreement.
    if justify && para.worst_badness(&lines, width) > PRETOLERANCE {
        para.hyphenate();
        lines = para.break_lines(width, justify);
    }
    lines
        .iter()
        .map(|&(s, e)| {
            let last = e == para.words.len() || para.words[e - 1].hard;
            para.line_item(s, e, width, align, last)
        })
        .collect()
}

/// The narrowest width `runs` can be set in without splitting a word, and the width
/// of its longest line when nothing wraps.
pub fn measure(runs: &[StyledRun]) -> (f32, f32) {
    let para = Para::build(runs);
    let mut min: f32 = 0.0;
    let mut max: f32 = 0.0;
    let mut line: f32 = 0.0;
    for (i, w) in para.words.iter().enumerate() {
        min = min.max(w.width);
        line += w.width;
        if w.hard || i + 1 == para.words.len() {
            max = max.max(line);
            line = 0.0;
        } else {
            line += w.space_w;
        }
    }
    (min, max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::FontId;

    fn body() -> TextStyle {
        TextStyle::new(FontId::Regular, 11.5)
    }

    fn text_of(item: &TextItem) -> String {
        item.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// A paragraph set a third time comes from what the thread kept, and is exactly what
    /// setting it anew gives; a different width or style is a different paragraph.
    #[test]
    fn paragraphs_set_again_are_the_same_lines() {
        let runs = [
            StyledRun::new(LOREM, body()),
            StyledRun::new(" and more in bold", body().with_font(FontId::Bold)),
        ];
        let fresh = set_text_anew(&runs, 300.0, Align::Justify);
        for _ in 0..3 {
            assert_eq!(set_text(&runs, 300.0, Align::Justify), fresh);
        }
        let key = reuse_key(&runs, 300.0, Align::Justify);
        assert!(SET_BEFORE.with_borrow(|c| c.lines.contains_key(&key)));
        assert_eq!(
            set_text(&runs, 250.0, Align::Justify),
            set_text_anew(&runs, 250.0, Align::Justify)
        );
        let italic = [StyledRun::new(LOREM, body().with_font(FontId::Italic))];
        assert_ne!(
            reuse_key(&italic, 300.0, Align::Justify),
            reuse_key(&runs[..1], 300.0, Align::Justify)
        );
        assert_ne!(reuse_key(&runs, 300.0, Align::Left), key);
    }

    const LOREM: &str = "The Department shall assign one or more sworn officers to serve as School \
        Resource Officers at the schools listed in Schedule A, and shall ensure that each officer \
        has completed the training required by state law before the first day of assignment. \
        Nothing in this Agreement creates any right in favour of a third party.";

    #[test]
    fn justified_lines_fill_the_width_exactly() {
        let runs = [StyledRun::new(LOREM, body())];
        let lines = set_text(&runs, 300.0, Align::Justify);
        assert!(lines.len() > 3);
        for line in &lines[..lines.len() - 1] {
            assert!(
                (line.width - 300.0).abs() < 0.05,
                "{} for {:?}",
                line.width,
                text_of(line)
            );
        }
        let last = lines.last().unwrap();
        assert!(last.width < 300.0);
        // Nothing lost or duplicated: the words come back in order (a line ending in a
        // hyphen continues its word on the next).
        let mut joined = String::new();
        for line in lines.iter().map(text_of) {
            match line.strip_suffix('-') {
                Some(front) => joined.push_str(front),
                None => {
                    joined.push_str(&line);
                    joined.push(' ');
                }
            }
        }
        let words: Vec<&str> = LOREM.split_whitespace().collect();
        let got: Vec<String> = joined.split_whitespace().map(str::to_string).collect();
        assert_eq!(got, words);
    }

    #[test]
    fn glyph_advances_add_up_to_line_width() {
        let runs = [StyledRun::new(LOREM, body())];
        for line in set_text(&runs, 250.0, Align::Justify) {
            let sum: f32 = line
                .spans
                .iter()
                .flat_map(|s| &s.glyphs)
                .map(|g| g.advance)
                .sum();
            assert!((sum - line.width).abs() < 0.01);
            assert!(line.width <= 250.0 + EPS);
        }
    }

    #[test]
    fn mixed_styles_and_hard_breaks() {
        let bold = TextStyle::new(FontId::Bold, 11.5);
        let runs = [
            StyledRun::new("Notices to the ", body()),
            StyledRun::new("District", bold),
            StyledRun::new(", attention Superintendent:", body()),
            StyledRun::line_break(body()),
            StyledRun::new("50 South Main Street", body()),
        ];
        let lines = set_text(&runs, 400.0, Align::Justify);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            text_of(&lines[0]),
            "Notices to the District, attention Superintendent:"
        );
        assert_eq!(lines[0].spans.len(), 3);
        assert_eq!(lines[0].spans[1].style.font, FontId::Bold);
        // A line ended by a hard break is not stretched.
        assert!(lines[0].width < 399.0);
        assert_eq!(text_of(&lines[1]), "50 South Main Street");
    }

    #[test]
    fn overlong_words_are_split() {
        let runs = [StyledRun::new(
            "https://example.org/a/very/long/path/that/cannot/break",
            body(),
        )];
        let lines = set_text(&runs, 60.0, Align::Justify);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(line.width <= 60.0 + EPS);
        }
    }

    /// Justified text may end a line inside a long word, drawing a hyphen that was
    /// measured; the letters all come back in order; ragged text never hyphenates.
    #[test]
    fn justified_text_hyphenates_long_words() {
        let text = "Notwithstanding indemnification responsibilities, administrative \
            confidentiality requirements and extracurricular transportation considerations \
            nevertheless apply.";
        let runs = [StyledRun::new(text, body())];
        let lines = set_text(&runs, 150.0, Align::Justify);
        let texts: Vec<String> = lines.iter().map(text_of).collect();
        assert!(
            texts[..texts.len() - 1].iter().any(|t| t.ends_with('-')),
            "{texts:?}"
        );
        let joined: String = texts
            .iter()
            .map(|t| t.strip_suffix('-').unwrap_or(t).to_string())
            .collect::<Vec<_>>()
            .join("");
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
        for line in &lines[..lines.len() - 1] {
            // Lines with a space fill the width; a lone piece of a word cannot stretch.
            let full = (line.width - 150.0).abs() < 0.05;
            assert!(full || !text_of(line).contains(' '), "{}", text_of(line));
            assert!(line.width <= 150.0 + EPS, "{}", text_of(line));
            let sum: f32 = line
                .spans
                .iter()
                .flat_map(|s| &s.glyphs)
                .map(|g| g.advance)
                .sum();
            assert!((sum - line.width).abs() < 0.01);
        }
        let ragged = set_text(&runs, 150.0, Align::Left);
        assert!(ragged.iter().all(|l| !text_of(l).ends_with('-')));
    }

    /// Acronyms, numbers and no-break spaces are never broken.
    #[test]
    fn what_is_not_hyphenated() {
        let runs = [StyledRun::new(
            "ABCDEFGHIJKL 1234567890123 Article\u{a0}XVIII Article\u{a0}XVIII Article\u{a0}XVIII",
            body(),
        )];
        for line in set_text(&runs, 70.0, Align::Justify) {
            let t = text_of(&line);
            assert!(!t.ends_with('-'), "{t}");
            assert!(!t.ends_with("Article"), "{t}");
        }
    }

    #[test]
    fn breaks_after_dashes() {
        let runs = [StyledRun::new("forty-five school-based officers", body())];
        let lines = set_text(&runs, 60.0, Align::Left);
        let texts: Vec<String> = lines.iter().map(text_of).collect();
        assert_eq!(texts[0], "forty-five");
    }

    #[test]
    fn measure_reports_min_and_max() {
        let runs = [StyledRun::new("Hall High School", body())];
        let (min, max) = measure(&runs);
        let face = FontId::Regular.face();
        assert!((min - face.width("School", 11.5)).abs() < 0.01);
        assert!((max - face.width("Hall High School", 11.5)).abs() < 0.01);
    }
}
