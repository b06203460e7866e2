//! WordprocessingML as a review needs it: the body's paragraphs in order, each a
//! sequence of text pieces marked unchanged, inserted or deleted (with the revision's
//! author and date), comment anchors, bookmarks and the paragraph's style; the comments
//! part; the custom properties. Everything else (formatting, fields' instructions,
//! drawings, property changes) is skipped.
//!
//! The XML is untrusted: a DTD is refused (so no entity can be declared, let alone
//! expanded), a reference to any entity but the five XML predefines is refused, end
//! tags must match, nesting is bounded, and every error is located in its part (line
//! and column of the XML).

use crate::check::codes;
use crate::diag::Diagnostic;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::collections::BTreeMap;
use std::path::Path;

/// Deepest element nesting accepted. Word nests a run in a field in a hyperlink in a
/// content control in a table cell in a table in a cell: a few dozen levels at most.
const MAX_DEPTH: usize = 256;

/// How a piece of text or a paragraph mark stands in the revision history: the index
/// is into [`Body::revisions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Unchanged,
    Inserted(usize),
    Deleted(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String, Mark),
    /// A comment's anchor starts or ends here (comment id).
    CommentStart(String),
    CommentEnd(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Para {
    /// `w:pStyle`, e.g. `Heading1`.
    pub style: Option<String>,
    pub pieces: Vec<Piece>,
    /// The paragraph mark itself inserted or deleted (`w:pPr/w:rPr/w:ins|w:del`).
    pub mark: Option<Mark>,
    /// Names of the bookmarks that start in (or just before) this paragraph.
    pub bookmarks: Vec<String>,
}

impl Para {
    /// The text as it reads with every change accepted (`true`) or rejected.
    pub fn text(&self, accepted: bool) -> String {
        let mut s = String::new();
        for p in &self.pieces {
            if let Piece::Text(t, m) = p {
                let keep = match m {
                    Mark::Unchanged => true,
                    Mark::Inserted(_) => accepted,
                    Mark::Deleted(_) => !accepted,
                };
                if keep {
                    s.push_str(t);
                }
            }
        }
        s
    }

    /// Whether the paragraph exists with every change accepted (`true`) or rejected:
    /// a paragraph whose mark was inserted joins the next one when rejected, and one
    /// whose mark was deleted joins it when accepted.
    pub fn ends(&self, accepted: bool) -> bool {
        !matches!(
            (self.mark, accepted),
            (Some(Mark::Inserted(_)), false) | (Some(Mark::Deleted(_)), true)
        )
    }

    pub fn is_heading1(&self) -> bool {
        self.style
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("Heading1") || s == "Heading 1")
    }
}

/// Who made a tracked change, and when (as Word writes it, `2024-05-02T10:00:00Z`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Revision {
    pub author: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: String,
    pub author: String,
    pub date: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Body {
    pub paragraphs: Vec<Para>,
    pub revisions: Vec<Revision>,
}

fn xml_error(file: &Path, xml: &str, offset: u64, message: impl Into<String>) -> Diagnostic {
    let offset = usize::try_from(offset).unwrap_or(usize::MAX).min(xml.len());
    Diagnostic::error(codes::E0851, file, message).at_offset(xml, floor_boundary(xml, offset))
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One XML part read event by event, with the checks every part gets.
struct Events<'x> {
    reader: Reader<&'x [u8]>,
    xml: &'x str,
    file: &'x Path,
    depth: usize,
}

enum Ev<'x> {
    Start(BytesStart<'x>),
    Empty(BytesStart<'x>),
    End(Vec<u8>),
    Text(String),
    Eof,
}

impl<'x> Events<'x> {
    fn new(file: &'x Path, xml: &'x str) -> Events<'x> {
        let mut reader = Reader::from_str(xml);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.allow_unmatched_ends = false;
        Events {
            reader,
            xml,
            file,
            depth: 0,
        }
    }

    fn err(&self, message: impl Into<String>) -> Diagnostic {
        xml_error(self.file, self.xml, self.reader.buffer_position(), message)
    }

    fn next(&mut self) -> Result<Ev<'x>, Diagnostic> {
        loop {
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    return Err(xml_error(
                        self.file,
                        self.xml,
                        self.reader.error_position(),
                        format!("broken XML: {e}"),
                    ));
                }
            };
            return Ok(match event {
                Event::Start(s) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(self.err(format!(
                            "elements nested more than {MAX_DEPTH} deep: not a document Word writes"
                        )));
                    }
                    Ev::Start(s)
                }
                Event::Empty(s) => Ev::Empty(s),
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    Ev::End(e.local_name().as_ref().to_vec())
                }
                Event::Text(t) => Ev::Text(
                    t.decode()
                        .map_err(|e| self.err(format!("text that is not UTF-8: {e}")))?
                        .into_owned(),
                ),
                Event::CData(t) => Ev::Text(
                    t.decode()
                        .map_err(|e| self.err(format!("text that is not UTF-8: {e}")))?
                        .into_owned(),
                ),
                Event::GeneralRef(r) => {
                    if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => Ev::Text(c.to_string()),
                            _ => return Err(self.err("a character reference to no character")),
                        }
                    } else {
                        let name = r.decode().map_err(|e| {
                            self.err(format!("an entity name that is not UTF-8: {e}"))
                        })?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => Ev::Text(s.to_string()),
                            None => {
                                return Err(self.err(format!(
                                    "a reference to the entity `&{name};`: a DOCX uses only the five XML entities, and others are refused"
                                )));
                            }
                        }
                    }
                }
                Event::DocType(_) => {
                    return Err(self.err(
                        "a DTD (`<!DOCTYPE`): a DOCX has none, and entity declarations are refused",
                    ));
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
                Event::Eof if self.depth > 0 => {
                    return Err(self.err(format!(
                        "the part ends inside {} open element(s): cut short or broken",
                        self.depth
                    )));
                }
                Event::Eof => Ev::Eof,
            });
        }
    }

    /// Skips to the end of the element just started.
    fn skip(&mut self) -> Result<(), Diagnostic> {
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                Ev::Start(_) => depth += 1,
                Ev::End(_) => depth -= 1,
                Ev::Eof => return Err(self.err("the part ends inside an element")),
                _ => {}
            }
        }
        Ok(())
    }

    fn attr(&self, e: &BytesStart<'_>, local: &[u8]) -> Result<Option<String>, Diagnostic> {
        for a in e.attributes() {
            let a = a.map_err(|err| self.err(format!("broken attribute: {err}")))?;
            if a.key.local_name().as_ref() == local {
                let v = a
                    .unescape_value()
                    .map_err(|err| self.err(format!("broken attribute value: {err}")))?;
                return Ok(Some(v.into_owned()));
            }
        }
        Ok(None)
    }
}

fn local(e: &BytesStart<'_>) -> Vec<u8> {
    e.local_name().as_ref().to_vec()
}

/// Elements whose content is not the document's text: property changes (their old
/// properties), drawings and objects (text boxes repeat or float outside the flow), the
/// fallback of alternate content (a second copy of the choice), field instructions.
fn skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"pPrChange"
            | b"rPrChange"
            | b"sectPrChange"
            | b"tblPrChange"
            | b"trPrChange"
            | b"tcPrChange"
            | b"tblGridChange"
            | b"numberingChange"
            | b"drawing"
            | b"pict"
            | b"object"
            | b"Fallback"
            | b"instrText"
            | b"delInstrText"
            | b"sectPr"
            | b"footnoteReference"
            | b"endnoteReference"
    )
}

/// Reads `word/document.xml` (or whatever the package names its main part).
pub fn body(file: &Path, xml: &str) -> Result<Body, Diagnostic> {
    let mut ev = Events::new(file, xml);
    let mut body = Body::default();
    // Open paragraphs (a text box may hold paragraphs inside one; kept flat).
    let mut open: Vec<Para> = Vec::new();
    // Open revision containers: the mark their content gets.
    let mut changes: Vec<(Vec<u8>, Mark)> = Vec::new();
    let mut in_ppr = false;
    let mut in_ppr_rpr = false;
    let mut in_run = 0usize;
    let mut in_text = false;
    let mut pending_bookmarks: Vec<String> = Vec::new();
    let mut seen_body = false;
    let revision =
        |ev: &Events<'_>, e: &BytesStart<'_>, body: &mut Body| -> Result<usize, Diagnostic> {
            let author = ev.attr(e, b"author")?.unwrap_or_default();
            let date = ev.attr(e, b"date")?;
            let r = Revision { author, date };
            Ok(match body.revisions.iter().position(|x| *x == r) {
                Some(i) => i,
                None => {
                    body.revisions.push(r);
                    body.revisions.len() - 1
                }
            })
        };
    loop {
        match ev.next()? {
            Ev::Eof => break,
            Ev::Start(e) => {
                let name = local(&e);
                if skipped(&name) {
                    ev.skip()?;
                    continue;
                }
                match name.as_slice() {
                    b"body" => seen_body = true,
                    b"p" => {
                        let mut p = Para::default();
                        p.bookmarks.append(&mut pending_bookmarks);
                        open.push(p);
                    }
                    b"pPr" => in_ppr = true,
                    b"rPr" if in_ppr => in_ppr_rpr = true,
                    b"ins" | b"del" | b"moveTo" | b"moveFrom" if in_ppr_rpr => {
                        let i = revision(&ev, &e, &mut body)?;
                        if let Some(p) = open.last_mut() {
                            p.mark = Some(if matches!(name.as_slice(), b"ins" | b"moveTo") {
                                Mark::Inserted(i)
                            } else {
                                Mark::Deleted(i)
                            });
                        }
                    }
                    b"ins" | b"moveTo" => {
                        let i = revision(&ev, &e, &mut body)?;
                        changes.push((name, Mark::Inserted(i)));
                    }
                    b"del" | b"moveFrom" => {
                        let i = revision(&ev, &e, &mut body)?;
                        changes.push((name, Mark::Deleted(i)));
                    }
                    b"r" => in_run += 1,
                    b"t" | b"delText" if in_run > 0 => in_text = true,
                    _ => {}
                }
            }
            Ev::Empty(e) => {
                let name = local(&e);
                let mark = changes.last().map_or(Mark::Unchanged, |c| c.1);
                let push = |open: &mut Vec<Para>, s: &str| {
                    if let Some(p) = open.last_mut() {
                        p.pieces.push(Piece::Text(s.to_string(), mark));
                    }
                };
                match name.as_slice() {
                    b"pStyle" if in_ppr && !in_ppr_rpr => {
                        let v = ev.attr(&e, b"val")?;
                        if let Some(p) = open.last_mut() {
                            p.style = v;
                        }
                    }
                    b"ins" | b"del" | b"moveTo" | b"moveFrom" if in_ppr_rpr => {
                        let i = revision(&ev, &e, &mut body)?;
                        if let Some(p) = open.last_mut() {
                            p.mark = Some(if matches!(name.as_slice(), b"ins" | b"moveTo") {
                                Mark::Inserted(i)
                            } else {
                                Mark::Deleted(i)
                            });
                        }
                    }
                    b"tab" if in_run > 0 && !in_ppr => push(&mut open, "\t"),
                    b"br" | b"cr" if in_run > 0 => {
                        let kind = ev.attr(&e, b"type")?;
                        if kind.is_none() || kind.as_deref() == Some("textWrapping") {
                            push(&mut open, "\n");
                        }
                    }
                    b"noBreakHyphen" if in_run > 0 => push(&mut open, "\u{2011}"),
                    b"commentRangeStart" | b"commentRangeEnd" => {
                        let id = ev.attr(&e, b"id")?.unwrap_or_default();
                        if let Some(p) = open.last_mut() {
                            p.pieces.push(if name.as_slice() == b"commentRangeStart" {
                                Piece::CommentStart(id)
                            } else {
                                Piece::CommentEnd(id)
                            });
                        }
                    }
                    b"bookmarkStart" => {
                        if let Some(n) = ev.attr(&e, b"name")? {
                            match open.last_mut() {
                                Some(p) => p.bookmarks.push(n),
                                None => pending_bookmarks.push(n),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ev::Text(t) => {
                if in_text && let Some(p) = open.last_mut() {
                    let mark = changes.last().map_or(Mark::Unchanged, |c| c.1);
                    match p.pieces.last_mut() {
                        Some(Piece::Text(prev, m)) if *m == mark => prev.push_str(&t),
                        _ => p.pieces.push(Piece::Text(t, mark)),
                    }
                }
            }
            Ev::End(name) => match name.as_slice() {
                b"p" => {
                    if let Some(p) = open.pop() {
                        body.paragraphs.push(p);
                    }
                    in_ppr = false;
                    in_ppr_rpr = false;
                }
                b"pPr" => {
                    in_ppr = false;
                    in_ppr_rpr = false;
                }
                b"rPr" => in_ppr_rpr = false,
                b"r" => in_run = in_run.saturating_sub(1),
                b"t" | b"delText" => in_text = false,
                b"ins" | b"del" | b"moveTo" | b"moveFrom"
                    if changes.last().is_some_and(|c| c.0 == name) =>
                {
                    changes.pop();
                }
                _ => {}
            },
        }
    }
    if !seen_body {
        return Err(xml_error(
            file,
            xml,
            0,
            "the main part of the DOCX has no `w:body`: not a word-processing document",
        ));
    }
    Ok(body)
}

/// Reads `word/comments.xml`: each comment's id, author, date and text.
pub fn comments(file: &Path, xml: &str) -> Result<Vec<Comment>, Diagnostic> {
    let mut ev = Events::new(file, xml);
    let mut out = Vec::new();
    let mut current: Option<Comment> = None;
    let mut in_text = false;
    let mut paragraphs = 0usize;
    loop {
        match ev.next()? {
            Ev::Eof => break,
            Ev::Start(e) => {
                let name = local(&e);
                if skipped(&name) {
                    ev.skip()?;
                    continue;
                }
                match name.as_slice() {
                    b"comment" => {
                        paragraphs = 0;
                        current = Some(Comment {
                            id: ev.attr(&e, b"id")?.unwrap_or_default(),
                            author: ev.attr(&e, b"author")?.unwrap_or_default(),
                            date: ev.attr(&e, b"date")?,
                            text: String::new(),
                        });
                    }
                    b"p" => {
                        if let Some(c) = current.as_mut()
                            && paragraphs > 0
                        {
                            c.text.push('\n');
                        }
                        paragraphs += 1;
                    }
                    b"t" => in_text = true,
                    _ => {}
                }
            }
            Ev::Text(t) => {
                if in_text && let Some(c) = current.as_mut() {
                    c.text.push_str(&t);
                }
            }
            Ev::End(name) => match name.as_slice() {
                b"t" => in_text = false,
                b"comment" => out.extend(current.take()),
                _ => {}
            },
            Ev::Empty(_) => {}
        }
    }
    Ok(out)
}

/// Reads `docProps/custom.xml`: property name → its text value.
pub fn custom_properties(file: &Path, xml: &str) -> Result<BTreeMap<String, String>, Diagnostic> {
    let mut ev = Events::new(file, xml);
    let mut out = BTreeMap::new();
    let mut name: Option<String> = None;
    let mut value = String::new();
    let mut depth_in_property = 0usize;
    loop {
        match ev.next()? {
            Ev::Eof => break,
            Ev::Start(e) => {
                if local(&e).as_slice() == b"property" {
                    name = ev.attr(&e, b"name")?;
                    value.clear();
                    depth_in_property = 1;
                } else if depth_in_property > 0 {
                    depth_in_property += 1;
                }
            }
            Ev::Text(t) => {
                if depth_in_property > 1 {
                    value.push_str(&t);
                }
            }
            Ev::End(n) => {
                if n.as_slice() == b"property" {
                    if let Some(k) = name.take() {
                        out.insert(k, std::mem::take(&mut value));
                    }
                    depth_in_property = 0;
                } else {
                    depth_in_property = depth_in_property.saturating_sub(1);
                }
            }
            Ev::Empty(_) => {}
        }
    }
    Ok(out)
}

/// Reads a relationships part: (type, target) of each relationship.
pub fn relationships(file: &Path, xml: &str) -> Result<Vec<(String, String)>, Diagnostic> {
    let mut ev = Events::new(file, xml);
    let mut out = Vec::new();
    loop {
        match ev.next()? {
            Ev::Eof => break,
            Ev::Start(e) | Ev::Empty(e)
                if local(&e).as_slice() == b"Relationship"
                    && ev.attr(&e, b"TargetMode")?.as_deref() != Some("External") =>
            {
                let kind = ev.attr(&e, b"Type")?.unwrap_or_default();
                let target = ev.attr(&e, b"Target")?.unwrap_or_default();
                out.push((kind, target));
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Result<Body, Diagnostic> {
        body(Path::new("t.docx:word/document.xml"), xml)
    }

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    #[test]
    fn tracked_changes_and_split_runs() {
        let xml = format!(
            "<w:document {W}><w:body><w:p w:rsidR=\"00A1\"><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r w:rsidR=\"1\"><w:t>Ter</w:t></w:r><w:r><w:t>m</w:t></w:r></w:p>\
             <w:p><w:r><w:t xml:space=\"preserve\">at least </w:t></w:r><w:del w:id=\"1\" w:author=\"J. Roe\" w:date=\"2024-05-02T10:00:00Z\"><w:r><w:delText>thirty (30)</w:delText></w:r></w:del>\
             <w:ins w:id=\"2\" w:author=\"J. Roe\" w:date=\"2024-05-02T10:00:00Z\"><w:r><w:t>sixty (60)</w:t></w:r></w:ins><w:r><w:t xml:space=\"preserve\"> days&apos; notice</w:t></w:r></w:p></w:body></w:document>"
        );
        let b = read(&xml).unwrap();
        assert_eq!(b.paragraphs.len(), 2);
        assert!(b.paragraphs[0].is_heading1());
        assert_eq!(b.paragraphs[0].text(true), "Term");
        assert_eq!(
            b.paragraphs[1].text(true),
            "at least sixty (60) days' notice"
        );
        assert_eq!(
            b.paragraphs[1].text(false),
            "at least thirty (30) days' notice"
        );
        assert_eq!(b.revisions.len(), 1);
        assert_eq!(b.revisions[0].author, "J. Roe");
    }

    #[test]
    fn dtd_and_unknown_entities_are_refused_with_a_place() {
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<w:document {W}><w:body/></w:document>"
        );
        let e = read(&xml).unwrap_err();
        assert_eq!(e.code, "E0851");
        assert!(e.message.contains("DTD"), "{}", e.message);
        assert_eq!(e.line, 2);
        let xml = format!(
            "<w:document {W}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
        );
        let e = read(&xml).unwrap_err();
        assert!(e.message.contains("&a;"), "{}", e.message);
        assert_eq!(e.line, 1);
        assert!(e.column > 1);
    }

    #[test]
    fn mismatched_tags_and_deep_nesting_are_errors() {
        let xml = format!("<w:document {W}><w:body><w:p></w:r></w:body></w:document>");
        assert!(read(&xml).is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 2);
        assert!(read(&deep).unwrap_err().message.contains("nested"));
    }

    #[test]
    fn property_changes_are_not_read_as_the_style() {
        let xml = format!(
            "<w:document {W}><w:body><w:p><w:pPr><w:pStyle w:val=\"Body\"/><w:pPrChange w:author=\"x\"><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr></w:pPrChange><w:rPr><w:ins w:id=\"3\" w:author=\"A\"/></w:rPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"
        );
        let b = read(&xml).unwrap();
        assert_eq!(b.paragraphs[0].style.as_deref(), Some("Body"));
        assert_eq!(b.paragraphs[0].mark, Some(Mark::Inserted(0)));
        assert!(!b.paragraphs[0].ends(false));
    }
}
