//! Laid-out pages → PDF bytes: content streams, embedded fonts, structure tree,
//! outline and metadata, written with pdf-writer.
//!
//! The objects follow what krilla (the first writer, see the README's design notes)
//! wrote and validated as PDF/UA-1 and PDF/A-2b; this writer produces the same
//! structure in a third of the time, because it only does what an agreement needs.

use pdf_writer::types::{
    AnnotationFlags, AnnotationType, FieldType, OutputIntentSubtype, PageMode, TabOrder,
};
use pdf_writer::writers::Resources;
use pdf_writer::{Date, Filter, Finish, Name, Pdf, Rect, Ref, TextStr};
use sha2::{Digest, Sha256};

use super::content::ContentWriter;
use super::embed::FontSet;
use super::fonts::FontId;
use super::model::{
    ArtifactKind, Item, Layout, OutlineEntry, PAGE_HEIGHT, PAGE_WIDTH, RuleItem, StructChild,
    StructKind, Tag, TextItem,
};
use super::tags::{self, AnnotKind, Mark};
use super::{PdfOptions, PdfStandard};
use crate::document::Document;
use crate::render::deflate::{Wrapper, deflate_into};

/// zlib level for page content. Measured over 100 generated agreements (2 threads):
/// level 1 takes 2.84 ms per agreement and 238 KB a PDF, level 2 3.15 ms and 216 KB
/// (krilla's level 6 over hex codes: 216 KB), level 6 several times longer. Speed wins:
/// a batch is what mou is for, and 10 % more bytes is still a small file.
const CONTENT_LEVEL: u32 = 1;

/// The sRGB profile PDF/A-2b's output intent names (CC0, see `assets/icc/README.md`).
const SRGB_ICC: &[u8] = include_bytes!("../../../assets/icc/sRGB-v4.icc");

/// Draw one line of text: glyph runs with their `TJ` spacing, underline and strike.
/// Rotated or outlined text (the DRAFT watermark) is drawn as glyph shapes instead.
fn text(w: &mut ContentWriter, fonts: &FontSet, t: &TextItem) {
    let shapes = t.outlined || t.rotate != 0.0;
    if shapes {
        w.push_rotation(t.rotate, t.x, t.baseline);
    }
    for span in &t.spans {
        let size = span.style.size;
        if size <= 0.0 || span.glyphs.is_empty() {
            continue;
        }
        let font = span.style.font;
        let face = font.face();
        w.set_color(span.style.color);
        if shapes {
            let mut x = span.x - t.x;
            let placed: Vec<(u16, f32)> = span
                .glyphs
                .iter()
                .map(|g| {
                    let at = x;
                    x += g.advance;
                    (g.id, at)
                })
                .collect();
            w.outlines(face, size, placed.into_iter());
            continue;
        }
        w.text_at(span.x, t.baseline);
        w.set_font(font as usize, size);
        let scale = face.scale(size);
        let per_em = 1000.0 / size;
        w.show(span.glyphs.iter().map(|g| {
            let code = fonts.code(font, g.id);
            let nominal = f32::from(face.advance(g.id)) * scale;
            (code, (nominal - g.advance) * per_em)
        }));
    }
    if shapes {
        w.pop();
    }
    for span in &t.spans {
        let face = span.style.font.face();
        let size = span.style.size;
        for (on, (offset, thickness)) in [
            (span.style.underline, face.underline),
            (span.style.strike, face.strikeout),
        ] {
            if on {
                let y = t.baseline - offset * size;
                w.rect(span.x, y, span.width, thickness * size, span.style.color);
            }
        }
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

/// Bookmarks: allocate every entry, then write each with its neighbours.
fn write_outline(
    pdf: &mut Pdf,
    next: &mut Ref,
    entries: &[OutlineEntry],
    parent: Ref,
    pages: &[Ref],
) -> Option<(Ref, Ref, i32)> {
    let refs: Vec<Ref> = entries.iter().map(|_| next.bump()).collect();
    let mut total = 0;
    for (i, entry) in entries.iter().enumerate() {
        let children = write_outline(pdf, next, &entry.children, refs[i], pages);
        let mut item = pdf.outline_item(refs[i]);
        item.title(TextStr(&entry.title)).parent(parent);
        if i > 0 {
            item.prev(refs[i - 1]);
        }
        if let Some(&after) = refs.get(i + 1) {
            item.next(after);
        }
        if let Some((first, last, count)) = children {
            item.first(first).last(last).count(count);
            total += count;
        }
        let page = pages.get(entry.page).or(pages.first()).copied();
        if let Some(page) = page {
            let top = PAGE_HEIGHT - (entry.y - 12.0).max(0.0);
            item.dest().page(page).xyz(0.0, top, None);
        }
        total += 1;
    }
    Some((*refs.first()?, *refs.last()?, total))
}

fn pdf_date(date: crate::date::Date) -> Date {
    let (year, month, day) = date.ymd();
    let year = u16::try_from(year.clamp(0, 9999)).unwrap_or(0);
    Date::new(year)
        .month(month)
        .day(day)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

fn xmp_date(date: crate::date::Date) -> xmp_writer::DateTime {
    let (year, month, day) = date.ymd();
    xmp_writer::DateTime {
        year: u16::try_from(year.clamp(0, 9999)).unwrap_or(0),
        month: Some(month),
        day: Some(day),
        hour: Some(0),
        minute: Some(0),
        second: Some(0),
        timezone: Some(xmp_writer::Timezone::Utc),
    }
}

/// Text for the document metadata, which the XMP packet holds as XML: characters XML
/// 1.0 cannot hold (C0 and C1 controls, U+FFFE, U+FFFF) are dropped, and tabs and line
/// breaks become spaces. The info dictionary gets the same text, so the two agree as
/// PDF/A requires. Borrowed when nothing changes (always, for a real agreement).
fn meta_text(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if bad(c) => None,
            c => Some(c),
        })
        .collect()
}

/// What the document says about itself, once in the info dictionary and once as XMP.
struct Meta<'a> {
    title: &'a str,
    author: String,
    subject: &'a str,
    language: &'a str,
    producer: &'a str,
    date: Option<crate::date::Date>,
    pages: u32,
    id: &'a str,
    standard: PdfStandard,
}

fn xmp(m: &Meta) -> String {
    let mut x = xmp_writer::XmpWriter::new();
    x.title([(None, m.title)]);
    x.description([(None, m.subject)]);
    x.creator([m.author.as_str()]);
    x.creator_tool(m.producer);
    x.producer(m.producer);
    x.language([xmp_writer::LangId(m.language)]);
    if let Some(date) = m.date {
        x.modify_date(xmp_date(date));
        x.create_date(xmp_date(date));
    }
    if m.standard == PdfStandard::A2b {
        let mut schemas = x.extension_schemas();
        schemas
            .xmp_media_management()
            .properties()
            .describe_instance_id();
        schemas.pdf().properties().describe_all();
        schemas.pdfua_id().properties().describe_part();
        schemas.finish();
        x.pdfa_part(2);
        x.pdfa_conformance("B");
    }
    x.pdfua_part(1);
    x.num_pages(m.pages);
    x.format("application/pdf");
    x.instance_id(m.id);
    x.document_id(m.id);
    x.rendition_class(xmp_writer::RenditionClass::Proof);
    x.pdf_version("1.7");
    x.finish(None)
}

/// A signature field to write: a widget annotation over a signature line.
struct Field {
    annot: Ref,
    page: u32,
    rule: RuleItem,
    name: String,
    node: usize,
}

/// `name`, or `name (2)`, `name (3)`… where an earlier field has it: two blocks of one
/// party and role (two attesting clerks) still get a field each. A period separates
/// the parts of a field's full name, so none is kept in it.
fn unique_field_name(name: &str, earlier: &[Field]) -> String {
    let base = name.replace('.', "");
    let mut candidate = base.clone();
    let mut n = 1;
    while earlier.iter().any(|f| f.name == candidate) {
        n += 1;
        candidate = format!("{base} ({n})");
    }
    candidate
}

/// How far above its line a signature field reaches: room for a signature.
const FIELD_HEIGHT: f32 = 24.0;

/// Each signature field as one object, the field merged with its widget: `/FT /Sig`,
/// named for the party and role, over the signature line (from the line up by
/// [`FIELD_HEIGHT`]), printed, tagged through `/StructParent`, with an empty
/// appearance (PDF/A wants one on every widget).
fn write_fields(
    pdf: &mut Pdf,
    next: &mut Ref,
    fields: &[Field],
    annots: &[tags::Annot],
    pages: &[Ref],
) {
    if fields.is_empty() {
        return;
    }
    let blank = next.bump();
    pdf.form_xobject(blank, b"")
        .bbox(Rect::new(0.0, 0.0, 1.0, 1.0));
    for (f, a) in fields.iter().zip(annots) {
        let r = &f.rule;
        let rect = Rect::new(
            r.x,
            PAGE_HEIGHT - (r.y + r.height),
            r.x + r.width,
            PAGE_HEIGHT - (r.y - FIELD_HEIGHT),
        );
        let mut field = pdf.form_field(f.annot);
        field
            .partial_name(TextStr(&f.name))
            .alternate_name(TextStr(&a.alt))
            .field_type(FieldType::Signature);
        let mut annot = field.into_annotation();
        annot
            .rect(rect)
            .page(pages[f.page as usize])
            .flags(AnnotationFlags::PRINT)
            .struct_parent(a.key)
            .contents(TextStr(&a.alt));
        annot.appearance().normal().stream(blank);
    }
}

/// A link annotation to write: over one line's piece of a cross-reference.
struct Link {
    annot: Ref,
    page: u32,
    rect: Rect,
    /// Index in [`Layout::links`].
    target: usize,
    /// The `Link` structure node the piece belongs to.
    node: usize,
}

/// The link annotations of one page's items: one per piece of text whose structure
/// element is a `Link`, over the glyphs (ascent to descent of its faces).
fn page_links(
    layout: &Layout,
    owners: &[(u32, u32)],
    items: &[Item],
    page: u32,
    next: &mut Ref,
    out: &mut Vec<Link>,
) {
    for item in items {
        let Item::Text(t) = item else { continue };
        let Tag::Content(id) = t.tag else { continue };
        let Some(&(node, _)) = owners.get(id.0 as usize) else {
            continue;
        };
        let node = node as usize;
        let Some(StructKind::Link(target)) = layout.nodes.get(node).map(|n| &n.kind) else {
            continue;
        };
        let target = *target as usize;
        if target >= layout.links.len() || t.spans.is_empty() {
            continue;
        }
        let (mut up, mut down) = (0.0f32, 0.0f32);
        for span in &t.spans {
            let face = span.style.font.face();
            up = up.max(face.ascent * span.style.size);
            down = down.max(face.descent * span.style.size);
        }
        out.push(Link {
            annot: next.bump(),
            page,
            rect: Rect::new(
                t.x,
                PAGE_HEIGHT - (t.baseline + down),
                t.right(),
                PAGE_HEIGHT - (t.baseline - up),
            ),
            target,
            node,
        });
    }
}

/// Each link as a `/Link` annotation: no border, printed (PDF/A), described by its
/// `/Contents` (PDF/UA), tagged through `/StructParent`, going to an explicit
/// destination at the top of the target's heading, as the bookmarks do.
fn write_links(
    pdf: &mut Pdf,
    links: &[Link],
    annots: &[tags::Annot],
    layout: &Layout,
    pages: &[Ref],
) {
    for (l, a) in links.iter().zip(annots) {
        let target = &layout.links[l.target];
        let Some(&to) = pages.get(target.page).or(pages.first()) else {
            continue;
        };
        let mut annot = pdf.annotation(l.annot);
        annot
            .subtype(AnnotationType::Link)
            .rect(l.rect)
            .page(pages[l.page as usize])
            .flags(AnnotationFlags::PRINT)
            .border(0.0, 0.0, 0.0, None)
            .contents(TextStr(&a.alt))
            .struct_parent(a.key);
        // `[page /XYZ left top null]`: a null zoom keeps the reader's (pdf-writer's
        // `xyz` writes 0, which means the same, but not every reader agrees).
        let top = PAGE_HEIGHT - (target.y - 12.0).max(0.0);
        annot
            .insert(Name(b"Dest"))
            .array()
            .item(to)
            .item(Name(b"XYZ"))
            .item(0.0)
            .item(top)
            .item(pdf_writer::Null);
    }
}

/// Write `layout` (made from `doc`) as a PDF.
pub fn emit(layout: &Layout, doc: &Document, opts: &PdfOptions) -> anyhow::Result<Vec<u8>> {
    if opts.standard == PdfStandard::A2b && opts.date.is_none() {
        anyhow::bail!(
            "PDF/A-2b needs a document date: give the agreement a date or set SOURCE_DATE_EPOCH"
        );
    }
    // About 11 KB a page compressed, plus fonts and structure: one allocation.
    let mut pdf = Pdf::with_capacity(64 * 1024 + 12 * 1024 * layout.pages.len());
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let page_tree = next.bump();
    let info = next.bump();
    let metadata = next.bump();
    let resources = next.bump();
    let outlines = next.bump();
    let font_refs: [Ref; 4] = std::array::from_fn(|_| next.bump());
    let page_refs: Vec<Ref> = layout.pages.iter().map(|_| next.bump()).collect();

    let fonts = FontSet::scan(layout);
    let owners = owners(layout);
    let mut marks: Vec<Option<Mark>> = vec![None; layout.content_count as usize];
    // The document id: a hash of everything drawn and said about it.
    let mut hash = Sha256::new();
    let mut w = ContentWriter::new(32 * 1024);
    let mut compressed = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut links: Vec<Link> = Vec::new();
    for (index, page) in layout.pages.iter().enumerate() {
        w.reset();
        let mut open: Option<Section> = None;
        let mut mcid = 0u32;
        for item in &page.items {
            let tag = item.tag();
            let section = Section::of(tag, &owners);
            if !open.is_some_and(|prev| prev.continued_by(section)) {
                if open.is_some() {
                    w.end_text();
                    w.end_marked();
                }
                match tag {
                    Tag::Content(_) => {
                        w.begin_content(mcid);
                        mcid += 1;
                    }
                    Tag::Artifact(kind) => w.begin_artifact(kind),
                }
            }
            open = Some(section);
            match item {
                Item::Text(t) => text(&mut w, &fonts, t),
                Item::Rule(r) => w.rect(r.x, r.y, r.width, r.height, r.color),
            }
            if let Tag::Content(id) = tag
                && let Some(slot) = marks.get_mut(id.0 as usize)
            {
                *slot = Some((index as u32, mcid - 1));
            }
        }
        w.end_text();
        if open.is_some() {
            w.end_marked();
        }
        let content = next.bump();
        deflate_into(&w.buf, CONTENT_LEVEL, Wrapper::Zlib, &mut compressed);
        // A zlib stream ends with the Adler-32 of its data: a free fingerprint.
        hash.update(
            compressed
                .get(compressed.len().saturating_sub(4)..)
                .unwrap_or_default(),
        );
        hash.update((w.buf.len() as u64).to_le_bytes());
        pdf.stream(content, &compressed).filter(Filter::FlateDecode);
        let first_field = fields.len();
        for item in &page.items {
            if let Item::Rule(rule) = item
                && let Some(mark) = &rule.field
            {
                fields.push(Field {
                    annot: next.bump(),
                    page: index as u32,
                    rule: rule.clone(),
                    name: unique_field_name(&mark.name, &fields),
                    node: mark.node,
                });
            }
        }
        let first_link = links.len();
        page_links(
            layout,
            &owners,
            &page.items,
            index as u32,
            &mut next,
            &mut links,
        );
        let mut p = pdf.page(page_refs[index]);
        if fields.len() > first_field || links.len() > first_link {
            p.annotations(
                links[first_link..]
                    .iter()
                    .map(|l| l.annot)
                    .chain(fields[first_field..].iter().map(|f| f.annot)),
            );
        }
        p.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(page_tree)
            .contents(content)
            .struct_parents(index as i32)
            .tab_order(TabOrder::StructureOrder)
            .pair(Name(b"Resources"), resources);
    }
    pdf.pages(page_tree)
        .kids(page_refs.iter().copied())
        .count(page_refs.len() as i32);

    fonts.write(&mut pdf, &mut next, &font_refs)?;
    let mut res = pdf.indirect(resources).start::<Resources>();
    let mut font_dict = res.fonts();
    for font in FontId::ALL {
        if fonts.used(font) {
            let name = format!("F{}", font as usize);
            font_dict.pair(Name(name.as_bytes()), font_refs[font as usize]);
        }
    }
    font_dict.finish();
    res.finish();

    let language = meta_text(&doc.language);
    let language = match language.trim() {
        "" => "en-US",
        lang => lang,
    };
    let annots: Vec<tags::Annot> = fields
        .iter()
        .enumerate()
        .map(|(k, f)| tags::Annot {
            annot: f.annot,
            page: f.page,
            node: f.node,
            key: (page_refs.len() + k) as i32,
            alt: format!("Signature field: {}", f.name),
            kind: AnnotKind::Field,
        })
        .collect();
    write_fields(&mut pdf, &mut next, &fields, &annots, &page_refs);
    let link_annots: Vec<tags::Annot> = links
        .iter()
        .enumerate()
        .map(|(k, l)| tags::Annot {
            annot: l.annot,
            page: l.page,
            node: l.node,
            key: (page_refs.len() + fields.len() + k) as i32,
            alt: format!("Go to {}", layout.links[l.target].title),
            kind: AnnotKind::Link,
        })
        .collect();
    write_links(&mut pdf, &links, &link_annots, layout, &page_refs);
    let mut annots = annots;
    annots.extend(link_annots);
    let struct_root = tags::write(
        &mut pdf, &mut next, layout, &marks, &page_refs, &annots, language,
    );

    // PDF/UA wants an outline; a title-only document gets one entry.
    let title_only;
    let entries = if layout.outline.is_empty() {
        title_only = [OutlineEntry {
            title: doc.title.clone(),
            page: 0,
            y: 12.0,
            children: Vec::new(),
        }];
        &title_only[..]
    } else {
        &layout.outline[..]
    };
    let top = write_outline(&mut pdf, &mut next, entries, outlines, &page_refs);
    let mut outline = pdf.outline(outlines);
    if let Some((first, last, count)) = top {
        outline.first(first).last(last).count(count);
    }
    outline.finish();

    // PDF/UA requires a title; fall back to the short title, then a generic one.
    let (title, short_title) = (meta_text(&doc.title), meta_text(&doc.short_title));
    let title = [title.trim(), short_title.trim()]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or("Agreement");
    let author = meta_text(&doc.parties.join(", ")).into_owned();
    let subject = meta_text(&doc.subject);
    let producer = meta_text(&opts.producer);
    for s in [title, &author, &subject, language, &producer] {
        hash.update(s.as_bytes());
    }
    let digest = hash.finalize();
    let id = digest.iter().take(16).fold(String::new(), |mut s, b| {
        s.push_str(&format!("{b:02x}"));
        s
    });
    let meta = Meta {
        title,
        author,
        subject: &subject,
        language,
        producer: &producer,
        date: opts.date,
        pages: page_refs.len() as u32,
        id: &id,
        standard: opts.standard,
    };

    let mut info_dict = pdf.document_info(info);
    info_dict
        .title(TextStr(meta.title))
        .author(TextStr(&meta.author))
        .subject(TextStr(meta.subject))
        .producer(TextStr(meta.producer))
        .creator(TextStr(meta.producer));
    if let Some(date) = meta.date {
        info_dict.creation_date(pdf_date(date));
        info_dict.modified_date(pdf_date(date));
    }
    info_dict.finish();

    let packet = xmp(&meta);
    pdf.metadata(metadata, packet.as_bytes());

    let intents = if opts.standard == PdfStandard::A2b {
        let profile = next.bump();
        pdf.icc_profile(profile, SRGB_ICC)
            .n(3)
            .range([0.0, 1.0, 0.0, 1.0, 0.0, 1.0]);
        Some(profile)
    } else {
        None
    };

    let mut cat = pdf.catalog(catalog);
    cat.pages(page_tree)
        .outlines(outlines)
        .metadata(metadata)
        .lang(TextStr(language))
        .pair(Name(b"StructTreeRoot"), struct_root);
    // No `/Suspects`: poppler reads any value there as the wrong type and says so on
    // every file; absent means false.
    cat.mark_info().marked(true);
    // The bookmarks pane open: an agreement is read by article.
    cat.page_mode(PageMode::UseOutlines);
    cat.viewer_preferences().display_doc_title(true);
    if !fields.is_empty() {
        cat.form().fields(fields.iter().map(|f| f.annot));
    }
    if let Some(profile) = intents {
        cat.output_intents()
            .push()
            .subtype(OutputIntentSubtype::PDFA)
            .output_condition_identifier(TextStr("sRGB"))
            .output_condition(TextStr("sRGB"))
            .info(TextStr("sRGB IEC61966-2.1"))
            .registry_name(TextStr(""))
            .dest_output_profile(profile);
    }
    cat.finish();

    pdf.set_file_id((digest[..16].to_vec(), digest[16..].to_vec()));
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fixture;
    use crate::render::pdf::layout;
    use crate::render::pdf::model::{Rgb, RuleItem};

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
                        field: None,
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
