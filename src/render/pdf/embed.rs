//! The faces a document uses, embedded as subset CID fonts.
//!
//! Before the pages are written, a scan of the layout gives each glyph drawn as text a
//! code (CID), in glyph-id order; each used face is then subset to exactly those glyphs
//! (by `subsetter`, which numbers the subset's glyphs in the same order, so CID = glyph
//! id in the subset), with widths for every code and a `/ToUnicode` map so text can be
//! copied, searched and read aloud. Glyph-id order makes the subset a function of the
//! glyph set alone, so the agreements of a batch share subsets (see `SUBSETS`).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use anyhow::Context;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use sha2::{Digest, Sha256};

use super::fonts::{Face, FontId};
use super::model::Layout;
use crate::render::deflate::{Wrapper, deflate};

/// One face's glyphs in use.
#[derive(Default)]
struct FaceUse {
    /// By original glyph id: its code plus one, or 0 when unused.
    codes: Vec<u16>,
    /// By code: the original glyph id, ascending (code 0 is `.notdef`).
    glyphs: Vec<u16>,
    /// By code: the text the glyph stands for.
    text: Vec<String>,
}

/// The glyphs a document draws as text, face by face, with their codes.
#[derive(Default)]
pub struct FontSet {
    faces: [FaceUse; 4],
}

/// A face subset to some glyphs, compressed for embedding.
struct Subset {
    tag: String,
    file: Vec<u8>,
    raw_len: usize,
}

/// Subsets already made, by face and glyphs. Agreements built from one clause library
/// mostly use the same glyphs, and subsetting plus compressing a face costs more than
/// writing a page; the bytes are a function of the key, so sharing them changes
/// nothing in the output. Cleared when full, so it stays small.
static SUBSETS: LazyLock<Mutex<HashMap<SubsetKey, Arc<Subset>>>> = LazyLock::new(Mutex::default);
/// A face (`FontId` number) and the glyphs of its subset.
type SubsetKey = (usize, Vec<u16>);
const SUBSETS_MAX: usize = 256;

/// Characters every embedded face carries, drawn or not: the letters and digits.
/// Agreements of a batch differ mostly in names, and a name with one letter the others
/// lack made a subset of its own: 144 of the 400 faces of a 100-city batch were subset
/// and compressed anew, 11 with these. It costs 10 KB a file (258 KB on average, 268
/// KB with them); all of printable ASCII and the typographic marks cut it to 4 misses
/// but cost 27 KB.
const COMMON: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl FontSet {
    /// Every glyph `layout` draws as text (not the outlines of a watermark). Codes
    /// follow glyph ids, so two documents using the same glyphs share one subset.
    pub fn scan(layout: &Layout) -> FontSet {
        let mut set = FontSet::default();
        let mut seen: [Vec<Option<String>>; 4] = Default::default();
        for page in &layout.pages {
            for t in page.texts().filter(|t| !t.outlined && t.rotate == 0.0) {
                for span in &t.spans {
                    let seen = &mut seen[span.style.font as usize];
                    for g in &span.glyphs {
                        let slot = usize::from(g.id);
                        if seen.len() <= slot {
                            seen.resize(slot + 1, None);
                        }
                        if seen[slot].as_ref().is_none_or(String::is_empty) {
                            let text = span.text.get(g.text.start as usize..g.text.end as usize);
                            seen[slot] = Some(text.unwrap_or_default().to_string());
                        }
                    }
                }
            }
        }
        for (font, seen) in FontId::ALL.into_iter().zip(seen.iter_mut()) {
            if seen.iter().any(Option::is_some) {
                let face = font.face();
                for c in COMMON.chars() {
                    if let Some(id) = face.glyph_id(c) {
                        let slot = usize::from(id);
                        if seen.len() <= slot {
                            seen.resize(slot + 1, None);
                        }
                        seen[slot].get_or_insert_with(|| c.to_string());
                    }
                }
            }
        }
        for (face, seen) in set.faces.iter_mut().zip(seen) {
            face.codes = vec![0; seen.len()];
            face.glyphs.push(0);
            face.text.push(String::new());
            for (id, text) in seen.into_iter().enumerate().skip(1) {
                // Codes are u16 and stored plus one: at most 65,534 glyphs (a face has
                // fewer; more would be drawn as .notdef, never wrap).
                if let Some(text) = text
                    && let Ok(code) = u16::try_from(face.glyphs.len())
                    && code < u16::MAX
                {
                    face.codes[id] = code + 1;
                    face.glyphs.push(id as u16);
                    face.text.push(text);
                }
            }
        }
        set
    }

    /// The code of glyph `id` of `font` (0, `.notdef`, for a glyph not scanned).
    pub fn code(&self, font: FontId, id: u16) -> u16 {
        let codes = &self.faces[font as usize].codes;
        codes
            .get(usize::from(id))
            .map_or(0, |c| c.saturating_sub(1))
    }

    /// Whether `font` is drawn at all.
    pub fn used(&self, font: FontId) -> bool {
        self.faces[font as usize].glyphs.len() > 1
    }

    /// Write every used face as a Type 0 font; `refs[i]` is the font object of
    /// `FontId` number `i` (unused faces get nothing written).
    pub fn write(&self, pdf: &mut Pdf, next: &mut Ref, refs: &[Ref; 4]) -> anyhow::Result<()> {
        for font in FontId::ALL {
            if self.used(font) {
                let used = &self.faces[font as usize];
                let subset = subset(font, &used.glyphs)?;
                write_face(pdf, next, refs[font as usize], font.face(), used, &subset);
            }
        }
        Ok(())
    }
}

/// The subset of `font` to `glyphs`, made once per process.
fn subset(font: FontId, glyphs: &[u16]) -> anyhow::Result<Arc<Subset>> {
    let key = (font as usize, glyphs.to_vec());
    let cache = || SUBSETS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = cache().get(&key) {
        return Ok(found.clone());
    }
    let face = font.face();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs(glyphs);
    let raw = subsetter::subset(face.data(), 0, &remapper)
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .with_context(|| format!("cannot subset {}", face.name))?;
    let made = Arc::new(Subset {
        tag: subset_tag(face, glyphs),
        file: deflate(&raw, 6, Wrapper::Zlib),
        raw_len: raw.len(),
    });
    let mut cache = cache();
    if cache.len() >= SUBSETS_MAX {
        cache.clear();
    }
    cache.insert(key, made.clone());
    Ok(made)
}

/// Six capital letters naming the subset, from the glyphs in it (PDF 9.6.4).
fn subset_tag(face: &Face, glyphs: &[u16]) -> String {
    let mut hash = Sha256::new();
    hash.update(face.name.as_bytes());
    for g in glyphs {
        hash.update(g.to_be_bytes());
    }
    hash.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

fn write_face(
    pdf: &mut Pdf,
    next: &mut Ref,
    type0: Ref,
    face: &Face,
    used: &FaceUse,
    subset: &Subset,
) {
    let cid_font = next.bump();
    let descriptor_ref = next.bump();
    let file_ref = next.bump();
    let cmap_ref = next.bump();

    let name = format!("{}+{}", subset.tag, face.postscript_name);
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    pdf.type0_font(type0)
        .base_font(Name(name.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font)
        .to_unicode(cmap_ref);

    let per_unit = 1000.0 / face.units_per_em;
    let mut cid = pdf.cid_font(cid_font);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(name.as_bytes()))
        .system_info(system_info)
        .font_descriptor(descriptor_ref)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(
        0,
        used.glyphs
            .iter()
            .map(|&g| f32::from(face.advance(g)) * per_unit),
    );
    cid.finish();

    let d = face.descriptor;
    let mut flags = FontFlags::SERIF | FontFlags::SYMBOLIC;
    if d.italic_angle != 0.0 {
        flags |= FontFlags::ITALIC;
    }
    pdf.font_descriptor(descriptor_ref)
        .name(Name(name.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(d.bbox[0], d.bbox[1], d.bbox[2], d.bbox[3]))
        .italic_angle(d.italic_angle)
        .ascent(d.ascent)
        .descent(d.descent)
        .cap_height(d.cap_height)
        .stem_v(d.stem_v)
        .font_file2(file_ref);

    pdf.stream(file_ref, &subset.file)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.raw_len as i32);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
    for (code, text) in used.text.iter().enumerate().skip(1) {
        if !text.is_empty() {
            cmap.pair_with_multiple(code as u16, text.chars());
        }
    }
    let cmap = deflate(&cmap.finish(), 6, Wrapper::Zlib);
    pdf.cmap(cmap_ref, &cmap).filter(Filter::FlateDecode);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_glyph_ids_and_keep_their_text() {
        let doc = crate::render::pdf::fixture::agreement();
        let layout = crate::render::pdf::layout::layout(&doc);
        let set = FontSet::scan(&layout);
        assert!(set.used(FontId::Regular) && set.used(FontId::Bold));
        let regular = &set.faces[FontId::Regular as usize];
        assert!(regular.glyphs.windows(2).all(|w| w[0] < w[1]));
        for (code, &id) in regular.glyphs.iter().enumerate().skip(1) {
            assert_eq!(set.code(FontId::Regular, id), code as u16);
            assert_eq!(regular.text[code].chars().count(), 1, "glyph {id}");
        }
        let a = FontId::Regular.face().glyph_id('a').unwrap();
        assert_eq!(regular.text[usize::from(set.code(FontId::Regular, a))], "a");
        assert_eq!(set.code(FontId::Regular, u16::MAX), 0);
    }
}
