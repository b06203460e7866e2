//! The embedded Liberation Serif faces: loading, metrics and a small shaper.
//!
//! Everything here is parsed once per process (a [`LazyLock`]) and then only read, so
//! concurrent renders share it without locks and without any effect on the output.
//!
//! Shaping is deliberately simple, because the text is Latin and the faces have no
//! default ligatures: one glyph per character (from `cmap`), its advance (from `hmtx`)
//! plus the pair kerning of the `kern` table. The layout measures with exactly these
//! advances and the emitter draws exactly these glyphs, so a measured line is the line
//! that is drawn.

use std::collections::HashMap;
use std::sync::LazyLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use skrifa::raw::tables::kern::SubtableKind;
use skrifa::{FontRef, MetadataProvider};

/// One of the four embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontId {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    BoldItalic = 3,
}

impl FontId {
    /// Every face, in `FontId` number order.
    pub const ALL: [FontId; 4] = [
        FontId::Regular,
        FontId::Bold,
        FontId::Italic,
        FontId::BoldItalic,
    ];

    pub fn from_style(bold: bool, italic: bool) -> FontId {
        match (bold, italic) {
            (false, false) => FontId::Regular,
            (true, false) => FontId::Bold,
            (false, true) => FontId::Italic,
            (true, true) => FontId::BoldItalic,
        }
    }

    pub fn is_bold(self) -> bool {
        matches!(self, FontId::Bold | FontId::BoldItalic)
    }

    pub fn is_italic(self) -> bool {
        matches!(self, FontId::Italic | FontId::BoldItalic)
    }

    /// The same family member with bold switched on.
    pub fn bolder(self) -> FontId {
        FontId::from_style(true, self.is_italic())
    }

    /// The same family member with italic switched on.
    pub fn italicized(self) -> FontId {
        FontId::from_style(self.is_bold(), true)
    }

    /// The loaded face.
    pub fn face(self) -> &'static Face {
        &FACES[self as usize]
    }
}

const FONT_FILES: [(&str, &[u8]); 4] = [
    (
        "LiberationSerif-Regular",
        include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf"),
    ),
    (
        "LiberationSerif-Bold",
        include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf"),
    ),
    (
        "LiberationSerif-Italic",
        include_bytes!("../../../assets/fonts/LiberationSerif-Italic.ttf"),
    ),
    (
        "LiberationSerif-BoldItalic",
        include_bytes!("../../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
    ),
];

static FACES: LazyLock<[Face; 4]> = LazyLock::new(|| {
    std::array::from_fn(|index| {
        let (name, data) = FONT_FILES[index];
        Face::load(index, name, data)
    })
});

/// A glyph with its nominal advance, in font units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GlyphInfo {
    id: u16,
    advance: u16,
}

/// What a PDF font descriptor says of a face, in thousandths of an em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Descriptor {
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub italic_angle: f32,
    /// Left, bottom, right, top.
    pub bbox: [f32; 4],
    pub stem_v: f32,
}

/// A parsed face: what layout needs to measure text and what the PDF writer needs to
/// embed it.
pub struct Face {
    pub name: &'static str,
    /// The face's PostScript name (`name` table), which PDF font names use.
    pub postscript_name: String,
    pub units_per_em: f32,
    /// Ascender, as a fraction of the font size (positive).
    pub ascent: f32,
    /// Descender, as a fraction of the font size (positive, below the baseline).
    pub descent: f32,
    /// Underline offset (negative: below the baseline) and thickness, fractions of the size.
    pub underline: (f32, f32),
    /// Strike-out offset (above the baseline) and thickness, fractions of the size.
    pub strikeout: (f32, f32),
    ascii: [Option<GlyphInfo>; 128],
    other: HashMap<char, GlyphInfo>,
    /// Pair kerning, by left glyph: `kern_pairs[kern_index[l]..kern_index[l + 1]]` are
    /// the (right glyph, adjustment in font units) pairs of glyph `l`, sorted by right.
    kern_index: Vec<u32>,
    kern_pairs: Vec<(u16, i16)>,
    /// Nominal advance of every glyph, by glyph id, in font units.
    advances: Vec<u16>,
    pub descriptor: Descriptor,
    /// Position in [`FONT_FILES`].
    index: usize,
}

/// One shaped glyph. `advance` includes the kerning with the following glyph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    pub id: u16,
    /// Advance in font units, kerning included.
    pub advance: i32,
    /// Byte offset of the glyph's character in the shaped text.
    pub offset: u32,
    /// Byte length of that character.
    pub len: u8,
}

impl Face {
    fn load(index: usize, name: &'static str, data: &'static [u8]) -> Face {
        let font = FontRef::new(data).expect("embedded font parses"); // ok: embedded font
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(metrics.units_per_em.max(1));
        let glyph_metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let charmap = font.charmap();

        let mut ascii = [None; 128];
        let mut other = HashMap::new();
        for (codepoint, gid) in charmap.mappings() {
            let Some(c) = char::from_u32(codepoint) else {
                continue;
            };
            let Ok(id) = u16::try_from(gid.to_u32()) else {
                continue;
            };
            if id == 0 {
                continue;
            }
            let advance = glyph_metrics.advance_width(gid).unwrap_or(0.0).round() as u16;
            let info = GlyphInfo { id, advance };
            if (c as u32) < 128 {
                ascii[c as usize] = Some(info);
            } else {
                other.insert(c, info);
            }
        }

        let mut pairs: Vec<(u16, u16, i16)> = Vec::new();
        if let Ok(table) = font.kern() {
            for subtable in table.subtables().flatten() {
                if !subtable.is_horizontal() || subtable.is_cross_stream() {
                    continue;
                }
                if let Ok(SubtableKind::Format0(format0)) = subtable.kind() {
                    pairs.extend(
                        format0
                            .pairs()
                            .iter()
                            .map(|p| (p.left().to_u16(), p.right().to_u16(), p.value())),
                    );
                }
            }
        }
        // First subtable wins for a repeated pair (a stable sort keeps their order).
        pairs.sort_by_key(|&(l, r, _)| (l, r));
        pairs.dedup_by_key(|&mut (l, r, _)| (l, r));
        let glyph_count = usize::from(metrics.glyph_count);
        let mut kern_index = vec![0u32; glyph_count + 2];
        for &(l, _, _) in &pairs {
            if let Some(slot) = kern_index.get_mut(usize::from(l) + 1) {
                *slot += 1;
            }
        }
        for i in 1..kern_index.len() {
            kern_index[i] += kern_index[i - 1];
        }
        let kern_pairs: Vec<(u16, i16)> = pairs
            .iter()
            .filter(|&&(l, _, _)| usize::from(l) <= glyph_count)
            .map(|&(_, r, v)| (r, v))
            .collect();

        let (underline, strikeout) = (
            metrics
                .underline
                .map(|d| (d.offset / upem, d.thickness / upem))
                .unwrap_or((-0.1, 0.05)),
            metrics
                .strikeout
                .map(|d| (d.offset / upem, d.thickness / upem))
                .unwrap_or((0.26, 0.05)),
        );

        let advances = (0..metrics.glyph_count)
            .map(|g| {
                let advance = glyph_metrics.advance_width(skrifa::GlyphId::new(u32::from(g)));
                advance.unwrap_or(0.0).round() as u16
            })
            .collect();
        let thousandths = 1000.0 / upem;
        let weight = font
            .os2()
            .map_or(400.0, |os2| f32::from(os2.us_weight_class()));
        let bbox = metrics
            .bounds
            .map_or([0.0, metrics.descent, upem, metrics.ascent], |b| {
                [b.x_min, b.y_min, b.x_max, b.y_max]
            });
        let descriptor = Descriptor {
            ascent: metrics.ascent * thousandths,
            descent: metrics.descent * thousandths,
            cap_height: metrics.cap_height.unwrap_or(metrics.ascent) * thousandths,
            italic_angle: metrics.italic_angle,
            bbox: bbox.map(|v| v * thousandths),
            // The usual estimate from the weight class (PDF readers barely use it).
            stem_v: 10.0 + 0.244 * (weight - 50.0),
        };

        let postscript_name = font
            .localized_strings(skrifa::string::StringId::POSTSCRIPT_NAME)
            .english_or_first()
            .map(|s| {
                s.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<String>()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| name.to_string());

        Face {
            name,
            postscript_name,
            units_per_em: upem,
            ascent: metrics.ascent / upem,
            descent: -metrics.descent / upem,
            underline,
            strikeout,
            ascii,
            other,
            kern_index,
            kern_pairs,
            advances,
            descriptor,
            index,
        }
    }

    fn info(&self, c: char) -> Option<GlyphInfo> {
        if (c as u32) < 128 {
            self.ascii[c as usize]
        } else {
            self.other.get(&c).copied()
        }
    }

    /// Whether the face has a glyph for `c`.
    pub fn has_char(&self, c: char) -> bool {
        self.info(c).is_some()
    }

    /// The glyph id for `c`, if the face has one.
    pub fn glyph_id(&self, c: char) -> Option<u16> {
        self.info(c).map(|g| g.id)
    }

    /// Kerning between two glyphs, in font units.
    pub fn kerning(&self, left: u16, right: u16) -> i32 {
        let l = usize::from(left);
        let (Some(&start), Some(&end)) = (self.kern_index.get(l), self.kern_index.get(l + 1))
        else {
            return 0;
        };
        if start == end {
            return 0;
        }
        let Some(pairs) = self.kern_pairs.get(start as usize..end as usize) else {
            return 0;
        };
        pairs
            .binary_search_by_key(&right, |&(r, _)| r)
            .map_or(0, |i| i32::from(pairs[i].1))
    }

    /// The font file, for embedding.
    pub fn data(&self) -> &'static [u8] {
        FONT_FILES[self.index].1
    }

    /// The glyph outlines, in font units (parsed on each call: only drafts need them).
    pub fn outline_glyphs(&self) -> Option<skrifa::outline::OutlineGlyphCollection<'static>> {
        FontRef::new(self.data())
            .ok()
            .map(|font| font.outline_glyphs())
    }

    /// The nominal advance of glyph `id`, in font units.
    pub fn advance(&self, id: u16) -> u16 {
        self.advances.get(usize::from(id)).copied().unwrap_or(0)
    }

    /// Scale from font units to points at `size`.
    pub fn scale(&self, size: f32) -> f32 {
        size / self.units_per_em
    }

    /// Shape `text`, appending to `out`; returns the total advance in font units.
    /// Characters the face lacks are skipped: callers sanitize text first
    /// (see [`Face::sanitize`]), so this only guards against `.notdef`.
    pub fn shape_into(&self, text: &str, out: &mut Vec<ShapedGlyph>) -> i32 {
        let start = out.len();
        let mut total = 0i32;
        let mut prev: Option<usize> = None;
        for (offset, c) in text.char_indices() {
            let Some(info) = self.info(c) else { continue };
            if let Some(p) = prev {
                let k = self.kerning(out[p].id, info.id);
                out[p].advance += k;
                total += k;
            }
            out.push(ShapedGlyph {
                id: info.id,
                advance: i32::from(info.advance),
                offset: offset as u32,
                len: c.len_utf8() as u8,
            });
            total += i32::from(info.advance);
            prev = Some(out.len() - 1);
        }
        debug_assert!(out[start..].iter().all(|g| g.id != 0));
        total
    }

    /// Width of `text` in points at `size`.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let mut total = 0i32;
        let mut prev: Option<u16> = None;
        for c in text.chars() {
            let Some(info) = self.info(c) else { continue };
            if let Some(p) = prev {
                total += self.kerning(p, info.id);
            }
            total += i32::from(info.advance);
            prev = Some(info.id);
        }
        total as f32 * self.scale(size)
    }

    /// What becomes of `c` when this face sets it.
    #[inline]
    pub fn fate(&self, c: char) -> Fate {
        // Printable ASCII is nearly all of an agreement's text: one table lookup.
        if (' '..='~').contains(&c) && self.ascii[c as usize].is_some() {
            return Fate::Keep;
        }
        if is_invisible(c) {
            return Fate::Drop;
        }
        if is_right_to_left(c) {
            // The glyphs may be there (Hebrew is), but set left to right they would
            // read backwards: there is no bidirectional layout here.
            return Fate::RightToLeft;
        }
        if self.has_char(c) && !c.is_control() {
            return Fate::Keep;
        }
        let look_alike = match c {
            '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => '-',
            '\u{2007}' | '\u{2008}' | '\u{2009}' | '\u{200A}' | '\u{202F}' | '\u{205F}' => {
                '\u{00A0}'
            }
            c if c.is_control() => return Fate::Drop,
            _ => return Fate::Missing,
        };
        if self.has_char(look_alike) {
            Fate::Replace(look_alike)
        } else {
            Fate::Missing
        }
    }

    /// Replace what the face cannot draw: typographic look-alikes where there is one,
    /// `?` otherwise; invisible and control characters are dropped. Returns `None`
    /// when `text` needs no change (the common case). The PDF writer refuses text with
    /// a [`Fate::Missing`] or [`Fate::RightToLeft`] character before layout (see
    /// `super::unprintable`), so the `?` is only a guard for direct callers of layout.
    pub fn sanitize(&self, text: &str) -> Option<String> {
        if text.chars().all(|c| self.fate(c) == Fate::Keep) {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match self.fate(c) {
                Fate::Keep => out.push(c),
                Fate::Replace(r) => out.push(r),
                Fate::Drop => {}
                Fate::Missing | Fate::RightToLeft => {
                    if self.has_char('?') {
                        out.push('?');
                    }
                }
            }
        }
        Some(out)
    }
}

/// What a face does with a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Drawn with its own glyph.
    Keep,
    /// Drawn as a look-alike the face has (a non-breaking hyphen as a hyphen).
    Replace(char),
    /// Invisible or a control character: not drawn, and nothing is lost.
    Drop,
    /// The face has no glyph for it (CJK, Arabic, emoji).
    Missing,
    /// Right-to-left script (Hebrew, Arabic, Syriac, Thaana, …): would read reversed.
    RightToLeft,
}

/// Format characters that have no place in set text (soft hyphens, zero-width marks,
/// bidirectional embeddings and isolates).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Letters of the right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, N'Ko,
/// Samaritan, Mandaic (U+0590–U+08FF), their presentation forms, and the historic
/// right-to-left blocks of the supplementary planes.
pub fn is_right_to_left(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFE | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_load_with_sane_metrics() {
        for id in FontId::ALL {
            let face = id.face();
            assert_eq!(face.units_per_em, 2048.0, "{}", face.name);
            assert!(face.ascent > 0.8 && face.ascent < 1.0, "{}", face.name);
            assert!(face.descent > 0.1 && face.descent < 0.3, "{}", face.name);
            for c in "AZaz09.,;:!?()[]_$%§–—“”‘’•é".chars() {
                assert!(face.has_char(c), "{} lacks {c:?}", face.name);
            }
            // `unprintable` skips printable ASCII text on this promise.
            for c in ' '..='~' {
                assert!(face.has_char(c), "{} lacks {c:?}", face.name);
            }
        }
    }

    #[test]
    fn kerning_applies() {
        let face = FontId::Regular.face();
        let (a, v) = (face.glyph_id('A').unwrap(), face.glyph_id('V').unwrap());
        assert!(face.kerning(a, v) < 0, "A/V should kern");
        let size = 12.0;
        let av = face.width("AV", size);
        let separate = face.width("A", size) + face.width("V", size);
        assert!(av < separate);
        let mut glyphs = Vec::new();
        let units = face.shape_into("AV", &mut glyphs);
        assert!((units as f32 * face.scale(size) - av).abs() < 1e-3);
    }

    #[test]
    fn sanitize_replaces_missing_glyphs() {
        let face = FontId::Regular.face();
        assert_eq!(face.sanitize("plain text"), None);
        assert_eq!(
            face.sanitize("a\u{00AD}b\u{2011}c😀").as_deref(),
            Some("ab-c?")
        );
    }
}
