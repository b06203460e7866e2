//! Makes a "returned" DOCX from one of ours the way Word writes the other side's edits:
//! tracked deletions and insertions (`w:del`/`w:ins` with `w:author` and `w:date`,
//! deleted text in `w:delText`), a comment (`w:commentRangeStart`/`End`, a
//! `w:commentReference` run and a `word/comments.xml` part with its relationship and
//! content type), rsid attributes on paragraphs and runs, runs split in the middle of
//! words, `w:proofErr` marks, a `_GoBack` bookmark, and edits made with tracking off.
//!
//! It works on paragraphs as text: it finds the paragraph holding a phrase, keeps its
//! properties and bookmarks, and writes its runs anew, so it does not depend on how our
//! writer lays runs out.
#![allow(dead_code)]

use std::io::{Read, Write};

pub const AUTHOR: &str = "Jordan Lee (City Attorney)";
pub const DATE: &str = "2024-05-02T14:03:00Z";

pub enum Edit<'a> {
    /// In the paragraph holding `within`, `find` replaced by `with`, tracked.
    Tracked {
        within: &'a str,
        find: &'a str,
        with: &'a str,
    },
    /// As Tracked, with tracking off.
    Untracked {
        within: &'a str,
        find: &'a str,
        with: &'a str,
    },
    /// A new paragraph after the one holding `after`, tracked (its mark too).
    TrackedParagraph { after: &'a str, text: &'a str },
    /// A comment anchored on `anchor` in the paragraph holding it.
    Comment { anchor: &'a str, text: &'a str },
    /// The whole article whose heading paragraph reads `heading` struck out, tracked:
    /// every run deleted and every paragraph mark deleted.
    TrackedDeleteArticle { heading: &'a str },
}

/// The returned DOCX: `ours` with `edits` made, each in the first paragraph that fits.
pub fn returned(ours: &[u8], edits: &[Edit<'_>]) -> Vec<u8> {
    let mut parts = unzip(ours);
    let doc = parts
        .iter_mut()
        .find(|(n, _)| n == "word/document.xml")
        .expect("a word/document.xml");
    let mut xml = String::from_utf8(doc.1.clone()).unwrap();
    let mut comments = Vec::new();
    let mut next_id = 100;
    for edit in edits {
        xml = apply(&xml, edit, &mut next_id, &mut comments);
    }
    xml = with_rsids(&xml);
    doc.1 = xml.into_bytes();
    if !comments.is_empty() {
        let mut c = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
        );
        for (id, text) in &comments {
            c.push_str(&format!(
                "<w:comment w:id=\"{id}\" w:author=\"{AUTHOR}\" w:date=\"{DATE}\" w:initials=\"JL\"><w:p><w:pPr><w:pStyle w:val=\"CommentText\"/></w:pPr><w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr><w:annotationRef/></w:r><w:r><w:t>{}</w:t></w:r></w:p></w:comment>",
                esc(text)
            ));
        }
        c.push_str("</w:comments>");
        parts.push(("word/comments.xml".into(), c.into_bytes()));
        for (name, bytes) in parts.iter_mut() {
            if name == "word/_rels/document.xml.rels" {
                let s = String::from_utf8(bytes.clone()).unwrap().replace(
                    "</Relationships>",
                    "<Relationship Id=\"rIdComments1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/></Relationships>",
                );
                *bytes = s.into_bytes();
            }
            if name == "[Content_Types].xml" {
                let s = String::from_utf8(bytes.clone()).unwrap().replace(
                    "</Types>",
                    "<Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/></Types>",
                );
                *bytes = s.into_bytes();
            }
        }
    }
    zip(&parts)
}

pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.push((f.name().to_string(), b));
    }
    out
}

pub fn zip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unesc(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Byte ranges of the body's paragraphs (`<w:p>` or `<w:p …>` to `</w:p>`).
fn paragraphs(xml: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = xml[at..].find("<w:p") {
        let start = at + i;
        let next = xml.as_bytes().get(start + 4).copied();
        if !matches!(next, Some(b'>' | b' ')) {
            at = start + 4;
            continue;
        }
        let end = start + xml[start..].find("</w:p>").unwrap() + "</w:p>".len();
        out.push(start..end);
        at = end;
    }
    out
}

/// The text of a paragraph's `w:t` elements.
fn text_of(p: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    while let Some(i) = p[at..].find("<w:t") {
        let s = at + i;
        let after = p.as_bytes().get(s + 4).copied();
        if !matches!(after, Some(b'>' | b' ')) {
            at = s + 4;
            continue;
        }
        let open_end = s + p[s..].find('>').unwrap() + 1;
        let close = open_end + p[open_end..].find("</w:t>").unwrap();
        out.push_str(&unesc(&p[open_end..close]));
        at = close;
    }
    out
}

fn elements(p: &str, tag: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    while let Some(i) = p[at..].find(tag) {
        let s = at + i;
        let e = s + p[s..].find("/>").unwrap() + 2;
        out.push_str(&p[s..e]);
        at = e;
    }
    out
}

/// The paragraph's opening: `<w:p…>`, its properties and the bookmarks it starts.
fn opening(p: &str) -> String {
    let open_end = p.find('>').unwrap() + 1;
    let mut out = p[..open_end].to_string();
    if let (Some(s), Some(e)) = (p.find("<w:pPr>"), p.find("</w:pPr>")) {
        out.push_str(&p[s..e + "</w:pPr>".len()]);
    }
    out.push_str(&elements(p, "<w:bookmarkStart "));
    out
}

/// Plain runs as Word leaves them after editing: split inside a word, each piece with
/// its own rsid, a spelling mark around one.
fn runs(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    // Split in the middle, which is inside a word more often than not.
    let n = text.chars().count();
    let cut = text
        .char_indices()
        .nth(n / 2)
        .map_or(text.len(), |(i, _)| i);
    let (a, b) = text.split_at(cut);
    let mut out = format!(
        "<w:r w:rsidR=\"00A31F22\"><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        esc(a)
    );
    if !b.is_empty() {
        out.push_str(&format!(
            "<w:proofErr w:type=\"spellStart\"/><w:r w:rsidR=\"00D72B41\" w:rsidRPr=\"00D72B41\"><w:rPr><w:lang w:val=\"en-US\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r><w:proofErr w:type=\"spellEnd\"/>",
            esc(b)
        ));
    }
    out
}

fn delete_article(xml: &str, heading: &str, next_id: &mut u32) -> String {
    let ranges = paragraphs(xml);
    let start = ranges
        .iter()
        .position(|r| text_of(&xml[r.clone()]) == heading)
        .unwrap_or_else(|| panic!("no heading {heading:?}"));
    let end = ranges[start + 1..]
        .iter()
        .position(|r| xml[r.clone()].contains("<w:pStyle w:val=\"Heading1\"/>"))
        .map_or(ranges.len(), |i| start + 1 + i);
    let mut out = xml[..ranges[start].start].to_string();
    for i in start..end {
        let p = &xml[ranges[i].clone()];
        *next_id += 2;
        let mark = format!(
            "<w:rPr><w:del w:id=\"{}\" w:author=\"{AUTHOR}\" w:date=\"{DATE}\"/></w:rPr>",
            *next_id
        );
        let open = opening(p);
        let open = match open.find("</w:pPr>") {
            Some(at) => format!("{}{mark}{}", &open[..at], &open[at..]),
            None => {
                let at = open.find('>').unwrap() + 1;
                format!("{}<w:pPr>{mark}</w:pPr>{}", &open[..at], &open[at..])
            }
        };
        let text = text_of(p);
        out.push_str(&open);
        if !text.is_empty() {
            out.push_str(&format!(
                "<w:del w:id=\"{}\" w:author=\"{AUTHOR}\" w:date=\"{DATE}\"><w:r w:rsidDel=\"00B1C0DE\"><w:delText xml:space=\"preserve\">{}</w:delText></w:r></w:del>",
                *next_id + 1,
                esc(&text)
            ));
        }
        out.push_str(&elements(p, "<w:bookmarkEnd "));
        out.push_str("</w:p>");
        // Table markup between paragraphs stays as it was.
        if i + 1 < end {
            out.push_str(&xml[ranges[i].end..ranges[i + 1].start]);
        }
    }
    out.push_str(&xml[ranges[end - 1].end..]);
    out
}

fn apply(
    xml: &str,
    edit: &Edit<'_>,
    next_id: &mut u32,
    comments: &mut Vec<(u32, String)>,
) -> String {
    if let Edit::TrackedDeleteArticle { heading } = edit {
        return delete_article(xml, heading, next_id);
    }
    let (within, find) = match edit {
        Edit::Tracked { within, find, .. } | Edit::Untracked { within, find, .. } => {
            (*within, *find)
        }
        Edit::TrackedParagraph { after, .. } => (*after, *after),
        Edit::Comment { anchor, .. } => (*anchor, *anchor),
        Edit::TrackedDeleteArticle { .. } => unreachable!("handled above"),
    };
    let range = paragraphs(xml)
        .into_iter()
        .find(|r| {
            let t = text_of(&xml[r.clone()]);
            t.contains(within) && t.contains(find)
        })
        .unwrap_or_else(|| panic!("no paragraph holds {within:?}"));
    let p = &xml[range.clone()];
    let text = text_of(p);
    let at = text.find(find).unwrap();
    let (before, rest) = text.split_at(at);
    let after = &rest[find.len()..];
    let ends = elements(p, "<w:bookmarkEnd ");
    let mut id = || {
        *next_id += 1;
        *next_id
    };
    let new = match edit {
        Edit::Tracked { with, .. } => format!(
            "{}{}<w:del w:id=\"{}\" w:author=\"{AUTHOR}\" w:date=\"{DATE}\"><w:r w:rsidDel=\"00B1C0DE\"><w:delText xml:space=\"preserve\">{}</w:delText></w:r></w:del><w:ins w:id=\"{}\" w:author=\"{AUTHOR}\" w:date=\"{DATE}\"><w:r w:rsidR=\"00B1C0DE\"><w:t xml:space=\"preserve\">{}</w:t></w:r></w:ins>{}{ends}</w:p>",
            opening(p),
            runs(before),
            id(),
            esc(find),
            id(),
            esc(with),
            runs(after)
        ),
        Edit::Untracked { with, .. } => format!(
            "{}{}{}{}{ends}</w:p>",
            opening(p),
            runs(before),
            runs(with),
            runs(after)
        ),
        Edit::Comment { text: note, .. } => {
            let c = id();
            comments.push((c, note.to_string()));
            format!(
                "{}{}<w:commentRangeStart w:id=\"{c}\"/>{}<w:commentRangeEnd w:id=\"{c}\"/><w:r><w:rPr><w:rStyle w:val=\"CommentReference\"/></w:rPr><w:commentReference w:id=\"{c}\"/></w:r>{}{ends}</w:p>",
                opening(p),
                runs(before),
                runs(find),
                runs(after)
            )
        }
        Edit::TrackedDeleteArticle { .. } => unreachable!("handled above"),
        Edit::TrackedParagraph { text: added, .. } => {
            let (i, j) = (id(), id());
            format!(
                "{p}<w:p w:rsidR=\"00E4A7C3\" w:rsidRDefault=\"00E4A7C3\"><w:pPr><w:rPr><w:ins w:id=\"{i}\" w:author=\"{AUTHOR}\" w:date=\"{DATE}\"/></w:rPr></w:pPr><w:ins w:id=\"{j}\" w:author=\"{AUTHOR}\" w:date=\"{DATE}\"><w:r w:rsidR=\"00E4A7C3\"><w:t>{}</w:t></w:r></w:ins></w:p>",
                esc(added)
            )
        }
    };
    format!("{}{}{}", &xml[..range.start], new, &xml[range.end..])
}

/// rsid attributes on every paragraph that has none, and Word's `_GoBack` bookmark.
fn with_rsids(xml: &str) -> String {
    let xml = xml.replace(
        "<w:p>",
        "<w:p w:rsidR=\"00C4F2A1\" w:rsidRDefault=\"00C4F2A1\" w:rsidP=\"00C4F2A1\">",
    );
    match xml.rfind("</w:body>") {
        Some(i) => {
            let last_p = xml[..i].rfind("</w:p>").unwrap_or(i);
            format!(
                "{}<w:bookmarkStart w:id=\"0\" w:name=\"_GoBack\"/><w:bookmarkEnd w:id=\"0\"/>{}",
                &xml[..last_p],
                &xml[last_p..]
            )
        }
        None => xml,
    }
}

/// Ours as the Word-native writer will write it (issue #15): each article heading
/// inside a `mou_<clause>` bookmark, and `docProps/custom.xml` naming each article's
/// clause and version. `articles` is (id, version) in document order.
pub fn with_contract(ours: &[u8], articles: &[(String, String)]) -> Vec<u8> {
    let mut parts = unzip(ours);
    // The Word-native writer already carries the contract: only the versions it names
    // are set to `articles` (a stale version is how a test sees W0850).
    if let Some(custom) = parts.iter_mut().find(|(n, _)| n == "docProps/custom.xml") {
        let mut xml = String::from_utf8(custom.1.clone()).unwrap();
        for (id, version) in articles {
            let name: String = format!("mou_{}", id.replace(['-', ':'], "_"))
                .chars()
                .take(40)
                .collect();
            let open = format!("name=\"{name}\"><vt:lpwstr>");
            if let Some(at) = xml.find(&open) {
                let start = at + open.len();
                let end = start + xml[start..].find("</vt:lpwstr>").unwrap();
                let value = &xml[start..end];
                let base = value.split('@').next().unwrap_or(value).to_string();
                xml.replace_range(start..end, &format!("{base}@{version}"));
            }
        }
        custom.1 = xml.into_bytes();
        return zip(&parts);
    }
    let doc = parts
        .iter_mut()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap();
    let xml = String::from_utf8(doc.1.clone()).unwrap();
    let mut out = String::new();
    let mut at = 0;
    let mut k = 0;
    for r in paragraphs(&xml) {
        let p = &xml[r.clone()];
        if !p.contains("<w:pStyle w:val=\"Heading1\"/>") {
            continue;
        }
        let (id, _) = &articles[k];
        let name: String = format!("mou_{}", id.replace(['-', ':'], "_"))
            .chars()
            .take(40)
            .collect();
        let open = p
            .find("</w:pPr>")
            .map_or(p.find('>').unwrap() + 1, |i| i + "</w:pPr>".len());
        out.push_str(&xml[at..r.start]);
        out.push_str(&p[..open]);
        out.push_str(&format!(
            "<w:bookmarkStart w:id=\"{}\" w:name=\"{name}\"/>",
            500 + k
        ));
        out.push_str(&p[open..p.len() - "</w:p>".len()]);
        out.push_str(&format!("<w:bookmarkEnd w:id=\"{}\"/></w:p>", 500 + k));
        at = r.end;
        k += 1;
    }
    out.push_str(&xml[at..]);
    assert_eq!(k, articles.len(), "one heading per article");
    doc.1 = out.into_bytes();
    let mut custom = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">",
    );
    for (i, (id, version)) in articles.iter().enumerate() {
        let name: String = format!("mou_{}", id.replace(['-', ':'], "_"))
            .chars()
            .take(40)
            .collect();
        custom.push_str(&format!(
            "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" name=\"{name}\"><vt:lpwstr>{id}@{version}</vt:lpwstr></property>",
            i + 2
        ));
    }
    custom.push_str("</Properties>");
    parts.push(("docProps/custom.xml".into(), custom.into_bytes()));
    zip(&parts)
}
