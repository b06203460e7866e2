//! Reading objects: lopdf lookups with references followed, and the PDF text
//! strings and XMP snippets the checks compare.

use lopdf::{Dictionary, Object, ObjectId};

use super::Pdf;

// ---------------------------------------------------------------------------------
// Reading objects

impl Pdf {
    /// `obj`, with a reference followed; `None` for a dangling reference.
    pub(crate) fn resolve<'a>(&'a self, obj: &'a Object) -> Option<&'a Object> {
        self.doc.dereference(obj).ok().map(|(_, o)| o)
    }

    /// Entry `key` of `dict`, references followed.
    pub(crate) fn get<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        self.resolve(dict.get(key).ok()?)
    }

    /// The dictionary `obj` is or refers to (a stream's dictionary for a stream).
    pub(crate) fn dict<'a>(&'a self, obj: &'a Object) -> Option<&'a Dictionary> {
        match self.resolve(obj)? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    pub(crate) fn get_dict<'a>(
        &'a self,
        dict: &'a Dictionary,
        key: &[u8],
    ) -> Option<&'a Dictionary> {
        self.dict(dict.get(key).ok()?)
    }

    pub(crate) fn get_name<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
        self.get(dict, key)?.as_name().ok()
    }

    pub(crate) fn get_int(&self, dict: &Dictionary, key: &[u8]) -> Option<i64> {
        self.get(dict, key)?.as_i64().ok()
    }

    pub(crate) fn by_id(&self, id: ObjectId) -> Option<&Dictionary> {
        match self.doc.get_object(id).ok()? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    /// The 1-based page number of page object `id`, for messages.
    pub(crate) fn page_number(&self, id: ObjectId) -> Option<usize> {
        self.pages.iter().position(|&p| p == id).map(|i| i + 1)
    }

    /// The page's resource dictionary, inherited from the page tree if need be.
    pub(crate) fn resources(&self, page: ObjectId) -> Option<&Dictionary> {
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
pub(crate) fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16be(rest)
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    }
}

pub(crate) fn utf16be(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

pub(crate) fn name(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub(crate) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
}

/// The text between `<tag>` and `</tag>` in `xml`, if present.
pub(crate) fn xml_element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(&xml[start..end])
}

/// Whether the XMP packet says `prefix:property` is `value`, as an element or as an
/// attribute (both are valid RDF).
pub(crate) fn xmp_says(xml: &str, property: &str, value: &str) -> bool {
    xml.contains(&format!("<{property}>{value}</{property}>"))
        || xml.contains(&format!("{property}=\"{value}\""))
}
