//! Checks 1 and 2: the catalog, info dictionary and XMP metadata, and the pages.

use std::collections::HashMap;

use lopdf::Object;

use super::Pdf;
use super::objects::{text_string, xml_element, xml_escape, xmp_says};

// ---------------------------------------------------------------------------------
// 1. Catalog, info and metadata

/// The document catalog says it is tagged, in which language, with which title shown,
/// and carries PDF/UA identification in uncompressed XMP (Matterhorn 01-001, 06-00x,
/// 07-001, 11-001).
pub(crate) fn check_catalog(pdf: &Pdf, problems: &mut Vec<String>) {
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
pub(crate) fn check_pages(pdf: &Pdf, problems: &mut Vec<String>) -> Vec<Option<i64>> {
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
