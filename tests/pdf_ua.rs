//! PDF/UA-1 (and PDF/A-2b) structure of our PDFs, read back with lopdf.
//!
//! The writer used to be krilla, which validated PDF/UA-1 as it wrote. The writer on
//! pdf-writer validates nothing, so these tests check the machine-checkable conditions
//! of the Matterhorn protocol that an agreement can break: catalog and metadata, pages,
//! marked content, the parent tree, the structure tree, fonts and, for PDF/A-2b, the
//! output intent and identification. Every check collects all the problems of a file,
//! each naming its page or object, so one failing run shows the whole damage.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use lopdf::content::Content;
use lopdf::{Dictionary, Object, ObjectId};
use mou::document::{Align, Article, Block, Document, List, Run, Signatory, Style, Table};
use mou::render::pdf::{self, PdfOptions, PdfStandard, fixture};

/// A parsed PDF: lopdf's document plus, by page index, the page object ids.
struct Pdf {
    label: String,
    doc: lopdf::Document,
    pages: Vec<ObjectId>,
}

/// What [`check_ua`] learned about a file besides its problems.
#[derive(Default)]
struct Report {
    /// Every broken rule, each naming the file and its page or object.
    problems: Vec<String>,
    /// Heading levels (1–6) in document order.
    headings: Vec<u8>,
    /// How many elements have each standard role (after role mapping).
    roles: BTreeMap<String, usize>,
    /// By page: the content's marked-content analysis.
    pages: Vec<PageContent>,
    /// By page: the shown text, decoded through each font's `/ToUnicode`.
    text: Vec<String>,
}

/// The marked content of one page.
#[derive(Default)]
struct PageContent {
    /// MCID → the tag of its sequence.
    mcids: BTreeMap<i64, String>,
    /// Text shown: (font resource name, string bytes).
    shown: Vec<(Vec<u8>, Vec<u8>)>,
    /// Paths painted inside a `/Subtype /Watermark` artifact.
    watermark_paints: usize,
    /// Text-showing operators inside a `/Subtype /Watermark` artifact.
    watermark_texts: usize,
    /// Marked-content sequences that are watermark artifacts.
    watermark_sequences: usize,
}

fn options(standard: PdfStandard) -> PdfOptions {
    PdfOptions {
        standard,
        producer: "mou test".into(),
        date: Some((2022, 8, 9)),
    }
}

fn render(doc: &Document, standard: PdfStandard) -> Vec<u8> {
    pdf::render(doc, &options(standard)).unwrap_or_else(|e| panic!("render {standard:?}: {e}"))
}

fn load(label: &str, bytes: &[u8]) -> Pdf {
    let doc = lopdf::Document::load_mem(bytes)
        .unwrap_or_else(|e| panic!("{label}: lopdf cannot read the PDF: {e}"));
    let pages = doc.get_pages().into_values().collect();
    Pdf {
        label: label.to_string(),
        doc,
        pages,
    }
}

/// Fail with every problem found (the first 60 of them, and how many there were).
fn assert_clean(label: &str, problems: &[String]) {
    if problems.is_empty() {
        return;
    }
    let shown: Vec<&str> = problems.iter().take(60).map(String::as_str).collect();
    panic!(
        "{label}: {} PDF/UA problem(s):\n  {}{}",
        problems.len(),
        shown.join("\n  "),
        if problems.len() > shown.len() {
            "\n  …"
        } else {
            ""
        }
    );
}

// ---------------------------------------------------------------------------------
// Reading objects

impl Pdf {
    /// `obj`, with a reference followed; `None` for a dangling reference.
    fn resolve<'a>(&'a self, obj: &'a Object) -> Option<&'a Object> {
        self.doc.dereference(obj).ok().map(|(_, o)| o)
    }

    /// Entry `key` of `dict`, references followed.
    fn get<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        self.resolve(dict.get(key).ok()?)
    }

    /// The dictionary `obj` is or refers to (a stream's dictionary for a stream).
    fn dict<'a>(&'a self, obj: &'a Object) -> Option<&'a Dictionary> {
        match self.resolve(obj)? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    fn get_dict<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        self.dict(dict.get(key).ok()?)
    }

    fn get_name<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
        self.get(dict, key)?.as_name().ok()
    }

    fn get_int(&self, dict: &Dictionary, key: &[u8]) -> Option<i64> {
        self.get(dict, key)?.as_i64().ok()
    }

    fn by_id(&self, id: ObjectId) -> Option<&Dictionary> {
        match self.doc.get_object(id).ok()? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    /// The 1-based page number of page object `id`, for messages.
    fn page_number(&self, id: ObjectId) -> Option<usize> {
        self.pages.iter().position(|&p| p == id).map(|i| i + 1)
    }

    /// The page's resource dictionary, inherited from the page tree if need be.
    fn resources(&self, page: ObjectId) -> Option<&Dictionary> {
        let mut node = self.by_id(page)?;
        for _ in 0..64 {
            if let Some(res) = self.get_dict(node, b"Resources") {
                return Some(res);
            }
            node = self.get_dict(node, b"Parent")?;
        }
        None
    }
}

/// A PDF text string: UTF-16BE with a byte order mark, UTF-8 with one, or
/// PDFDocEncoding (read as Latin-1, which agrees on the printable ASCII we write).
fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16be(rest)
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    }
}

fn utf16be(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

fn name(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The text between `<tag>` and `</tag>` in `xml`, if present.
fn xml_element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(&xml[start..end])
}

/// Whether the XMP packet says `prefix:property` is `value`, as an element or as an
/// attribute (both are valid RDF).
fn xmp_says(xml: &str, property: &str, value: &str) -> bool {
    xml.contains(&format!("<{property}>{value}</{property}>"))
        || xml.contains(&format!("{property}=\"{value}\""))
}

// ---------------------------------------------------------------------------------
// 1. Catalog, info and metadata

/// The document catalog says it is tagged, in which language, with which title shown,
/// and carries PDF/UA identification in uncompressed XMP (Matterhorn 01-001, 06-00x,
/// 07-001, 11-001).
fn check_catalog(pdf: &Pdf, problems: &mut Vec<String>) {
    let mut p = |m: String| problems.push(format!("catalog: {m}"));
    let Ok(catalog) = pdf.doc.catalog() else {
        p("no document catalog".into());
        return;
    };
    match pdf.get_dict(catalog, b"MarkInfo") {
        Some(mark) => {
            if pdf.get(mark, b"Marked").and_then(|m| m.as_bool().ok()) != Some(true) {
                p("/MarkInfo /Marked is not true".into());
            }
            if pdf.get(mark, b"Suspects").and_then(|m| m.as_bool().ok()) == Some(true) {
                p("/MarkInfo /Suspects is true".into());
            }
        }
        None => p("no /MarkInfo".into()),
    }
    match pdf.get(catalog, b"Lang").and_then(|l| l.as_str().ok()) {
        Some(lang) if !text_string(lang).trim().is_empty() => {}
        Some(_) => p("/Lang is empty".into()),
        None => p("no /Lang string".into()),
    }
    match pdf.get_dict(catalog, b"StructTreeRoot") {
        Some(root) if pdf.get_name(root, b"Type") == Some(b"StructTreeRoot") => {}
        Some(_) => p("/StructTreeRoot is not of /Type /StructTreeRoot".into()),
        None => p("no /StructTreeRoot".into()),
    }
    let shows_title = pdf
        .get_dict(catalog, b"ViewerPreferences")
        .and_then(|v| pdf.get(v, b"DisplayDocTitle"))
        .and_then(|d| d.as_bool().ok());
    if shows_title != Some(true) {
        p("/ViewerPreferences /DisplayDocTitle is not true".into());
    }

    let title = pdf
        .doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|i| pdf.dict(i))
        .and_then(|info| pdf.get(info, b"Title"))
        .and_then(|t| t.as_str().ok())
        .map(text_string);
    match &title {
        Some(t) if !t.trim().is_empty() => {}
        Some(_) => p("the info dictionary's /Title is empty".into()),
        None => p("no /Title in the trailer's /Info".into()),
    }

    let metadata = match pdf.get(catalog, b"Metadata") {
        Some(Object::Stream(s)) => s,
        _ => {
            p("no /Metadata stream".into());
            return;
        }
    };
    if metadata.dict.has(b"Filter") {
        p("the /Metadata stream is compressed; XMP must be readable as is".into());
    }
    if pdf.get_name(&metadata.dict, b"Type") != Some(b"Metadata")
        || pdf.get_name(&metadata.dict, b"Subtype") != Some(b"XML")
    {
        p("the /Metadata stream is not /Type /Metadata /Subtype /XML".into());
    }
    let Ok(xmp) = String::from_utf8(metadata.content.clone()) else {
        p("the XMP packet is not UTF-8".into());
        return;
    };
    if !xmp_says(&xmp, "pdfuaid:part", "1") {
        p("XMP has no pdfuaid:part 1".into());
    }
    match (xml_element(&xmp, "dc:title"), &title) {
        (None, _) => p("XMP has no dc:title".into()),
        (Some(dc), Some(t)) if !dc.contains(&xml_escape(t.trim())) => p(format!(
            "XMP dc:title {dc:?} does not hold the /Title {t:?}"
        )),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------
// 2. Pages

/// Every page names its parent-tree entry and tabs in structure order (Matterhorn
/// 01-00x needs `/StructParents` for pages with marked content; 28-011 `/Tabs /S`).
/// Returns each page's `/StructParents` key.
fn check_pages(pdf: &Pdf, problems: &mut Vec<String>) -> Vec<Option<i64>> {
    let mut keys = Vec::new();
    let mut seen = HashMap::new();
    for (i, &id) in pdf.pages.iter().enumerate() {
        let n = i + 1;
        let Some(page) = pdf.by_id(id) else {
            problems.push(format!("page {n} {id:?}: not a dictionary"));
            keys.push(None);
            continue;
        };
        let key = pdf.get_int(page, b"StructParents");
        match key {
            Some(k) => {
                if let Some(other) = seen.insert(k, n) {
                    problems.push(format!(
                        "page {n} {id:?}: /StructParents {k} is also page {other}'s"
                    ));
                }
            }
            None => problems.push(format!("page {n} {id:?}: no integer /StructParents")),
        }
        keys.push(key);
        if pdf.get_name(page, b"Tabs") != Some(b"S") {
            problems.push(format!("page {n} {id:?}: /Tabs is not /S"));
        }
    }
    keys
}

// ---------------------------------------------------------------------------------
// 3. Content streams

/// Text-showing operators.
const SHOW: [&str; 4] = ["Tj", "TJ", "'", "\""];
/// Operators that put marks on the page other than text: path painting, shadings,
/// XObjects and inline images (`n` ends a path without painting it).
const PAINT: [&str; 13] = [
    "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do", "BI", "EI",
];

/// Operators a text object (`BT` … `ET`) must not contain (PDF 1.7, figure 9): the
/// special graphics state, path construction and painting.
const NOT_IN_TEXT: [&str; 10] = ["q", "Q", "cm", "m", "l", "c", "v", "y", "h", "re"];

/// One open marked-content sequence.
struct Marked {
    tag: String,
    mcid: Option<i64>,
    artifact: bool,
    watermark: bool,
}

/// Walk a page's content: everything drawn is inside an MCID sequence or an artifact,
/// never both (Matterhorn 01-003/4/5); marked content and text objects nest properly
/// and balance; no MCID repeats.
fn check_content(pdf: &Pdf, index: usize, problems: &mut Vec<String>) -> PageContent {
    let n = index + 1;
    let id = pdf.pages[index];
    let mut out = PageContent::default();
    let mut p = |m: String| problems.push(format!("page {n} {id:?} content: {m}"));
    let data = pdf.doc.get_page_content(id);
    if data.is_empty() {
        p("empty or unreadable content stream".into());
        return out;
    }
    let content = match Content::decode_strict(&data) {
        Ok(c) => c,
        Err(e) => {
            p(format!("cannot be parsed: {e}"));
            return out;
        }
    };
    let properties = pdf
        .resources(id)
        .and_then(|r| pdf.get_dict(r, b"Properties"));

    let mut stack: Vec<Marked> = Vec::new();
    // Inside BT: the marked-content depth when it opened.
    let mut text_at: Option<usize> = None;
    let mut fonts: Vec<Option<Vec<u8>>> = vec![None];
    for (k, op) in content.operations.iter().enumerate() {
        let o = op.operator.as_str();
        let at = format!("operator #{k} `{o}`");
        match o {
            "BDC" | "BMC" => {
                let tag = op
                    .operands
                    .first()
                    .and_then(|t| t.as_name().ok())
                    .map(name)
                    .unwrap_or_default();
                let props = match op.operands.get(1) {
                    Some(Object::Name(res)) => {
                        properties.and_then(|ps| pdf.get_dict(ps, res.as_slice()))
                    }
                    Some(obj) if o == "BDC" => pdf.dict(obj),
                    _ => None,
                };
                if o == "BDC" && props.is_none() {
                    p(format!("{at}: no properties dictionary"));
                }
                let mcid = props.and_then(|d| pdf.get_int(d, b"MCID"));
                let artifact = tag == "Artifact";
                let watermark = artifact
                    && props.and_then(|d| pdf.get_name(d, b"Subtype")) == Some(b"Watermark");
                if artifact && mcid.is_some() {
                    p(format!("{at}: an /Artifact sequence with an /MCID"));
                }
                if let Some(m) = mcid {
                    if stack.iter().any(|s| s.artifact) {
                        p(format!("{at}: tagged MCID {m} inside an artifact"));
                    }
                    if let Some(outer) = stack.iter().find_map(|s| s.mcid) {
                        p(format!("{at}: MCID {m} nested inside MCID {outer}"));
                    }
                    if out.mcids.insert(m, tag.clone()).is_some() {
                        p(format!("{at}: MCID {m} used twice"));
                    }
                }
                if artifact && let Some(outer) = stack.iter().find_map(|s| s.mcid) {
                    p(format!("{at}: an artifact inside tagged MCID {outer}"));
                }
                if watermark {
                    out.watermark_sequences += 1;
                }
                let watermark = watermark || stack.last().is_some_and(|s| s.watermark);
                stack.push(Marked {
                    tag,
                    mcid,
                    artifact,
                    watermark,
                });
            }
            "EMC" => {
                if stack.is_empty() {
                    p(format!("{at}: EMC without an open sequence"));
                } else if text_at == Some(stack.len()) {
                    p(format!(
                        "{at}: closes /{} which was opened outside the current BT",
                        stack.last().map_or("", |s| s.tag.as_str())
                    ));
                }
                stack.pop();
            }
            "BT" => {
                if text_at.is_some() {
                    p(format!("{at}: BT inside a text object"));
                }
                text_at = Some(stack.len());
            }
            "ET" => match text_at.take() {
                None => p(format!("{at}: ET without BT")),
                Some(depth) if depth != stack.len() => p(format!(
                    "{at}: BT at marked-content depth {depth}, ET at depth {}",
                    stack.len()
                )),
                Some(_) => {}
            },
            "q" => fonts.push(fonts.last().cloned().flatten()),
            "Q" => {
                if fonts.len() == 1 {
                    p(format!("{at}: Q without q"));
                } else {
                    fonts.pop();
                }
            }
            "Tf" => {
                let font = op.operands.first().and_then(|f| f.as_name().ok());
                if let Some(last) = fonts.last_mut() {
                    *last = font.map(<[u8]>::to_vec);
                }
            }
            _ => {}
        }
        if text_at.is_some() && (NOT_IN_TEXT.contains(&o) || PAINT.contains(&o)) {
            p(format!("{at}: not allowed inside a text object"));
        }
        let shows = SHOW.contains(&o);
        if !shows && !PAINT.contains(&o) {
            continue;
        }
        let tagged = stack.iter().any(|s| s.mcid.is_some());
        let artifact = stack.iter().any(|s| s.artifact);
        if !tagged && !artifact {
            let open: Vec<&str> = stack.iter().map(|s| s.tag.as_str()).collect();
            p(format!(
                "{at}: neither tagged (MCID) nor an artifact (open: {open:?})"
            ));
        }
        let watermark = stack.last().is_some_and(|s| s.watermark);
        if shows {
            if text_at.is_none() {
                p(format!("{at}: text shown outside BT/ET"));
            }
            if watermark {
                out.watermark_texts += 1;
            }
            let font = fonts.last().cloned().flatten();
            let Some(font) = font else {
                p(format!("{at}: text shown with no font selected"));
                continue;
            };
            let strings: Vec<&[u8]> = match (o, op.operands.as_slice()) {
                ("TJ", [Object::Array(items)]) => {
                    items.iter().filter_map(|i| i.as_str().ok()).collect()
                }
                ("Tj" | "'", [s]) | ("\"", [_, _, s]) => s.as_str().ok().into_iter().collect(),
                _ => {
                    p(format!("{at}: unexpected operands {:?}", op.operands));
                    Vec::new()
                }
            };
            for s in strings {
                out.shown.push((font.clone(), s.to_vec()));
            }
        } else if watermark {
            out.watermark_paints += 1;
        }
    }
    if !stack.is_empty() {
        let open: Vec<&str> = stack.iter().map(|s| s.tag.as_str()).collect();
        p(format!("marked content left open at the end: {open:?}"));
    }
    if text_at.is_some() {
        p("BT left open at the end".into());
    }
    if fonts.len() != 1 {
        p(format!("{} q left unrestored at the end", fonts.len() - 1));
    }
    out
}

// ---------------------------------------------------------------------------------
// 4 and 5. Structure tree and parent tree

/// The standard structure types of PDF 1.7 (14.8.4).
const STANDARD_ROLES: [&str; 49] = [
    "Document",
    "Part",
    "Art",
    "Sect",
    "Div",
    "BlockQuote",
    "Caption",
    "TOC",
    "TOCI",
    "Index",
    "NonStruct",
    "Private",
    "P",
    "H",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "L",
    "LI",
    "Lbl",
    "LBody",
    "Table",
    "TR",
    "TH",
    "TD",
    "THead",
    "TBody",
    "TFoot",
    "Span",
    "Quote",
    "Note",
    "Reference",
    "BibEntry",
    "Code",
    "Link",
    "Annot",
    "Ruby",
    "RB",
    "RT",
    "RP",
    "Warichu",
    "WT",
    "WP",
    "Figure",
    "Formula",
    "Form",
];

fn is_standard(role: &str) -> bool {
    STANDARD_ROLES.contains(&role)
}

/// The entries of a number tree (`/Nums`, or `/Kids` of number trees).
fn number_tree<'a>(pdf: &'a Pdf, node: &'a Dictionary, out: &mut BTreeMap<i64, &'a Object>) {
    if let Some(nums) = pdf.get(node, b"Nums").and_then(|n| n.as_array().ok()) {
        for pair in nums.chunks(2) {
            if let [key, value] = pair
                && let Ok(key) = key.as_i64()
            {
                out.insert(key, value);
            }
        }
    }
    if let Some(kids) = pdf.get(node, b"Kids").and_then(|k| k.as_array().ok()) {
        for kid in kids {
            if let Some(kid) = pdf.dict(kid) {
                number_tree(pdf, kid, out);
            }
        }
    }
}

/// The items of a `/K` or `/A` entry, which may be one object or an array of them.
fn one_or_many<'a>(pdf: &'a Pdf, obj: Option<&'a Object>) -> Vec<&'a Object> {
    match obj.and_then(|o| pdf.resolve(o)) {
        Some(Object::Array(items)) => items.iter().collect(),
        Some(_) => obj.into_iter().collect(),
        None => Vec::new(),
    }
}

/// Walks the structure tree from the root, depth first in document order.
struct TreeWalk<'a> {
    pdf: &'a Pdf,
    root: ObjectId,
    role_map: Option<&'a Dictionary>,
    problems: Vec<String>,
    visited: HashSet<ObjectId>,
    /// (page object, MCID) → the element whose `/K` holds it.
    claimed: HashMap<(ObjectId, i64), ObjectId>,
    /// Heading levels in document order, each with its element and `/T` for messages.
    headings: Vec<(u8, String)>,
    roles: BTreeMap<String, usize>,
}

impl<'a> TreeWalk<'a> {
    /// The standard role `role` stands for, through the role map.
    fn standard_role(&self, role: &str) -> Option<String> {
        let mut role = role.to_string();
        for _ in 0..16 {
            if is_standard(&role) {
                return Some(role);
            }
            let mapped = self
                .role_map
                .and_then(|m| self.pdf.get_name(m, role.as_bytes()))?;
            role = name(mapped);
        }
        None
    }

    fn element(&mut self, id: ObjectId, parent: ObjectId, parent_role: &str) {
        let pdf = self.pdf;
        let here = format!("StructElem {id:?}");
        if !self.visited.insert(id) {
            self.problems
                .push(format!("{here}: listed twice in the structure tree"));
            return;
        }
        let Some(elem) = pdf.by_id(id) else {
            self.problems.push(format!("{here}: not a dictionary"));
            return;
        };
        match elem.get(b"P").ok().and_then(|p| p.as_reference().ok()) {
            Some(p) if p == parent => {}
            Some(p) => self
                .problems
                .push(format!("{here}: /P is {p:?} but it is a kid of {parent:?}")),
            None => self
                .problems
                .push(format!("{here}: no /P reference to its parent")),
        }
        let Some(raw_role) = pdf.get_name(elem, b"S").map(name) else {
            self.problems.push(format!("{here}: no /S"));
            return;
        };
        let here = format!("{here} /{raw_role}");
        let role = match self.standard_role(&raw_role) {
            Some(r) => r,
            None => {
                self.problems.push(format!(
                    "{here}: not a standard role and not role-mapped to one"
                ));
                raw_role.clone()
            }
        };
        *self.roles.entry(role.clone()).or_default() += 1;
        if let Some(level) = role
            .strip_prefix('H')
            .and_then(|l| l.parse::<u8>().ok())
            .filter(|l| (1..=6).contains(l))
        {
            let title = pdf
                .get(elem, b"T")
                .and_then(|t| t.as_str().ok())
                .map(text_string)
                .unwrap_or_default();
            self.headings.push((level, format!("{id:?} {title:?}")));
        }
        self.role_rules(elem, &here, &role, parent_role);

        let page = elem.get(b"Pg").ok().and_then(|p| p.as_reference().ok());
        if let Some(pg) = page
            && pdf.page_number(pg).is_none()
        {
            self.problems
                .push(format!("{here}: /Pg {pg:?} is not a page"));
        }
        for kid in one_or_many(pdf, elem.get(b"K").ok()) {
            match kid {
                Object::Integer(mcid) => match page {
                    Some(pg) => self.claim(id, &here, pg, *mcid),
                    None => self
                        .problems
                        .push(format!("{here}: MCID {mcid} as a kid but no /Pg")),
                },
                Object::Reference(kid_id) => {
                    let Some(kid) = pdf.by_id(*kid_id) else {
                        self.problems
                            .push(format!("{here}: kid {kid_id:?} is not a dictionary"));
                        continue;
                    };
                    match pdf.get_name(kid, b"Type") {
                        Some(b"MCR") => self.mcr(id, &here, kid, page),
                        Some(b"OBJR") => {}
                        _ => self.element(*kid_id, id, &role),
                    }
                }
                Object::Dictionary(kid) => match pdf.get_name(kid, b"Type") {
                    Some(b"MCR") => self.mcr(id, &here, kid, page),
                    Some(b"OBJR") => {}
                    _ => self.problems.push(format!(
                        "{here}: a direct kid dictionary that is neither MCR nor OBJR"
                    )),
                },
                other => self
                    .problems
                    .push(format!("{here}: unexpected kid {other:?}")),
            }
        }
    }

    /// A marked-content reference kid: `<< /Type /MCR /MCID n /Pg page >>`.
    fn mcr(&mut self, id: ObjectId, here: &str, mcr: &Dictionary, page: Option<ObjectId>) {
        if mcr.has(b"Stm") {
            self.problems.push(format!(
                "{here}: an MCR into a content stream other than the page's (not written by us)"
            ));
            return;
        }
        let page = mcr
            .get(b"Pg")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .or(page);
        match (page, self.pdf.get_int(mcr, b"MCID")) {
            (Some(pg), Some(mcid)) => self.claim(id, here, pg, mcid),
            (None, _) => self
                .problems
                .push(format!("{here}: an MCR with no /Pg here or on the element")),
            (_, None) => self
                .problems
                .push(format!("{here}: an MCR with no integer /MCID")),
        }
    }

    fn claim(&mut self, id: ObjectId, here: &str, page: ObjectId, mcid: i64) {
        if let Some(other) = self.claimed.insert((page, mcid), id)
            && other != id
        {
            self.problems.push(format!(
                "{here}: MCID {mcid} on page {page:?} is also a kid of {other:?}"
            ));
        }
    }

    /// Attributes and parents that the role itself demands (Matterhorn 15-003 table
    /// header scope, 16-00x lists, 09-004 table rows, 13-004 alternative text).
    fn role_rules(&mut self, elem: &Dictionary, here: &str, role: &str, parent_role: &str) {
        let pdf = self.pdf;
        let attributes: Vec<&Dictionary> = one_or_many(pdf, elem.get(b"A").ok())
            .into_iter()
            .filter_map(|a| pdf.dict(a))
            .collect();
        // Attribute `key` of the attribute dictionaries owned by `owner`.
        let attribute = |owner: &[u8], key: &[u8]| {
            attributes
                .iter()
                .filter(|a| pdf.get_name(a, b"O") == Some(owner))
                .find_map(|a| pdf.get_name(a, key))
        };
        match role {
            "TH" => {
                let scope = attribute(b"Table", b"Scope");
                if !matches!(scope, Some(b"Row" | b"Column" | b"Both")) {
                    self.problems.push(format!(
                        "{here}: no /A << /O /Table /Scope /Row|/Column|/Both >>"
                    ));
                }
            }
            "L" if attribute(b"List", b"ListNumbering").is_none() => {
                self.problems
                    .push(format!("{here}: no /A << /O /List /ListNumbering … >>"));
            }
            "Figure" | "Formula" if !elem.has(b"Alt") && !elem.has(b"ActualText") => {
                self.problems
                    .push(format!("{here}: no /Alt or /ActualText"));
            }
            _ => {}
        }
        let parents: &[&str] = match role {
            "TR" => &["Table", "THead", "TBody", "TFoot"],
            "TH" | "TD" => &["TR"],
            "THead" | "TBody" | "TFoot" => &["Table"],
            "LI" => &["L"],
            "Lbl" | "LBody" => &["LI"],
            _ => &[],
        };
        if !parents.is_empty() && !parents.contains(&parent_role) {
            self.problems.push(format!(
                "{here}: inside /{parent_role}, expected inside one of {parents:?}"
            ));
        }
    }
}

/// The structure tree and the parent tree agree with each other and with the marked
/// content of every page (Matterhorn 01-00x, 02-00x, 14-00x, 15-003, 16-00x).
fn check_structure(pdf: &Pdf, keys: &[Option<i64>], contents: &[PageContent], report: &mut Report) {
    let problems = &mut report.problems;
    let Some(root_obj) = pdf
        .doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"StructTreeRoot").ok())
    else {
        return; // reported with the catalog
    };
    let Some(root) = pdf.dict(root_obj) else {
        problems.push("StructTreeRoot: not a dictionary".into());
        return;
    };
    let Ok(root_id) = root_obj.as_reference() else {
        problems.push("StructTreeRoot: not an indirect object".into());
        return;
    };
    let role_map = pdf.get_dict(root, b"RoleMap");
    if let Some(map) = role_map {
        for (from, to) in map.iter() {
            let from = name(from);
            if is_standard(&from) {
                problems.push(format!(
                    "RoleMap: the standard role /{from} is remapped (to {to:?})"
                ));
            }
        }
    }
    match pdf.get_int(root, b"ParentTreeNextKey") {
        Some(k) if k == pdf.pages.len() as i64 => {}
        other => problems.push(format!(
            "StructTreeRoot: /ParentTreeNextKey is {other:?}, expected {} (the page count)",
            pdf.pages.len()
        )),
    }

    let mut walk = TreeWalk {
        pdf,
        root: root_id,
        role_map,
        problems: Vec::new(),
        visited: HashSet::new(),
        claimed: HashMap::new(),
        headings: Vec::new(),
        roles: BTreeMap::new(),
    };
    let tops = one_or_many(pdf, root.get(b"K").ok());
    if tops.is_empty() {
        walk.problems
            .push("StructTreeRoot: no /K (an empty structure tree)".into());
    }
    for top in tops {
        match top.as_reference() {
            Ok(id) => walk.element(id, walk.root, "StructTreeRoot"),
            Err(_) => walk
                .problems
                .push(format!("StructTreeRoot: kid {top:?} is not a reference")),
        }
    }
    problems.append(&mut walk.problems);

    // Every element in the file is in the tree, so its /P chain reaches the root.
    for (&id, obj) in &pdf.doc.objects {
        if let Object::Dictionary(d) = obj
            && d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"StructElem")
            && !walk.visited.contains(&id)
        {
            problems.push(format!(
                "StructElem {id:?}: not reachable from the StructTreeRoot"
            ));
        }
    }

    // Headings: the first is H1 and none skips a level going down (Matterhorn 14-002/3).
    if let Some((first, what)) = walk.headings.first()
        && *first != 1
    {
        problems.push(format!(
            "headings: the first heading, {what}, is H{first}, not H1"
        ));
    }
    for pair in walk.headings.windows(2) {
        let [(before, prev), (level, what)] = pair else {
            continue;
        };
        if *level > before + 1 {
            problems.push(format!(
                "headings: H{level} {what} follows H{before} {prev} (a level skipped)"
            ));
        }
    }

    // The parent tree maps each page's MCIDs back to the elements that claim them.
    let mut nums = BTreeMap::new();
    if let Some(tree) = pdf.get_dict(root, b"ParentTree") {
        number_tree(pdf, tree, &mut nums);
    } else {
        problems.push("StructTreeRoot: no /ParentTree".into());
    }
    for (i, &page) in pdf.pages.iter().enumerate() {
        let n = i + 1;
        let mcids = &contents[i].mcids;
        let Some(key) = keys[i] else { continue };
        let array = nums
            .get(&key)
            .and_then(|a| pdf.resolve(a))
            .and_then(|a| a.as_array().ok());
        let Some(array) = array else {
            if !mcids.is_empty() {
                problems.push(format!(
                    "page {n}: no parent-tree array under /StructParents {key}"
                ));
            }
            continue;
        };
        for (&mcid, tag) in mcids {
            let owner = usize::try_from(mcid)
                .ok()
                .and_then(|m| array.get(m))
                .and_then(|o| o.as_reference().ok());
            let claimed = walk.claimed.get(&(page, mcid)).copied();
            match (owner, claimed) {
                (None, _) => problems.push(format!(
                    "page {n}: parent tree entry {mcid} (/{tag}) is not a reference"
                )),
                (Some(o), None) => problems.push(format!(
                    "page {n}: MCID {mcid} (/{tag}) is owned by {o:?} in the parent tree \
                     but no structure element has it as a kid"
                )),
                (Some(o), Some(c)) if o != c => problems.push(format!(
                    "page {n}: MCID {mcid} (/{tag}) is owned by {o:?} in the parent tree \
                     but is a kid of {c:?}"
                )),
                _ => {}
            }
        }
        for (mcid, entry) in array.iter().enumerate() {
            if !entry.is_null() && !mcids.contains_key(&(mcid as i64)) {
                problems.push(format!(
                    "page {n}: parent tree entry {mcid} is {entry:?} but the page has no MCID {mcid}"
                ));
            }
        }
    }
    for (&(page, mcid), elem) in &walk.claimed {
        let known = pdf
            .page_number(page)
            .map(|n| contents[n - 1].mcids.contains_key(&mcid));
        if known != Some(true) {
            problems.push(format!(
                "StructElem {elem:?}: kid MCID {mcid} on page {page:?} (page number {:?}) \
                 is not in that page's content",
                pdf.page_number(page)
            ));
        }
    }
    report.headings = walk.headings.iter().map(|(level, _)| *level).collect();
    report.roles = walk.roles;
}

// ---------------------------------------------------------------------------------
// 6. Fonts

/// What a font says about its codes: their text, widths and glyphs.
struct FontInfo {
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
fn parse_to_unicode(cmap: &str, problems: &mut Vec<String>) -> HashMap<u16, String> {
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
fn check_page_text(
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
fn check_all_fonts(pdf: &Pdf, fonts: &mut HashMap<ObjectId, FontInfo>, problems: &mut Vec<String>) {
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

// ---------------------------------------------------------------------------------
// All of PDF/UA, and PDF/A-2b

/// Checks 1–6: everything PDF/UA-1 asks of a file we write.
fn check_ua(pdf: &Pdf) -> Report {
    let mut report = Report::default();
    let label = &pdf.label;
    if pdf.pages.is_empty() {
        report.problems.push("no pages".into());
    }
    check_catalog(pdf, &mut report.problems);
    let keys = check_pages(pdf, &mut report.problems);
    let contents: Vec<PageContent> = (0..pdf.pages.len())
        .map(|i| check_content(pdf, i, &mut report.problems))
        .collect();
    check_structure(pdf, &keys, &contents, &mut report);
    let mut fonts = HashMap::new();
    check_all_fonts(pdf, &mut fonts, &mut report.problems);
    for (i, content) in contents.iter().enumerate() {
        let text = check_page_text(pdf, i, content, &mut fonts, &mut report.problems);
        report.text.push(text);
        if content.watermark_texts > 0 {
            report.problems.push(format!(
                "page {}: {} text operator(s) inside a watermark artifact",
                i + 1,
                content.watermark_texts
            ));
        }
    }
    report.pages = contents;
    for p in &mut report.problems {
        *p = format!("{label}: {p}");
    }
    report
}

/// Check 7: PDF/A-2b identification, output intent and file identifier, and the info
/// dictionary agreeing with the XMP (PDF/A-2 6.2.3, 6.6.2.x, 6.6.3, 6.1.3).
fn check_pdfa2b(pdf: &Pdf) -> Vec<String> {
    let mut problems = Vec::new();
    let mut p = |m: String| problems.push(format!("{}: PDF/A-2b: {m}", pdf.label));
    let Ok(catalog) = pdf.doc.catalog() else {
        p("no catalog".into());
        return problems;
    };
    let intents = pdf
        .get(catalog, b"OutputIntents")
        .and_then(|o| o.as_array().ok());
    let pdfa = intents
        .into_iter()
        .flatten()
        .filter_map(|i| pdf.dict(i))
        .find(|i| pdf.get_name(i, b"S") == Some(b"GTS_PDFA1"));
    match pdfa {
        None => p("no /OutputIntents entry with /S /GTS_PDFA1".into()),
        Some(intent) => {
            if pdf
                .get(intent, b"OutputConditionIdentifier")
                .and_then(|o| o.as_str().ok())
                .is_none()
            {
                p("the output intent has no /OutputConditionIdentifier".into());
            }
            match pdf.get(intent, b"DestOutputProfile") {
                Some(Object::Stream(icc)) => {
                    if pdf.get_int(&icc.dict, b"N") != Some(3) {
                        p("the /DestOutputProfile is not /N 3".into());
                    }
                    match icc.decompressed_content() {
                        Ok(data) => {
                            if data.get(16..20) != Some(b"RGB ")
                                || data.get(36..40) != Some(b"acsp")
                            {
                                p("the /DestOutputProfile is not an RGB ICC profile".into());
                            }
                        }
                        Err(e) => p(format!("the ICC profile cannot be decompressed: {e}")),
                    }
                }
                _ => p("no /DestOutputProfile ICC stream".into()),
            }
        }
    }
    match pdf
        .doc
        .trailer
        .get(b"ID")
        .ok()
        .and_then(|i| i.as_array().ok())
    {
        Some(ids)
            if ids.len() == 2 && ids.iter().all(|i| i.as_str().is_ok_and(|s| !s.is_empty())) => {}
        other => p(format!(
            "the trailer /ID is {other:?}, not two non-empty strings"
        )),
    }
    let xmp = match pdf.get(catalog, b"Metadata") {
        Some(Object::Stream(s)) => String::from_utf8_lossy(&s.content).into_owned(),
        _ => {
            p("no /Metadata stream".into());
            return problems;
        }
    };
    if !xmp_says(&xmp, "pdfaid:part", "2") {
        p("XMP has no pdfaid:part 2".into());
    }
    if !xmp_says(&xmp, "pdfaid:conformance", "B") {
        p("XMP has no pdfaid:conformance B".into());
    }
    // pdfuaid is not a schema PDF/A knows, so it needs an extension schema description.
    if xmp.contains("pdfuaid:") {
        let described = xml_element(&xmp, "pdfaExtension:schemas")
            .is_some_and(|s| s.contains("http://www.aiim.org/pdfua/ns/id/"));
        if !described {
            p("pdfuaid is used without a pdfaExtension schema for it".into());
        }
    }
    let info = pdf.doc.trailer.get(b"Info").ok().and_then(|i| pdf.dict(i));
    for (key, element) in [
        (&b"Title"[..], "dc:title"),
        (b"Author", "dc:creator"),
        (b"Subject", "dc:description"),
        (b"Producer", "pdf:Producer"),
    ] {
        let Some(value) = info
            .and_then(|i| pdf.get(i, key))
            .and_then(|v| v.as_str().ok())
            .map(text_string)
        else {
            continue;
        };
        let agrees = xml_element(&xmp, element).is_some_and(|x| x.contains(&xml_escape(&value)));
        if !agrees {
            p(format!(
                "the info /{} {value:?} is not the XMP {element}",
                name(key)
            ));
        }
    }
    problems
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Check 8: a draft carries its watermark on every page as artifact shapes, never as
/// text, so it is neither read aloud nor extracted.
fn check_watermark(pdf: &Pdf, report: &Report, draft: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, page) in report.pages.iter().enumerate() {
        let n = i + 1;
        let label = &pdf.label;
        if draft {
            if page.watermark_sequences == 0 || page.watermark_paints == 0 {
                problems.push(format!(
                    "{label}: page {n}: no watermark artifact with painted shapes \
                     ({} sequences, {} paints)",
                    page.watermark_sequences, page.watermark_paints
                ));
            }
        } else if page.watermark_sequences > 0 {
            problems.push(format!(
                "{label}: page {n}: a final document has a watermark"
            ));
        }
        if page.watermark_texts > 0 {
            problems.push(format!("{label}: page {n}: watermark drawn as text"));
        }
        if report.text[i].contains("DRAFT") {
            problems.push(format!(
                "{label}: page {n}: \"DRAFT\" is in the page's text"
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------
// Tests

#[test]
fn the_fixture_agreement_is_pdf_ua() {
    let doc = fixture::agreement();
    let pdf = load("fixture agreement", &render(&doc, PdfStandard::Ua1));
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    assert_eq!(pdf.pages.len(), pdf::layout::layout(&doc).pages.len());

    // The checks above saw what they were meant to check.
    assert!(
        report.headings.iter().filter(|&&h| h == 1).count() >= doc.articles.len() - 1,
        "one H1 per article expected, headings {:?}",
        report.headings
    );
    assert!(report.headings.contains(&2), "{:?}", report.headings);
    for role in [
        "Document", "Sect", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD",
    ] {
        assert!(
            report.roles.contains_key(role),
            "no /{role} in {:?}",
            report.roles
        );
    }
    for (i, page) in report.pages.iter().enumerate() {
        assert!(!page.mcids.is_empty(), "page {}: no tagged content", i + 1);
        assert!(!page.shown.is_empty(), "page {}: no text", i + 1);
    }
    let text = squeeze(&report.text.concat());
    for phrase in [
        doc.title.as_str(),
        "King Philip Middle School",
        "$127,400.00",
    ] {
        assert!(
            text.contains(&squeeze(phrase)),
            "{phrase:?} is not in the text the ToUnicode maps give"
        );
    }
    assert_clean(&pdf.label, &check_watermark(&pdf, &report, false));
}

#[test]
fn the_draft_watermark_is_an_artifact_and_not_text() {
    let pdf = load(
        "fixture draft",
        &render(&fixture::draft_agreement(), PdfStandard::Ua1),
    );
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    assert_clean(&pdf.label, &check_watermark(&pdf, &report, true));
    // The text is decoded (so "DRAFT" would have been seen were it text).
    let text = squeeze(&report.text.concat());
    assert!(
        text.contains("SchoolResourceOfficerAgreement"),
        "{text:.200}"
    );
}

#[test]
fn the_fixture_as_pdf_a2b_is_also_pdf_ua() {
    let pdf = load(
        "fixture PDF/A-2b",
        &render(&fixture::agreement(), PdfStandard::A2b),
    );
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    assert_clean(&pdf.label, &check_pdfa2b(&pdf));
}

#[test]
fn a_plain_ua1_file_is_not_taken_for_pdf_a() {
    // The PDF/A check must tell the two standards apart.
    let pdf = load(
        "fixture PDF/UA-1",
        &render(&fixture::agreement(), PdfStandard::Ua1),
    );
    let problems = check_pdfa2b(&pdf);
    for needle in ["GTS_PDFA1", "pdfaid:part 2", "pdfaid:conformance B"] {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "a PDF/UA-1-only file passed the PDF/A {needle} check: {problems:?}"
        );
    }
}

/// `mou build profiles -f pdf --pdf-standard <standard>` into a fresh folder: the
/// folder (kept alive) and, for each profile, its name and PDF.
fn build_profiles(standard: &str) -> (tempfile::TempDir, Vec<(String, PathBuf)>) {
    let dir = tempfile::tempdir().expect("temporary directory");
    common::mou()
        .args([
            "build",
            "profiles",
            "-q",
            "-f",
            "pdf",
            "--pdf-standard",
            standard,
            "-o",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let mut profiles: Vec<String> = std::fs::read_dir(common::repo().join("profiles"))
        .expect("profiles folder")
        .map(|e| {
            e.expect("profile entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".toml"))
        .collect();
    profiles.sort();
    assert!(!profiles.is_empty(), "no example profiles");
    let built = profiles
        .into_iter()
        .map(|profile| {
            let pdf = dir.path().join(profile.replace(".toml", ".pdf"));
            assert!(pdf.is_file(), "{profile}: no {}", pdf.display());
            (profile, pdf)
        })
        .collect();
    (dir, built)
}

fn check_profiles(standard: &str) {
    let (_dir, built) = build_profiles(standard);
    let mut problems = Vec::new();
    let mut drafts = 0;
    for (profile, path) in &built {
        let bytes = std::fs::read(path).expect("read the built PDF");
        let pdf = load(&format!("{profile} ({standard})"), &bytes);
        let report = check_ua(&pdf);
        problems.extend(report.problems.iter().cloned());
        if report.headings.is_empty() {
            problems.push(format!("{}: no headings at all", pdf.label));
        }
        let draft = common::example_document(profile).draft;
        drafts += usize::from(draft);
        problems.extend(check_watermark(&pdf, &report, draft));
        if standard == "a2b" {
            problems.extend(check_pdfa2b(&pdf));
        }
    }
    assert!(drafts > 0, "no draft among the example profiles to check");
    assert_clean(&format!("example profiles ({standard})"), &problems);
}

#[test]
fn the_example_profiles_built_by_the_cli_are_pdf_ua() {
    check_profiles("ua1");
}

#[test]
fn the_example_profiles_built_as_pdf_a2b_are_pdf_a_and_ua() {
    check_profiles("a2b");
}

#[test]
fn a_redline_built_by_the_cli_is_pdf_ua() {
    // Insertions underlined, deletions struck through, change bars in the margin.
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("red.pdf");
    common::mou()
        .args([
            "diff",
            "profiles/tehachapi-2017.toml",
            "profiles/tehachapi-2018.toml",
            "-f",
            "pdf",
            "-o",
        ])
        .arg(&path)
        .assert()
        .success();
    let pdf = load("redline", &std::fs::read(&path).expect("read the redline"));
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    let text = squeeze(&report.text.concat());
    assert!(text.contains("$3,500,000.00"), "the inserted limit is text");
}

fn text(s: &str) -> Vec<Run> {
    vec![Run::plain(s)]
}

fn article(number: Option<u32>, title: &str, blocks: Vec<Block>) -> Article {
    Article {
        id: title.to_lowercase(),
        version: "1.0.0".to_string(),
        number,
        title: title.to_string(),
        blocks,
    }
}

fn bare(articles: Vec<Article>) -> Document {
    Document {
        title: "Agreement".to_string(),
        short_title: String::new(),
        parties: vec![],
        subtitle: String::new(),
        date: None,
        date_iso: None,
        draft: true,
        language: String::new(),
        subject: String::new(),
        articles,
    }
}

#[test]
fn odd_text_and_empty_blocks_stay_pdf_ua() {
    let long_word = "x".repeat(400);
    let blank = Run {
        text: String::new(),
        style: Style {
            blank: true,
            ..Style::default()
        },
    };
    let doc = bare(vec![
        article(
            Some(1),
            "Odd text",
            vec![
                Block::Paragraph(text(
                    "Emoji 😀, CJK 合同, a soft\u{00AD}hyphen, a tab\there, a NUL \u{0}, \
                     a BOM \u{feff}, ligatures ffi fl, combining e\u{301} and \u{2014} dashes.",
                )),
                Block::Paragraph(text(&long_word)),
                Block::Paragraph(vec![]),
                Block::Paragraph(vec![Run::plain("   ")]),
                Block::Paragraph(vec![Run::plain("Value: "), blank]),
                Block::List(List {
                    start: Some(98),
                    items: vec![
                        vec![],
                        vec![Block::Paragraph(text("ninety-nine"))],
                        vec![Block::Rule],
                    ],
                }),
                Block::List(List {
                    start: None,
                    items: vec![],
                }),
                Block::Quote(vec![]),
                Block::Rule,
            ],
        ),
        article(
            None,
            "",
            vec![
                Block::Table(Table {
                    header: vec![],
                    rows: vec![vec![text("only"), vec![]], vec![], vec![text(&long_word)]],
                    align: vec![],
                }),
                Block::Table(Table {
                    header: vec![text("A"), text("B")],
                    rows: vec![],
                    align: vec![Align::Center, Align::Right, Align::Left],
                }),
                Block::Signatures(vec![]),
                Block::Signatures(vec![Signatory {
                    party: long_word.clone(),
                    name: String::new(),
                    title: String::new(),
                    date: Some(String::new()),
                }]),
            ],
        ),
    ]);
    for standard in [PdfStandard::Ua1, PdfStandard::A2b] {
        let pdf = load(&format!("odd text ({standard:?})"), &render(&doc, standard));
        let report = check_ua(&pdf);
        assert_clean(&pdf.label, &report.problems);
        assert_clean(&pdf.label, &check_watermark(&pdf, &report, true));
        if standard == PdfStandard::A2b {
            assert_clean(&pdf.label, &check_pdfa2b(&pdf));
        }
    }
}

#[test]
fn a_document_without_articles_is_pdf_ua() {
    let pdf = load("no articles", &render(&bare(vec![]), PdfStandard::Ua1));
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    assert!(
        report.roles.contains_key("P"),
        "the title is tagged: {:?}",
        report.roles
    );
}

#[test]
fn a_table_across_pages_keeps_its_tags() {
    let rows = (1..=150)
        .map(|i| {
            vec![
                text(&format!("Row {i}")),
                text("a cell that is long enough to wrap in a narrow column, twice over"),
            ]
        })
        .collect();
    let doc = bare(vec![article(
        Some(1),
        "Schedule",
        vec![Block::Table(Table {
            header: vec![text("Number"), text("Description")],
            rows,
            align: vec![Align::Right, Align::Left],
        })],
    )]);
    let pdf = load("long table", &render(&doc, PdfStandard::Ua1));
    assert!(pdf.pages.len() >= 4, "{} pages", pdf.pages.len());
    let report = check_ua(&pdf);
    assert_clean(&pdf.label, &report.problems);
    // The header row repeated on later pages is drawn as an artifact: the table is
    // still one header row of two TH and 150 rows of two TD.
    let count = |role: &str| report.roles.get(role).copied().unwrap_or(0);
    assert_eq!(
        (count("Table"), count("TR"), count("TH"), count("TD")),
        (1, 151, 2, 300),
        "{:?}",
        report.roles
    );
}

#[test]
fn a_clause_section_heading_is_one_level_below_its_article() {
    // What the assembler makes of a clause's `### Heading` (src/assemble/parse.rs):
    // a level-2 heading directly under the article's H1.
    let doc = bare(vec![article(
        Some(1),
        "Deep",
        vec![
            Block::Heading {
                level: 2,
                number: Some("1.1".to_string()),
                text: text("A deep heading"),
            },
            Block::Paragraph(text("Body text.")),
        ],
    )]);
    let pdf = load("section heading", &render(&doc, PdfStandard::Ua1));
    let report = check_ua(&pdf);
    assert_eq!(report.headings.len(), 2, "{:?}", report.headings);
    assert_clean(&pdf.label, &report.problems);
}

// ---------------------------------------------------------------------------------
// The checks themselves catch what they are for.

#[test]
fn the_content_check_catches_untagged_and_misnested_content() {
    let page = |ops: &str| {
        let mut problems = Vec::new();
        let mut doc = lopdf::Document::with_version("1.7");
        let stream = doc.add_object(lopdf::Stream::new(
            Dictionary::new(),
            ops.as_bytes().to_vec(),
        ));
        let pages_id = doc.new_object_id();
        let page_id = doc.add_object(lopdf::dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => stream
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(lopdf::dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1
            }),
        );
        let catalog =
            doc.add_object(lopdf::dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let pdf = Pdf {
            label: "test".into(),
            pages: vec![page_id],
            doc,
        };
        check_content(&pdf, 0, &mut problems);
        problems.join("\n")
    };
    let good = "/P <</MCID 0>> BDC BT /F0 12 Tf (a) Tj ET EMC \
                /Artifact <</Type/Pagination>> BDC 0 0 1 1 re f EMC";
    assert_eq!(page(good), "");
    assert!(page("0 0 1 1 re f").contains("neither tagged"));
    assert!(page("BT /F0 12 Tf (a) Tj ET").contains("neither tagged"));
    assert!(page("/P <</MCID 0>> BDC BT ET").contains("left open"));
    assert!(page("/P <</MCID 0>> BDC BT 0 0 1 1 re f ET EMC").contains("inside a text object"));
    assert!(page("q Q Q").contains("Q without q"));
    assert!(page("/P <</MCID 0>> BDC BT EMC ET").contains("opened outside"));
    assert!(page("/P <</MCID 0>> BDC EMC /P <</MCID 0>> BDC EMC").contains("used twice"));
    assert!(page("/Artifact <<>> BDC /P <</MCID 0>> BDC EMC EMC").contains("inside an artifact"));
    assert!(
        page("/Artifact <</Subtype/Watermark>> BDC BT /F0 9 Tf (D) Tj ET EMC").is_empty(),
        "text in a watermark is counted, not a content problem"
    );
}

#[test]
fn the_to_unicode_parser_reads_chars_and_ranges() {
    let cmap = "1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                2 beginbfchar\n<0001> <0041>\n<0002> <00660069>\nendbfchar\n\
                1 beginbfrange\n<0010> <0012> <0061>\nendbfrange\n\
                1 beginbfrange\n<0020> <0021> [<0078> <D83DDE00>]\nendbfrange\n";
    let mut problems = Vec::new();
    let map = parse_to_unicode(cmap, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(map.get(&1).map(String::as_str), Some("A"));
    assert_eq!(map.get(&2).map(String::as_str), Some("fi"));
    assert_eq!(map.get(&0x12).map(String::as_str), Some("c"));
    assert_eq!(map.get(&0x21).map(String::as_str), Some("😀"));
    assert_eq!(map.get(&0x13), None);
}

/// The problems [`check_ua`] finds in the fixture agreement after `break_it` has
/// changed it: the checks run on a real file of ours, not only on hand-made content.
fn problems_after(break_it: impl FnOnce(&mut lopdf::Document)) -> String {
    let bytes = render(&fixture::agreement(), PdfStandard::Ua1);
    let mut doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads the fixture");
    break_it(&mut doc);
    let pages = doc.get_pages().into_values().collect();
    let pdf = Pdf {
        label: "broken".into(),
        doc,
        pages,
    };
    check_ua(&pdf).problems.join("\n")
}

/// The id of the first object that is a dictionary satisfying `pred`.
fn find(doc: &lopdf::Document, pred: impl Fn(&Dictionary) -> bool) -> ObjectId {
    doc.objects
        .iter()
        .find_map(|(&id, o)| o.as_dict().ok().filter(|d| pred(d)).map(|_| id))
        .expect("an object to break")
}

fn is(d: &Dictionary, key: &[u8], value: &[u8]) -> bool {
    d.get(key).and_then(Object::as_name).ok() == Some(value)
}

fn set(doc: &mut lopdf::Document, id: ObjectId, key: &str, value: impl Into<Object>) {
    doc.get_dictionary_mut(id)
        .expect("a dictionary")
        .set(key, value);
}

/// A change that breaks one rule.
type Breakage = Box<dyn FnOnce(&mut lopdf::Document)>;

#[test]
fn the_checks_catch_broken_files() {
    assert_eq!(problems_after(|_| {}), "", "the unbroken fixture must pass");
    let cases: Vec<(&str, Breakage)> = vec![
        (
            "no /MarkInfo",
            Box::new(|d| {
                d.catalog_mut().unwrap().remove(b"MarkInfo");
            }),
        ),
        (
            "/Lang is empty",
            Box::new(|d| {
                d.catalog_mut()
                    .unwrap()
                    .set("Lang", Object::string_literal(""))
            }),
        ),
        (
            "/Tabs is not /S",
            Box::new(|d| {
                let page = d.page_iter().next().unwrap();
                set(d, page, "Tabs", "R");
            }),
        ),
        (
            "is also page 1's",
            Box::new(|d| {
                let page = d.page_iter().nth(1).unwrap();
                set(d, page, "StructParents", 0);
            }),
        ),
        (
            "not a standard role",
            Box::new(|d| {
                let p = find(d, |e| is(e, b"S", b"P"));
                set(d, p, "S", "Paragraph");
            }),
        ),
        (
            "/P is",
            Box::new(|d| {
                let p = find(d, |e| is(e, b"S", b"LI"));
                let other = find(d, |e| is(e, b"S", b"Table"));
                set(d, p, "P", other);
            }),
        ),
        (
            "/Scope",
            Box::new(|d| {
                let th = find(d, |e| is(e, b"S", b"TH"));
                d.get_dictionary_mut(th).unwrap().remove(b"A");
            }),
        ),
        (
            "/ListNumbering",
            Box::new(|d| {
                let l = find(d, |e| is(e, b"S", b"L"));
                d.get_dictionary_mut(l).unwrap().remove(b"A");
            }),
        ),
        (
            "but no structure element has it as a kid",
            Box::new(|d| {
                let p = find(d, |e| is(e, b"S", b"P") && e.has(b"Pg"));
                set(d, p, "K", Vec::<Object>::new());
            }),
        ),
        (
            "has no /ToUnicode mapping",
            Box::new(|d| {
                let font = find(d, |f| is(f, b"Subtype", b"Type0"));
                let cmap = d.get_dictionary(font).unwrap().get(b"ToUnicode").unwrap();
                let cmap = cmap.as_reference().unwrap();
                let empty = b"begincodespacerange <0000> <FFFF> endcodespacerange".to_vec();
                d.objects
                    .insert(cmap, lopdf::Stream::new(Dictionary::new(), empty).into());
            }),
        ),
        (
            "has no /W width",
            Box::new(|d| {
                let cid = find(d, |f| is(f, b"Subtype", b"CIDFontType2"));
                set(d, cid, "W", Vec::<Object>::new());
            }),
        ),
        (
            "/BaseFont has no ABCDEF+ subset tag",
            Box::new(|d| {
                let font = find(d, |f| is(f, b"Subtype", b"Type0"));
                set(d, font, "BaseFont", "LiberationSerif");
            }),
        ),
        (
            "neither tagged (MCID) nor an artifact",
            Box::new(|d| {
                let page = d.page_iter().next().unwrap();
                let mut content = d.get_page_content(page);
                content.extend_from_slice(b"\n0 0 10 10 re f\n");
                let stream = d.add_object(lopdf::Stream::new(Dictionary::new(), content));
                set(d, page, "Contents", stream);
            }),
        ),
        (
            "follows H1",
            Box::new(|d| {
                let h2 = find(d, |e| is(e, b"S", b"H2"));
                set(d, h2, "S", "H3");
            }),
        ),
        (
            "/ParentTreeNextKey",
            Box::new(|d| {
                let root = find(d, |r| is(r, b"Type", b"StructTreeRoot"));
                set(d, root, "ParentTreeNextKey", 1);
            }),
        ),
    ];
    for (expected, break_it) in cases {
        let problems = problems_after(break_it);
        assert!(
            problems.contains(expected),
            "breaking the file for {expected:?} went unnoticed; problems:\n{problems}"
        );
    }
}
