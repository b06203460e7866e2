//! The package parts around the body: content types, relationships, properties,
//! styles, numbering definitions, settings, fonts, header and footer.

use super::xml::escape;
use crate::date::Date;
use crate::document::{Document, Numbering};
use std::fmt::Write;

pub const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
pub const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The font family the PDF writer embeds; here it is named, not embedded.
pub const FONT: &str = "Liberation Serif";
/// Body text size in half-points (11.5 pt).
pub const BODY_SIZE: u32 = 23;

/// US Letter in twentieths of a point, with 1-inch margins.
pub const PAGE_WIDTH: u32 = 12240;
pub const PAGE_HEIGHT: u32 = 15840;
pub const MARGIN: u32 = 1440;
/// Width of the text block: 6.5 inches.
pub const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;

const WORDML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

pub fn content_types(comments: bool) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    );
    let mut part = |name: &str, kind: &str| {
        let _ = write!(
            s,
            "<Override PartName=\"/word/{name}\" ContentType=\"{WORDML}.{kind}+xml\"/>"
        );
    };
    part("document.xml", "document.main");
    part("styles.xml", "styles");
    part("numbering.xml", "numbering");
    part("settings.xml", "settings");
    part("fontTable.xml", "fontTable");
    part("footer1.xml", "footer");
    part("header1.xml", "header");
    part("header2.xml", "header");
    if comments {
        part("comments.xml", "comments");
    }
    s.push_str(
        "<Override PartName=\"/docProps/custom.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"/>\
         <Override PartName=\"/word/theme/theme1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
         </Types>",
    );
    s
}

pub fn package_rels() -> String {
    format!(
        "{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{NS_R}/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{NS_R}/extended-properties\" Target=\"docProps/app.xml\"/>\
         <Relationship Id=\"rId4\" Type=\"{NS_R}/custom-properties\" Target=\"docProps/custom.xml\"/>\
         </Relationships>"
    )
}

/// Relationship ids of the parts the body refers to.
pub const RID_FOOTER: &str = "rId5";
pub const RID_HEADER: &str = "rId6";
/// The first page's header (`w:titlePg`): no running header there, as in the PDF.
pub const RID_FIRST_HEADER: &str = "rId9";
const RID_COMMENTS: &str = "rId8";

pub fn document_rels(comments: bool) -> String {
    let mut s = format!(
        "{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{NS_R}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{NS_R}/numbering\" Target=\"numbering.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{NS_R}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rId4\" Type=\"{NS_R}/fontTable\" Target=\"fontTable.xml\"/>\
         <Relationship Id=\"rId7\" Type=\"{NS_R}/theme\" Target=\"theme/theme1.xml\"/>\
         <Relationship Id=\"{RID_FOOTER}\" Type=\"{NS_R}/footer\" Target=\"footer1.xml\"/>\
         <Relationship Id=\"{RID_HEADER}\" Type=\"{NS_R}/header\" Target=\"header1.xml\"/>\
         <Relationship Id=\"{RID_FIRST_HEADER}\" Type=\"{NS_R}/header\" Target=\"header2.xml\"/>"
    );
    if comments {
        let _ = write!(
            s,
            "<Relationship Id=\"{RID_COMMENTS}\" Type=\"{NS_R}/comments\" Target=\"comments.xml\"/>"
        );
    }
    s.push_str("</Relationships>");
    s
}

/// `word/comments.xml`: each drafting note (its paragraphs, already written) as a
/// comment by "mou", dated like the tracked changes.
pub fn comments(bodies: &[String], date: Option<Date>) -> String {
    let when = w3cdtf(date);
    let mut s = format!("{XML_DECL}<w:comments xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\">");
    for (id, body) in bodies.iter().enumerate() {
        let _ = write!(
            s,
            "<w:comment w:id=\"{id}\" w:author=\"mou\" w:date=\"{when}\" w:initials=\"mou\">{body}</w:comment>"
        );
    }
    s.push_str("</w:comments>");
    s
}

/// `YYYY-MM-DDT00:00:00Z` from the render date; 2000-01-01 when there is none or it
/// cannot be a W3CDTF year.
pub fn w3cdtf(date: Option<Date>) -> String {
    let (y, m, d) = match date.map(Date::ymd) {
        Some((y, m, d))
            if (1..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) =>
        {
            (y, m, d)
        }
        _ => (2000, 1, 1),
    };
    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
}

pub fn core_properties(doc: &Document, date: Option<Date>) -> String {
    let when = w3cdtf(date);
    format!(
        "{XML_DECL}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{title}</dc:title>\
         <dc:subject>{subject}</dc:subject>\
         <dc:creator>{creator}</dc:creator>\
         <dc:language>{lang}</dc:language>{status}\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified>\
         </cp:coreProperties>",
        title = escape(&doc.title),
        subject = escape(&doc.subject),
        creator = escape(&doc.parties.join("; ")),
        lang = escape(&doc.language),
        // Word shows it as the document's Status: a draft says so even to a reader
        // that draws no watermark.
        status = if doc.draft {
            "<cp:contentStatus>Draft</cp:contentStatus>"
        } else {
            ""
        },
    )
}

pub fn app_properties() -> String {
    format!(
        "{XML_DECL}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
         <Template>Normal.dotm</Template><Application>mou</Application><DocSecurity>0</DocSecurity>\
         </Properties>"
    )
}

/// `doNotExpandShiftReturn`: a justified line that ends in a hard line break is not
/// stretched across the page (Word and LibreOffice both honour it).
pub fn settings() -> String {
    format!(
        "{XML_DECL}<w:settings xmlns:w=\"{NS_W}\">\
         <w:zoom w:percent=\"100\"/>\
         <w:defaultTabStop w:val=\"720\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/>\
         <w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name=\"compatibilityMode\" \
         w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         </w:settings>"
    )
}

/// A minimal theme: Word always writes one and validators expect it. Colours are
/// Office's defaults; both theme fonts are the body font.
pub fn theme() -> String {
    let mut s = format!(
        "{XML_DECL}<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"mou\">\
         <a:themeElements><a:clrScheme name=\"mou\">\
         <a:dk1><a:sysClr val=\"windowText\" lastClr=\"000000\"/></a:dk1>\
         <a:lt1><a:sysClr val=\"window\" lastClr=\"FFFFFF\"/></a:lt1>"
    );
    for (name, rgb) in [
        ("dk2", "44546A"),
        ("lt2", "E7E6E6"),
        ("accent1", "4472C4"),
        ("accent2", "ED7D31"),
        ("accent3", "A5A5A5"),
        ("accent4", "FFC000"),
        ("accent5", "5B9BD5"),
        ("accent6", "70AD47"),
        ("hlink", "0563C1"),
        ("folHlink", "954F72"),
    ] {
        let _ = write!(s, "<a:{name}><a:srgbClr val=\"{rgb}\"/></a:{name}>");
    }
    s.push_str("</a:clrScheme><a:fontScheme name=\"mou\">");
    for kind in ["major", "minor"] {
        let _ = write!(
            s,
            "<a:{kind}Font><a:latin typeface=\"{FONT}\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/></a:{kind}Font>"
        );
    }
    s.push_str("</a:fontScheme><a:fmtScheme name=\"mou\">");
    let fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    let lists = [
        ("fillStyleLst", fill.to_string()),
        ("lnStyleLst", format!("<a:ln w=\"6350\">{fill}</a:ln>")),
        (
            "effectStyleLst",
            "<a:effectStyle><a:effectLst/></a:effectStyle>".to_string(),
        ),
        ("bgFillStyleLst", fill.to_string()),
    ];
    for (list, item) in lists {
        let _ = write!(s, "<a:{list}>{item}{item}{item}</a:{list}>");
    }
    s.push_str(
        "</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>",
    );
    s
}

pub fn font_table() -> String {
    format!(
        "{XML_DECL}<w:fonts xmlns:w=\"{NS_W}\">\
         <w:font w:name=\"{FONT}\"><w:altName w:val=\"Times New Roman\"/>\
         <w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>\
         </w:fonts>"
    )
}

pub fn styles(language: &str) -> String {
    let lang = escape(language);
    let mut s = format!(
        "{XML_DECL}<w:styles xmlns:w=\"{NS_W}\">\
         <w:docDefaults>\
         <w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>\
         <w:sz w:val=\"{BODY_SIZE}\"/><w:szCs w:val=\"{BODY_SIZE}\"/>\
         <w:lang w:val=\"{lang}\" w:eastAsia=\"{lang}\" w:bidi=\"ar-SA\"/>\
         </w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults>"
    );
    // Defaults Word expects to find.
    s.push_str(
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:widowControl/><w:spacing w:after=\"140\" w:line=\"264\" w:lineRule=\"auto\"/><w:jc w:val=\"both\"/></w:pPr></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/>\
         <w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
         <w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>\
         <w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>\
         </w:tblCellMar></w:tblPr></w:style>\
         <w:style w:type=\"numbering\" w:default=\"1\" w:styleId=\"NoList\"><w:name w:val=\"No List\"/>\
         <w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>",
    );
    let mut para = |id: &str, name: &str, extra: &str, ppr: &str, rpr: &str| {
        let _ = write!(
            s,
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
             <w:basedOn w:val=\"Normal\"/>{extra}<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        );
    };
    para(
        "Title",
        "Title",
        "<w:next w:val=\"Normal\"/><w:uiPriority w:val=\"10\"/><w:qFormat/>",
        "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"160\"/><w:jc w:val=\"center\"/>",
        "<w:b/><w:bCs/><w:kern w:val=\"28\"/><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/>",
    );
    para(
        "Subtitle",
        "Subtitle",
        "<w:next w:val=\"Normal\"/><w:uiPriority w:val=\"11\"/><w:qFormat/>",
        "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"80\"/><w:jc w:val=\"center\"/>",
        "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>",
    );
    para(
        "AgreementDate",
        "Agreement Date",
        "<w:next w:val=\"Normal\"/><w:qFormat/>",
        "<w:spacing w:before=\"0\" w:after=\"240\"/><w:jc w:val=\"center\"/>",
        "<w:i/><w:iCs/>",
    );
    // The short centred rule under the title block (96 pt, as in the PDF): an empty
    // paragraph's bottom border, the paragraph indented to the rule's width.
    para(
        "TitleRule",
        "Title Rule",
        "<w:next w:val=\"Normal\"/>",
        "<w:keepNext/><w:pBdr><w:bottom w:val=\"single\" w:sz=\"5\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>\
         <w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/>\
         <w:ind w:left=\"3720\" w:right=\"3720\"/>",
        "<w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/>",
    );
    para(
        "Heading1",
        "heading 1",
        "<w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>",
        "<w:keepNext/><w:keepLines/><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:spacing w:before=\"440\" w:after=\"140\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>",
    );
    para(
        "Heading2",
        "heading 2",
        "<w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:unhideWhenUsed/><w:qFormat/>",
        "<w:keepNext/><w:keepLines/><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr><w:spacing w:before=\"240\" w:after=\"100\"/><w:jc w:val=\"left\"/><w:outlineLvl w:val=\"1\"/>",
        // A clause's sections, bold italic as the PDF sets them.
        "<w:b/><w:bCs/><w:i/><w:iCs/>",
    );
    para(
        "Heading3",
        "heading 3",
        "<w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:unhideWhenUsed/><w:qFormat/>",
        "<w:keepNext/><w:keepLines/><w:spacing w:before=\"160\" w:after=\"80\"/><w:jc w:val=\"left\"/><w:outlineLvl w:val=\"2\"/>",
        "<w:b/><w:bCs/><w:i/><w:iCs/>",
    );
    para(
        "ListParagraph",
        "List Paragraph",
        "<w:uiPriority w:val=\"34\"/><w:qFormat/>",
        "<w:spacing w:after=\"80\"/>",
        "",
    );
    para(
        "Quote",
        "Quote",
        "<w:next w:val=\"Normal\"/><w:uiPriority w:val=\"29\"/><w:qFormat/>",
        "<w:ind w:left=\"560\" w:right=\"560\"/>",
        "<w:i/><w:iCs/>",
    );
    para(
        "TableText",
        "Table Text",
        "<w:qFormat/>",
        "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"left\"/>",
        "<w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>",
    );
    para(
        "SignatureText",
        "Signature Text",
        "<w:qFormat/>",
        "<w:keepNext/><w:keepLines/><w:spacing w:before=\"0\" w:after=\"60\"/><w:jc w:val=\"left\"/>",
        "",
    );
    para(
        "CommentText",
        "annotation text",
        "<w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>",
        "<w:spacing w:after=\"0\"/><w:jc w:val=\"left\"/>",
        "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    );
    para(
        "Header",
        "header",
        "<w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>",
        "<w:tabs><w:tab w:val=\"center\" w:pos=\"4680\"/><w:tab w:val=\"right\" w:pos=\"9360\"/></w:tabs>\
         <w:spacing w:after=\"0\"/><w:jc w:val=\"center\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    );
    para(
        "Footer",
        "footer",
        "<w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>",
        "<w:spacing w:after=\"0\"/><w:jc w:val=\"center\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    );
    s.push_str(
        "<w:style w:type=\"character\" w:styleId=\"CommentReference\"><w:name w:val=\"annotation reference\"/>\
         <w:basedOn w:val=\"DefaultParagraphFont\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>\
         <w:rPr><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>",
    );
    s.push_str("</w:styles>");
    s
}

/// Kinds of list level: bullets, or one of the ordered formats by depth, labelled as
/// the PDF labels them ("1.", "a.", "i.", "•", "–"), the label where the text of the
/// level above starts and the text [`LIST_STEP`] further in.
fn level_xml(out: &mut String, ilvl: u8, ordered: bool, start: u64) {
    let left = list_indent(ilvl);
    let hanging = LIST_STEP;
    let (fmt, text) = if ordered {
        let fmt = match ilvl % 3 {
            0 => "decimal",
            1 => "lowerLetter",
            _ => "lowerRoman",
        };
        (fmt, format!("%{}.", ilvl + 1))
    } else {
        let bullet = if ilvl.is_multiple_of(2) {
            "\u{2022}"
        } else {
            "\u{2013}"
        };
        ("bullet", bullet.to_string())
    };
    let _ = write!(
        out,
        "<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"{start}\"/><w:numFmt w:val=\"{fmt}\"/>\
         <w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/>\
         <w:pPr><w:ind w:left=\"{left}\" w:hanging=\"{hanging}\"/></w:pPr>"
    );
    if !ordered {
        let _ = write!(
            out,
            "<w:rPr><w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:hint=\"default\"/></w:rPr>"
        );
    }
    out.push_str("</w:lvl>");
}

/// How far each list level indents its text: 22 pt, the PDF's label column
/// (`layout/blocks.rs`, for labels up to "10.").
pub const LIST_STEP: u32 = 440;

/// Left indent of list text at `ilvl`: where continuation paragraphs and nested
/// tables line up.
pub fn list_indent(ilvl: u8) -> u32 {
    LIST_STEP * (u32::from(ilvl) + 1)
}

/// A block quote's indent on either side: the PDF's 28 pt.
pub const QUOTE_INDENT: u32 = 560;

pub const LEVELS: u8 = 9;

/// The instance of the headings' list, which the Heading 1 and Heading 2 styles link.
pub const HEADING_NUM_ID: usize = 1;

/// The headings' multilevel list (definition 0, instance [`HEADING_NUM_ID`]): level 1
/// numbers articles as the PDF does (`Article IV.` or `4.`), level 2 sections
/// `4.1` (legal numbering: arabic even under Roman articles, restarting with each
/// article). Word renumbers what follows an article inserted in Word, and REF fields
/// to the headings' bookmarks follow.
fn heading_list(s: &mut String, numbering: Numbering) {
    let (fmt, text) = match numbering {
        // "Article IV." as the PDF heads the article (`Article::heading_label`), and a
        // REF field's `\r` (the number with the level's text before it) gives
        // "Article IV", the words the agreement uses.
        Numbering::Articles => ("upperRoman", "Article %1."),
        Numbering::Decimal => ("decimal", "%1."),
    };
    let _ = write!(
        s,
        "<w:abstractNum w:abstractNumId=\"0\"><w:nsid w:val=\"4D4F5548\"/>\
         <w:multiLevelType w:val=\"multilevel\"/>\
         <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/>\
         <w:pStyle w:val=\"Heading1\"/><w:suff w:val=\"space\"/><w:lvlText w:val=\"{text}\"/>\
         <w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"0\" w:firstLine=\"0\"/></w:pPr></w:lvl>\
         <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>\
         <w:pStyle w:val=\"Heading2\"/><w:isLgl/><w:suff w:val=\"space\"/><w:lvlText w:val=\"%1.%2\"/>\
         <w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"0\" w:firstLine=\"0\"/></w:pPr></w:lvl>\
         </w:abstractNum>"
    );
}

/// The headings' list, then one abstract definition and one instance per list:
/// `lists[i]` is `Some((level, start))` for an ordered list, `None` for a bulleted one.
/// Instance ids are `i + 2`. A separate definition for every ordered list makes each
/// one restart in every reader, without relying on level overrides.
pub fn numbering(headings: Numbering, lists: &[Option<(u8, u64)>]) -> String {
    let mut s = format!("{XML_DECL}<w:numbering xmlns:w=\"{NS_W}\">");
    heading_list(&mut s, headings);
    for (i, list) in lists.iter().enumerate() {
        let _ = write!(
            s,
            "<w:abstractNum w:abstractNumId=\"{}\"><w:nsid w:val=\"{:08X}\"/>\
             <w:multiLevelType w:val=\"hybridMultilevel\"/>",
            i + 1,
            0x4D4F_0000_u32.wrapping_add(i as u32)
        );
        for ilvl in 0..LEVELS {
            let (ordered, start) = match list {
                Some((level, start)) if *level == ilvl => (true, *start),
                Some(_) => (true, 1),
                None => (false, 1),
            };
            level_xml(&mut s, ilvl, ordered, start);
        }
        s.push_str("</w:abstractNum>");
    }
    let _ = write!(
        s,
        "<w:num w:numId=\"{HEADING_NUM_ID}\"><w:abstractNumId w:val=\"0\"/></w:num>"
    );
    for i in 0..lists.len() {
        let _ = write!(
            s,
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{}\"/></w:num>",
            i + 2,
            i + 1
        );
    }
    s.push_str("</w:numbering>");
    s
}

/// `Page N of M`, centred, as the PDF's footer.
pub fn footer() -> String {
    let field = |name: &str| {
        format!(
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
             <w:r><w:instrText xml:space=\"preserve\"> {name} </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
             <w:r><w:rPr><w:noProof/></w:rPr><w:t>1</w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        )
    };
    format!(
        "{XML_DECL}<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\">\
         <w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">Page </w:t></w:r>{page}\
         <w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>{pages}</w:p></w:ftr>",
        page = field("PAGE"),
        pages = field("NUMPAGES"),
    )
}

/// A header part. `running`: the header of every page but the first, as the PDF
/// draws it (`layout/furniture.rs`): the short title in grey italics at the right over
/// a thin grey rule. A draft's pages all carry the watermark, which Word anchors in
/// the header (so the first page's header has it too).
pub fn header(short_title: &str, running: bool, draft: bool) -> String {
    let mut s = format!(
        "{XML_DECL}<w:hdr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\" \
         xmlns:v=\"urn:schemas-microsoft-com:vml\" \
         xmlns:o=\"urn:schemas-microsoft-com:office:office\" \
         xmlns:w10=\"urn:schemas-microsoft-com:office:word\"><w:p><w:pPr><w:pStyle w:val=\"Header\"/>"
    );
    let title = short_title.trim();
    let running = running && !title.is_empty();
    if running {
        s.push_str(
            "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"3\" w:space=\"1\" w:color=\"6E6E6E\"/></w:pBdr>\
             <w:jc w:val=\"right\"/>",
        );
    }
    s.push_str("</w:pPr>");
    if draft {
        s.push_str(&watermark());
    }
    if running {
        let _ = write!(
            s,
            "<w:r><w:rPr><w:i/><w:iCs/><w:color w:val=\"6E6E6E\"/></w:rPr>\
             <w:t xml:space=\"preserve\">{}</w:t></w:r>",
            escape(title)
        );
    }
    s.push_str("</w:p></w:hdr>");
    s
}

/// The draft watermark: a large, light grey, bold "DRAFT" across the page on the
/// diagonal the PDF uses (bottom left to top right, `atan(11 / 8.5)`, about 52°),
/// written as the VML text shape Word itself writes for watermarks (LibreOffice
/// imports it as one too).
fn watermark() -> String {
    format!(
        "<w:r><w:rPr><w:noProof/></w:rPr><w:pict>{WATERMARK_SHAPETYPE}\
         <v:shape id=\"PowerPlusWaterMarkObject1\" o:spid=\"_x0000_s1025\" type=\"#_x0000_t136\" \
         style=\"position:absolute;margin-left:0;margin-top:0;width:470pt;height:120pt;\
         rotation:308;z-index:-251657216;mso-position-horizontal:center;\
         mso-position-horizontal-relative:page;mso-position-vertical:center;\
         mso-position-vertical-relative:page\" o:allowincell=\"f\" fillcolor=\"#dedede\" stroked=\"f\">\
         <v:textpath style=\"font-family:&quot;{FONT}&quot;;font-size:1pt;font-weight:bold\" string=\"DRAFT\"/>\
         <w10:wrap anchorx=\"page\" anchory=\"page\"/></v:shape></w:pict></w:r>"
    )
}

/// Word's definition of the WordArt "plain text" shape (VML shape type 136).
const WATERMARK_SHAPETYPE: &str = "<v:shapetype id=\"_x0000_t136\" coordsize=\"21600,21600\" \
    o:spt=\"136\" adj=\"10800\" path=\"m@7,l@8,m@5,21600l@6,21600e\"><v:formulas>\
    <v:f eqn=\"sum #0 0 10800\"/><v:f eqn=\"prod #0 2 1\"/><v:f eqn=\"sum 21600 0 @1\"/>\
    <v:f eqn=\"sum 0 0 @2\"/><v:f eqn=\"sum 21600 0 @3\"/><v:f eqn=\"if @0 @3 0\"/>\
    <v:f eqn=\"if @0 21600 @1\"/><v:f eqn=\"if @0 0 @2\"/><v:f eqn=\"if @0 @4 21600\"/>\
    <v:f eqn=\"mid @5 @6\"/><v:f eqn=\"mid @8 @5\"/><v:f eqn=\"mid @7 @8\"/>\
    <v:f eqn=\"mid @6 @7\"/><v:f eqn=\"sum @6 0 @5\"/></v:formulas>\
    <v:path textpathok=\"t\" o:connecttype=\"custom\" \
    o:connectlocs=\"@9,0;@10,10800;@11,21600;@12,10800\" o:connectangles=\"270,180,90,0\"/>\
    <v:textpath on=\"t\" fitshape=\"t\"/>\
    <v:handles><v:h position=\"#0,bottomRight\" xrange=\"6629,14971\"/></v:handles>\
    <o:lock v:ext=\"edit\" text=\"t\" shapetype=\"t\"/></v:shapetype>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(w3cdtf(Date::new(2021, 11, 18)), "2021-11-18T00:00:00Z");
        assert_eq!(w3cdtf(None), "2000-01-01T00:00:00Z");
        assert_eq!(w3cdtf(Date::new(-5, 1, 1)), "2000-01-01T00:00:00Z");
    }

    #[test]
    fn each_ordered_list_has_its_own_definition() {
        let xml = numbering(Numbering::Articles, &[None, Some((0, 3)), Some((1, 1))]);
        assert_eq!(xml.matches("<w:abstractNum ").count(), 4);
        assert_eq!(xml.matches("<w:num ").count(), 4);
        assert!(xml.contains("<w:lvlText w:val=\"Article %1.\"/>"));
        assert!(
            xml.contains("<w:lvl w:ilvl=\"0\"><w:start w:val=\"3\"/><w:numFmt w:val=\"decimal\"/>")
        );
        assert!(xml.contains("<w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"%2.\"/>"));
        // All definitions come before all instances (schema order).
        assert!(xml.rfind("</w:abstractNum>") < xml.find("<w:num "));
    }
}
