//! Checks 7 and 8: PDF/A-2b identification and the draft watermark.

use lopdf::Object;

use super::objects::{name, text_string, xml_element, xml_escape, xmp_says};
use super::{Pdf, Report};

/// Check 7: PDF/A-2b identification, output intent and file identifier, and the info
/// dictionary agreeing with the XMP (PDF/A-2 6.2.3, 6.6.2.x, 6.6.3, 6.1.3).
pub(crate) fn check_pdfa2b(pdf: &Pdf) -> Vec<String> {
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
        // XML may write an apostrophe or a quote as a reference or as itself.
        let agrees = xml_element(&xmp, element).is_some_and(|x| {
            x.replace("&apos;", "'")
                .replace("&quot;", "\"")
                .contains(&xml_escape(&value))
        });
        if !agrees {
            p(format!(
                "the info /{} {value:?} is not the XMP {element}",
                name(key)
            ));
        }
    }
    problems
}

/// Check 8: a draft carries its watermark on every page as artifact shapes, never as
/// text, so it is neither read aloud nor extracted.
pub(crate) fn check_watermark(pdf: &Pdf, report: &Report, draft: bool) -> Vec<String> {
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
