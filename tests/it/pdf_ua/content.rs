//! Check 3: the content streams and their marked content.

use lopdf::Object;
use lopdf::content::Content;

use super::objects::name;
use super::{PageContent, Pdf};

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
pub(crate) fn check_content(pdf: &Pdf, index: usize, problems: &mut Vec<String>) -> PageContent {
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
