//! The DOCX package as a ZIP reader sees it: parts, numbering, fields, table
//! headers, properties, escaping, and byte-for-byte determinism.

use crate::common;

use mou::document::{Block, Document, Run, Signatory};
use mou::render::{PdfStandard, WriteOptions, docx};
use std::io::{Cursor, Read};

fn build(profile: &str) -> Document {
    common::example_document(profile)
}

fn opts(date: Option<mou::date::Date>) -> WriteOptions {
    WriteOptions {
        date,
        pdf_standard: PdfStandard::Ua1,
        esign_anchors: false,
    }
}

/// Every entry, in archive order, as (name, text).
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid zip archive");
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("readable entry");
        let when = file.last_modified().expect("a timestamp");
        assert_eq!(
            (
                when.year(),
                when.month(),
                when.day(),
                when.hour(),
                when.minute()
            ),
            (1980, 1, 1, 0, 0),
            "{} is not dated 1980-01-01",
            file.name()
        );
        let mut text = String::new();
        file.read_to_string(&mut text).expect("UTF-8 part");
        out.push((file.name().to_string(), text));
    }
    out
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    parts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.as_str())
        .unwrap_or_else(|| panic!("no part {name}"))
}

/// Well-formedness, roughly: a declaration, then tags that nest and close, and no
/// stray `&` or `<`. Enough to catch a writer that forgets to close or escape.
fn assert_well_formed(name: &str, xml: &str) {
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"),
        "{name}: no XML declaration"
    );
    let body = &xml[xml.find("?>").unwrap() + 2..];
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        check_text(name, &rest[..open]);
        let close = rest[open..]
            .find('>')
            .map(|i| open + i)
            .expect("unclosed tag");
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "{name}: '<' inside a tag: {tag}");
        if let Some(end) = tag.strip_prefix('/') {
            let top = stack.pop();
            assert_eq!(top, Some(end), "{name}: </{end}> closes {top:?}");
        } else if !tag.ends_with('/') {
            let tag_name = tag.split_whitespace().next().unwrap_or("");
            stack.push(tag_name);
        }
        // Attribute values: quotes balanced, no raw '&' outside entities.
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "{name}: odd quotes in {tag}"
        );
        check_text(name, tag);
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
    assert!(rest.trim().is_empty(), "{name}: text after the root");
}

fn check_text(name: &str, text: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text.len().min(i + 7)];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "{name}: raw '&' in {text:?}"
        );
    }
    for c in text.chars() {
        assert!(
            (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'),
            "{name}: control character {c:?}"
        );
    }
}

fn count_lists(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|b| match b {
            Block::List(list) => 1 + list.items.iter().map(|i| count_lists(i)).sum::<usize>(),
            Block::Quote(inner) => count_lists(inner),
            _ => 0,
        })
        .sum()
}

fn count_tables(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|b| match b {
            Block::Table(_) => 1,
            Block::List(list) => list.items.iter().map(|i| count_tables(i)).sum(),
            Block::Quote(inner) => count_tables(inner),
            _ => 0,
        })
        .sum()
}

#[test]
fn package_has_the_parts_word_needs() {
    let doc = build("tacoma-2021.toml");
    let bytes = docx::render(&doc, &opts(mou::date::Date::new(2021, 11, 18))).unwrap();
    let parts = unzip(&bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "docProps/custom.xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/numbering.xml",
            "word/settings.xml",
            "word/fontTable.xml",
            "word/theme/theme1.xml",
            "word/footer1.xml",
            "word/header1.xml",
            "word/header2.xml",
        ]
    );
    for (name, text) in &parts {
        assert_well_formed(name, text);
    }

    let types = part(&parts, "[Content_Types].xml");
    for (part_name, kind) in [
        ("/word/document.xml", "wordprocessingml.document.main+xml"),
        ("/word/styles.xml", "wordprocessingml.styles+xml"),
        ("/word/numbering.xml", "wordprocessingml.numbering+xml"),
        ("/word/footer1.xml", "wordprocessingml.footer+xml"),
        ("/docProps/core.xml", "package.core-properties+xml"),
    ] {
        assert!(
            types.contains(&format!(
                "PartName=\"{part_name}\" ContentType=\"application/vnd.openxmlformats-{}",
                if kind.starts_with("package") {
                    kind.to_string()
                } else {
                    format!("officedocument.{kind}")
                }
            )),
            "content type of {part_name}"
        );
    }
    assert!(types.contains("/word/header1.xml") && types.contains("/word/header2.xml"));

    let body = part(&parts, "word/document.xml");
    // Title block and one Heading 1 per article, in order.
    assert!(body.contains("<w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t xml:space=\"preserve\">School Liaison Officer Agreement</w:t>"));
    assert!(body.contains("between Tacoma Public Schools and Tacoma Police Department"));
    assert!(body.contains("Dated November 18, 2021"));
    assert_eq!(
        body.matches("<w:pStyle w:val=\"Heading1\"/>").count(),
        doc.articles.len()
    );
    // Article numbers are Word numbering (tests/it/docx_native.rs): the heading text
    // is the title alone, as the front matter writes it (the PDF's case).
    let mut at = 0;
    for article in &doc.articles {
        let found = body[at..]
            .find(&format!(">{}</w:t>", article.title))
            .unwrap_or_else(|| panic!("heading {} out of order", article.heading()));
        at += found;
    }
    // Sections: "3.1 Selection" as Heading 2, numbered by the headings' list.
    assert!(body.contains("<w:pStyle w:val=\"Heading2\"/><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:bookmarkStart w:id=\"4\" w:name=\"mou_appointment_s1\"/><w:r><w:t xml:space=\"preserve\">Selection</w:t>"));

    // Lists: real numbering, one instance per list, each defined.
    let numbering = part(&parts, "word/numbering.xml");
    let lists: usize = doc.articles.iter().map(|a| count_lists(&a.blocks)).sum();
    assert!(lists >= 4, "the profile has lists");
    // One more: the headings' list.
    assert_eq!(numbering.matches("<w:num w:numId=").count(), lists + 1);
    assert_eq!(numbering.matches("<w:abstractNum ").count(), lists + 1);
    assert!(body.matches("<w:numPr>").count() > lists);
    for id in 2..=lists + 1 {
        assert!(
            body.contains(&format!("<w:numId w:val=\"{id}\"/>")),
            "list {id} is not used"
        );
    }
    assert!(numbering.contains("<w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/>"));
    // Labelled and indented as the PDF's lists: "a.", text 22 pt in per level.
    assert!(numbering.contains("<w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"%2.\"/>"));
    assert!(numbering.contains("<w:numFmt w:val=\"bullet\"/>"));
    assert!(numbering.contains("<w:ind w:left=\"440\" w:hanging=\"440\"/>"));
    assert!(numbering.contains("<w:ind w:left=\"880\" w:hanging=\"440\"/>"));
    // No typed numbers: list item text starts with the words, not "1.".
    assert!(body.contains("<w:t xml:space=\"preserve\">have volunteered for the assignment"));

    // Tables: each data table repeats a bold header row; signatures are a borderless
    // table whose rows never split.
    let tables = doc
        .articles
        .iter()
        .map(|a| count_tables(&a.blocks))
        .sum::<usize>();
    assert!(tables >= 2, "the profile has tables");
    assert_eq!(body.matches("<w:tblHeader/>").count(), tables);
    assert_eq!(body.matches("<w:tbl>").count(), tables + 1);
    assert!(body.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"));
    assert!(body.contains("<w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">School</w:t>"));
    assert!(body.contains("District-wide (all schools)"));
    assert!(body.contains("<w:top w:val=\"nil\"/>"));
    // The PDF's table rules: heavy above and below, a medium rule under the header
    // (and the heavy one over it, repeated with it), grey hairlines between rows, no
    // vertical rules, no shading.
    let heavy = "w:val=\"single\" w:sz=\"7\" w:space=\"0\" w:color=\"000000\"";
    assert_eq!(
        body.matches(&format!(
            "<w:tblBorders><w:top {heavy}/><w:left w:val=\"nil\"/><w:bottom {heavy}/>\
             <w:right w:val=\"nil\"/><w:insideH w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"6E6E6E\"/>\
             <w:insideV w:val=\"nil\"/></w:tblBorders>"
        ))
        .count(),
        tables
    );
    assert!(body.contains(&format!(
        "<w:tcBorders><w:top {heavy}/><w:bottom w:val=\"single\" w:sz=\"5\" w:space=\"0\" w:color=\"000000\"/></w:tcBorders>"
    )));
    assert!(!body.contains("<w:shd "));
    // Money columns are right-aligned (the typography pass marks them), header too.
    assert!(body.contains(
        "<w:jc w:val=\"right\"/></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">Amount</w:t>"
    ));
    assert!(body.contains(
        "<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">$58,500.00</w:t>"
    ));
    assert!(body.contains("<w:t xml:space=\"preserve\">Tacoma Police Department</w:t>"));
    assert!(body.contains("Joshua Garcia") && body.contains("Mike Ake"));
    assert!(body.contains("By: "));

    // US Letter, 1-inch margins, footer attached.
    assert!(body.contains("<w:pgSz w:w=\"12240\" w:h=\"15840\"/>"));
    assert!(body.contains("w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\""));
    assert!(body.contains("<w:footerReference w:type=\"default\" r:id=\"rId5\"/>"));
    // As in the PDF: the running header on every page but the first.
    assert!(body.contains(
        "<w:headerReference w:type=\"default\" r:id=\"rId6\"/><w:headerReference w:type=\"first\" r:id=\"rId9\"/>"
    ));
    assert!(body.contains("<w:titlePg/></w:sectPr>"));
    let running = part(&parts, "word/header1.xml");
    assert!(running.contains(">School Liaison Officer Agreement \u{2014} City of Tacoma</w:t>"));
    assert!(
        !running.contains("v:textpath"),
        "a final agreement has no watermark"
    );
    let first = part(&parts, "word/header2.xml");
    assert!(!first.contains("<w:t") && !first.contains("v:textpath"));
    let rels = part(&parts, "word/_rels/document.xml.rels");
    assert!(rels.contains("Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\""));

    let footer = part(&parts, "word/footer1.xml");
    let page = footer.find("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>");
    let pages = footer.find("<w:instrText xml:space=\"preserve\"> NUMPAGES </w:instrText>");
    assert!(
        page.is_some() && pages.is_some() && page < pages,
        "{footer}"
    );
    assert_eq!(footer.matches("w:fldCharType=\"begin\"").count(), 2);
    assert!(footer.contains(">Page </w:t>") && footer.contains("> of </w:t>"));
    assert!(
        !footer.contains("Tacoma"),
        "the short title is the header's"
    );

    let styles = part(&parts, "word/styles.xml");
    assert!(styles.contains("<w:rFonts w:ascii=\"Liberation Serif\""));
    assert!(styles.contains("<w:sz w:val=\"23\"/>"));
    for id in ["Title", "Heading1", "Heading2", "ListParagraph"] {
        assert!(
            styles.contains(&format!("w:styleId=\"{id}\"")),
            "style {id}"
        );
    }
    // Headings as the PDF prints them: centred, in the title's case (no all caps).
    let heading1 = &styles[styles.find("w:styleId=\"Heading1\"").unwrap()..];
    let heading1 = &heading1[..heading1.find("</w:style>").unwrap()];
    assert!(heading1.contains("<w:jc w:val=\"center\"/>"), "{heading1}");
    assert!(!styles.contains("<w:caps/>"));

    assert!(part(&parts, "word/settings.xml").contains("<w:doNotExpandShiftReturn/>"));

    let core = part(&parts, "docProps/core.xml");
    assert!(core.contains("<dc:title>School Liaison Officer Agreement</dc:title>"));
    assert!(core.contains(&format!("<dc:subject>{}</dc:subject>", doc.subject)));
    assert!(
        core.contains("<dc:creator>Tacoma Public Schools; Tacoma Police Department</dc:creator>")
    );
    assert!(core.contains(">2021-11-18T00:00:00Z</dcterms:created>"));
    assert!(core.contains(">2021-11-18T00:00:00Z</dcterms:modified>"));

    let undated = unzip(&docx::render(&doc, &opts(None)).unwrap());
    assert!(
        part(&undated, "docProps/core.xml").contains(">2000-01-01T00:00:00Z</dcterms:created>")
    );
}

#[test]
fn drafts_carry_a_header_and_blanks() {
    let doc = build("kentucky-city-2025.toml");
    assert!(doc.draft, "kentucky-city-2025 is a draft");
    let parts = unzip(&docx::render(&doc, &opts(mou::date::Date::new(2025, 6, 16))).unwrap());
    for (name, text) in &parts {
        assert_well_formed(name, text);
    }
    // The PDF's marking: a large light grey "DRAFT" on the page's diagonal, on every
    // page (the first page's header too), and no other label.
    for name in ["word/header1.xml", "word/header2.xml"] {
        let header = part(&parts, name);
        assert!(
            header.contains("string=\"DRAFT\"")
                && header.contains("rotation:308;")
                && header.contains("fillcolor=\"#dedede\""),
            "watermark in {name}"
        );
        assert!(!header.contains("NOT FOR SIGNATURE"));
    }
    assert!(
        part(&parts, "docProps/core.xml").contains("<cp:contentStatus>Draft</cp:contentStatus>")
    );
    assert!(part(&parts, "word/_rels/document.xml.rels").contains("Target=\"header1.xml\""));
    let body = part(&parts, "word/document.xml");
    assert!(body.contains("<w:headerReference w:type=\"default\" r:id=\"rId6\"/>"));
    assert!(body.contains(
        "<w:rPr><w:highlight w:val=\"yellow\"/></w:rPr><w:t xml:space=\"preserve\">[__________]</w:t>"
    ));
}

#[test]
fn hostile_text_is_escaped() {
    let mut doc = build("tacoma-2021.toml");
    doc.title = "A <b>&amp; \"B\"\u{1}\u{FFFF}".into();
    doc.parties[0] = "X & Y <Z>".into();
    doc.articles[0]
        .blocks
        .push(Block::Paragraph(vec![Run::plain(
            "]]> <w:p> & \u{0b}\ttab",
        )]));
    // Three signatories: two rows, the second with an empty cell.
    let sig = |party: &str| Signatory {
        party: party.into(),
        name: "N & M".into(),
        title: "T".into(),
        date: Some("May 1, 2026".into()),
        role: Default::default(),
        statement: None,
    };
    doc.articles[0]
        .blocks
        .push(Block::Signatures(vec![sig("P1"), sig("P2"), sig("P3 <x>")]));
    let parts = unzip(&docx::render(&doc, &opts(None)).unwrap());
    for (name, text) in &parts {
        assert_well_formed(name, text);
    }
    let core = part(&parts, "docProps/core.xml");
    assert!(core.contains("<dc:title>A &lt;b&gt;&amp;amp; &quot;B&quot;</dc:title>"));
    assert!(core.contains("<dc:creator>X &amp; Y &lt;Z&gt;; "));
    let body = part(&parts, "word/document.xml");
    assert!(
        body.contains("]]&gt; &lt;w:p&gt; &amp; </w:t><w:tab/><w:t xml:space=\"preserve\">tab")
    );
    assert!(body.contains("P3 &lt;x&gt;</w:t>"));
    assert!(body.contains("Name: </w:t></w:r><w:r><w:t xml:space=\"preserve\">N &amp; M"));
    assert!(body.contains("Date: </w:t></w:r><w:r><w:t xml:space=\"preserve\">May 1, 2026"));
    assert!(
        body.contains("<w:tc><w:tcPr><w:tcW w:w=\"4680\" w:type=\"dxa\"/></w:tcPr><w:p/></w:tc>")
    );
}

#[test]
fn same_document_same_bytes_in_any_order_and_thread() {
    let final_doc = build("tacoma-2021.toml");
    let draft_doc = build("kentucky-city-2025.toml");
    let o = opts(mou::date::Date::new(2021, 11, 18));
    let first = docx::render(&final_doc, &o).unwrap();
    // Another document in between must not shift any counter.
    let draft_first = docx::render(&draft_doc, &o).unwrap();
    let second = docx::render(&final_doc, &o).unwrap();
    assert!(first == second, "second render differs");
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| docx::render(&final_doc, &o).unwrap());
        let b = s.spawn(|| {
            let _ = docx::render(&draft_doc, &o).unwrap();
            docx::render(&final_doc, &o).unwrap()
        });
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(
        a == first && b == first,
        "a render on another thread differs"
    );
    assert!(docx::render(&draft_doc, &o).unwrap() == draft_first);
}
