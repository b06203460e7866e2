//! Check 6: fonts, their ToUnicode maps and widths, and the embedded TrueType programs.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Object, ObjectId};

use super::objects::{name, utf16be};
use super::{PageContent, Pdf};

// ---------------------------------------------------------------------------------
// 6. Fonts

/// What a font says about its codes: their text, widths and glyphs.
pub(crate) struct FontInfo {
    label: String,
    /// `/ToUnicode`: code → text.
    unicode: HashMap<u16, String>,
    /// `/W`: code → width.
    widths: HashMap<u32, f32>,
    /// Glyphs in the embedded TrueType program.
    glyph_count: Option<u16>,
    /// Code → glyph id, when `/CIDToGIDMap` is a stream (`None`: Identity).
    cid_to_gid: Option<Vec<u16>>,
}

/// Hex strings `<…>` and brackets of a CMap section, in order.
fn cmap_tokens(section: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = section.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let hex: String = chars.by_ref().take_while(|&c| c != '>').collect();
                tokens.push(hex.split_whitespace().collect());
            }
            '[' | ']' => tokens.push(c.to_string()),
            _ => {}
        }
    }
    tokens
}

fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

fn hex_code(hex: &str) -> Option<u16> {
    match hex_bytes(hex)?.as_slice() {
        [hi, lo] => Some(u16::from_be_bytes([*hi, *lo])),
        _ => None,
    }
}

/// The `bfchar` and `bfrange` mappings of a ToUnicode CMap (two-byte codes).
pub(crate) fn parse_to_unicode(cmap: &str, problems: &mut Vec<String>) -> HashMap<u16, String> {
    let mut map = HashMap::new();
    let sections = |begin: &str, end: &str| -> Vec<String> {
        cmap.split(begin)
            .skip(1)
            .filter_map(|s| s.split(end).next().map(str::to_string))
            .collect()
    };
    for section in sections("beginbfchar", "endbfchar") {
        for pair in cmap_tokens(&section).chunks(2) {
            match (hex_code(&pair[0]), pair.get(1).and_then(|d| hex_bytes(d))) {
                (Some(code), Some(dst)) => {
                    map.insert(code, utf16be(&dst));
                }
                _ => problems.push(format!("bad bfchar entry {pair:?}")),
            }
        }
    }
    for section in sections("beginbfrange", "endbfrange") {
        let tokens = cmap_tokens(&section);
        let mut i = 0;
        while i + 2 < tokens.len() {
            let (Some(lo), Some(hi)) = (
                hex_code(&tokens[i]),
                tokens.get(i + 1).and_then(|t| hex_code(t)),
            ) else {
                problems.push(format!("bad bfrange at {:?}", &tokens[i..]));
                break;
            };
            if tokens.get(i + 2).map(String::as_str) == Some("[") {
                let mut j = i + 3;
                for code in lo..=hi {
                    match tokens.get(j).and_then(|t| hex_bytes(t)) {
                        Some(dst) => {
                            map.insert(code, utf16be(&dst));
                        }
                        None => problems.push(format!("short bfrange array for {code:04X}")),
                    }
                    j += 1;
                }
                i = j + 1; // past "]"
            } else {
                let Some(mut dst) = tokens.get(i + 2).and_then(|t| hex_bytes(t)) else {
                    problems.push(format!("bad bfrange destination at {:?}", &tokens[i..]));
                    break;
                };
                for code in lo..=hi {
                    map.insert(code, utf16be(&dst));
                    // The last byte counts up through the range.
                    if let Some(last) = dst.last_mut() {
                        *last = last.wrapping_add(1);
                    }
                }
                i += 3;
            }
        }
    }
    map
}

/// `/W` as code → width.
fn parse_widths(pdf: &Pdf, w: &[Object], problems: &mut Vec<String>) -> HashMap<u32, f32> {
    let mut widths = HashMap::new();
    let mut i = 0;
    let num = |o: Option<&Object>| {
        o.and_then(|o| pdf.resolve(o))
            .and_then(|o| o.as_float().ok())
    };
    while i < w.len() {
        let Some(first) = num(w.get(i)).map(|f| f as u32) else {
            problems.push(format!("/W entry {i} is not a number"));
            break;
        };
        match w.get(i + 1).and_then(|o| pdf.resolve(o)) {
            Some(Object::Array(list)) => {
                for (k, width) in list.iter().enumerate() {
                    match num(Some(width)) {
                        Some(width) => {
                            widths.insert(first + k as u32, width);
                        }
                        None => {
                            problems.push(format!("/W width {k} after {first} is not a number"))
                        }
                    }
                }
                i += 2;
            }
            Some(_) => {
                match (num(w.get(i + 1)), num(w.get(i + 2))) {
                    (Some(last), Some(width)) => {
                        for code in first..=last as u32 {
                            widths.insert(code, width);
                        }
                    }
                    _ => problems.push(format!("/W range at entry {i} is malformed")),
                }
                i += 3;
            }
            None => {
                problems.push(format!("/W ends after code {first}"));
                break;
            }
        }
    }
    widths
}

/// The big-endian `u16` at `at` in `data`.
fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

/// A table of a TrueType font program, by tag.
fn sfnt_table<'a>(font: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let count = usize::from(be16(font, 4)?);
    (0..count).find_map(|i| {
        let record = font.get(12 + 16 * i..28 + 16 * i)?;
        if &record[..4] != tag {
            return None;
        }
        let offset = u32::from_be_bytes(record[8..12].try_into().ok()?) as usize;
        let len = u32::from_be_bytes(record[12..16].try_into().ok()?) as usize;
        font.get(offset..offset + len)
    })
}

/// Glyph count and advance widths (in thousandths of an em) of a TrueType program.
fn truetype_metrics(font: &[u8]) -> Option<(u16, Vec<f32>)> {
    let glyphs = be16(sfnt_table(font, b"maxp")?, 4)?;
    let units = f32::from(be16(sfnt_table(font, b"head")?, 18)?);
    let metrics = usize::from(be16(sfnt_table(font, b"hhea")?, 34)?);
    let hmtx = sfnt_table(font, b"hmtx")?;
    let advances = (0..metrics)
        .map(|i| be16(hmtx, 4 * i).map(|a| f32::from(a) * 1000.0 / units))
        .collect::<Option<Vec<f32>>>()?;
    Some((glyphs, advances))
}

/// A font on a page: a Type 0 font over an embedded, subset TrueType CID font, with a
/// ToUnicode map and widths consistent with the program (Matterhorn 31-001, 31-009,
/// 31-027/30; PDF/A-2 6.2.11.4/5).
fn check_font(pdf: &Pdf, id: Option<ObjectId>, font: &Dictionary) -> (FontInfo, Vec<String>) {
    let mut problems = Vec::new();
    let base = pdf
        .get_name(font, b"BaseFont")
        .map(name)
        .unwrap_or_default();
    let label = format!("font {base} {id:?}");
    let mut info = FontInfo {
        label: label.clone(),
        unicode: HashMap::new(),
        widths: HashMap::new(),
        glyph_count: None,
        cid_to_gid: None,
    };
    let mut p = |m: String| problems.push(format!("{label}: {m}"));
    let subset_tag = |name: &str| {
        name.len() > 7
            && name.as_bytes()[..6].iter().all(u8::is_ascii_uppercase)
            && name.as_bytes()[6] == b'+'
    };
    if pdf.get_name(font, b"Subtype") != Some(b"Type0") {
        p("not a Type0 font".into());
    }
    if !subset_tag(&base) {
        p("/BaseFont has no ABCDEF+ subset tag".into());
    }
    if pdf.get_name(font, b"Encoding") != Some(b"Identity-H") {
        p(format!(
            "/Encoding is {:?}, not /Identity-H (two-byte codes are assumed)",
            pdf.get(font, b"Encoding")
        ));
    }
    match pdf.get(font, b"ToUnicode") {
        Some(Object::Stream(s)) => match s.decompressed_content() {
            Ok(data) => {
                let cmap = String::from_utf8_lossy(&data);
                if !cmap.contains("<0000> <FFFF>") && !cmap.contains("<0000><FFFF>") {
                    p("the ToUnicode codespace is not <0000> <FFFF>".into());
                }
                let mut cmap_problems = Vec::new();
                info.unicode = parse_to_unicode(&cmap, &mut cmap_problems);
                for m in cmap_problems {
                    p(format!("ToUnicode: {m}"));
                }
            }
            Err(e) => p(format!("the ToUnicode stream cannot be decompressed: {e}")),
        },
        _ => p("no /ToUnicode stream".into()),
    }

    let descendant = pdf
        .get(font, b"DescendantFonts")
        .and_then(|d| d.as_array().ok())
        .and_then(|d| match d.as_slice() {
            [one] => pdf.dict(one),
            _ => None,
        });
    let Some(cid) = descendant else {
        p("/DescendantFonts is not one CID font".into());
        return (info, problems);
    };
    if pdf.get_name(cid, b"Subtype") != Some(b"CIDFontType2") {
        p("the descendant is not /CIDFontType2".into());
    }
    let cid_base = pdf.get_name(cid, b"BaseFont").map(name).unwrap_or_default();
    if !subset_tag(&cid_base) {
        p(format!(
            "the descendant's /BaseFont {cid_base:?} has no subset tag"
        ));
    }
    let system = pdf.get_dict(cid, b"CIDSystemInfo");
    if system.is_none_or(|s| !s.has(b"Registry") || !s.has(b"Ordering") || !s.has(b"Supplement")) {
        p("the descendant has no complete /CIDSystemInfo".into());
    }
    match pdf.get(cid, b"CIDToGIDMap") {
        Some(Object::Name(n)) if n == b"Identity" => {}
        Some(Object::Stream(s)) => match s.decompressed_content() {
            Ok(data) => {
                info.cid_to_gid = Some(
                    data.chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                        .collect(),
                )
            }
            Err(e) => p(format!("/CIDToGIDMap cannot be decompressed: {e}")),
        },
        other => p(format!(
            "/CIDToGIDMap is {other:?}, not /Identity or a stream"
        )),
    }
    match pdf.get(cid, b"W").and_then(|w| w.as_array().ok()) {
        Some(w) => {
            let mut w_problems = Vec::new();
            info.widths = parse_widths(pdf, w, &mut w_problems);
            for m in w_problems {
                p(m);
            }
        }
        None => p("no /W array".into()),
    }
    let program = pdf
        .get_dict(cid, b"FontDescriptor")
        .and_then(|d| pdf.get(d, b"FontFile2"));
    let Some(Object::Stream(program)) = program else {
        p("no /FontDescriptor with an embedded /FontFile2".into());
        return (info, problems);
    };
    let data = match program.decompressed_content() {
        Ok(d) => d,
        Err(_) if !program.dict.has(b"Filter") => program.content.clone(),
        Err(e) => {
            p(format!("/FontFile2 cannot be decompressed: {e}"));
            return (info, problems);
        }
    };
    match truetype_metrics(&data) {
        Some((glyphs, advances)) => {
            info.glyph_count = Some(glyphs);
            // Widths agree with the program's advances (PDF/A-2 6.2.11.5).
            let mut codes: Vec<_> = info.widths.iter().collect();
            codes.sort_by_key(|(c, _)| **c);
            for (&code, &width) in codes {
                let gid = match &info.cid_to_gid {
                    Some(map) => map.get(code as usize).copied(),
                    None => u16::try_from(code).ok(),
                };
                let Some(gid) = gid.filter(|&g| g < glyphs) else {
                    p(format!(
                        "/W gives a width for code {code}, which has no glyph"
                    ));
                    continue;
                };
                let advance = advances
                    .get(usize::from(gid))
                    .or(advances.last())
                    .copied()
                    .unwrap_or(0.0);
                if (advance - width).abs() > 1.0 {
                    p(format!(
                        "/W says code {code} is {width} wide, the font program {advance}"
                    ));
                }
            }
        }
        None => p("/FontFile2 is not a readable TrueType program".into()),
    }
    (info, problems)
}

/// Every code shown on a page has a glyph, a width and a Unicode mapping, and none is
/// `.notdef` (Matterhorn 31-019/30; PDF/A-2 6.2.11.8). Returns the decoded text.
pub(crate) fn check_page_text(
    pdf: &Pdf,
    index: usize,
    content: &PageContent,
    fonts: &mut HashMap<ObjectId, FontInfo>,
    problems: &mut Vec<String>,
) -> String {
    let n = index + 1;
    let page = pdf.pages[index];
    let font_dict = pdf.resources(page).and_then(|r| pdf.get_dict(r, b"Font"));
    let mut text = String::new();
    // Report each (font, problem kind, code) once per page.
    let mut reported = HashSet::new();
    for (resource, bytes) in &content.shown {
        let res = name(resource);
        let Some(obj) = font_dict.and_then(|d| d.get(resource).ok()) else {
            if reported.insert((res.clone(), "missing", 0)) {
                problems.push(format!(
                    "page {n}: font /{res} is not in the page resources"
                ));
            }
            continue;
        };
        let id = obj.as_reference().ok();
        let Some(id) = id else {
            problems.push(format!("page {n}: font /{res} is not an indirect object"));
            continue;
        };
        let info = fonts.entry(id).or_insert_with(|| {
            let dict = pdf.by_id(id);
            let (info, font_problems) = match dict {
                Some(d) => check_font(pdf, Some(id), d),
                None => (
                    FontInfo {
                        label: format!("font {id:?}"),
                        unicode: HashMap::new(),
                        widths: HashMap::new(),
                        glyph_count: None,
                        cid_to_gid: None,
                    },
                    vec![format!("font {id:?}: not a dictionary")],
                ),
            };
            problems.extend(font_problems);
            info
        });
        if !bytes.len().is_multiple_of(2) {
            problems.push(format!(
                "page {n}: a string of {} bytes shown with the two-byte {}",
                bytes.len(),
                info.label
            ));
        }
        for pair in bytes.chunks_exact(2) {
            let code = u16::from_be_bytes([pair[0], pair[1]]);
            let mut flag = |kind: &'static str, message: String| {
                if reported.insert((res.clone(), kind, code)) {
                    problems.push(format!("page {n}: {}: {message}", info.label));
                }
            };
            if code == 0 {
                flag("notdef", "code 0 (.notdef) is shown".into());
            }
            match info.unicode.get(&code) {
                Some(t) if t.is_empty() || t.contains(['\0', '\u{FEFF}', '\u{FFFE}']) => flag(
                    "unicode",
                    format!("code {code:04X} maps to the unusable text {t:?}"),
                ),
                Some(t) => text.push_str(t),
                None => flag(
                    "unicode",
                    format!("code {code:04X} has no /ToUnicode mapping"),
                ),
            }
            if !info.widths.contains_key(&u32::from(code)) {
                flag("width", format!("code {code:04X} has no /W width"));
            }
            let gid = match &info.cid_to_gid {
                Some(map) => map.get(usize::from(code)).copied(),
                None => Some(code),
            };
            if let (Some(count), Some(gid)) = (info.glyph_count, gid)
                && gid >= count
            {
                flag(
                    "glyph",
                    format!("code {code:04X} is glyph {gid}, beyond the {count} embedded"),
                );
            }
        }
    }
    text
}

/// Every font resource of every page passes [`check_font`], used or not.
pub(crate) fn check_all_fonts(
    pdf: &Pdf,
    fonts: &mut HashMap<ObjectId, FontInfo>,
    problems: &mut Vec<String>,
) {
    for (i, &page) in pdf.pages.iter().enumerate() {
        let Some(dict) = pdf.resources(page).and_then(|r| pdf.get_dict(r, b"Font")) else {
            continue;
        };
        for (res, obj) in dict.iter() {
            match obj.as_reference() {
                Ok(id) if !fonts.contains_key(&id) => {
                    if let Some(d) = pdf.by_id(id) {
                        let (info, font_problems) = check_font(pdf, Some(id), d);
                        problems.extend(font_problems);
                        fonts.insert(id, info);
                    }
                }
                Ok(_) => {}
                Err(_) => problems.push(format!(
                    "page {}: font /{} is not an indirect object",
                    i + 1,
                    name(res)
                )),
            }
        }
    }
}
