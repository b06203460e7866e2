//! Issue #17 item 5 on agreements built by the CLI, read back with qpdf and poppler:
//! cross-references as links (a `/Link` annotation over each line of the reference,
//! going to the page where pdftotext finds the heading it names, tagged as a `Link`
//! element holding the link text and an `/OBJR`), a reference to an article the
//! agreement leaves out kept as text, links in a redline beside its change bars, and
//! `--esign-anchors`: white `\sN\` and `\dN\` strings that pdftotext finds on the
//! signature and date lines, drawn as artifacts. Needs qpdf and poppler-utils, as the
//! other PDF tool tests do.

use crate::common;
use mou::document::{Block, Document, Run};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const PAGE_HEIGHT: f64 = 792.0;
/// The text area of a page (one-inch margins), in PDF coordinates.
const TEXT_AREA: [f64; 4] = [72.0, 72.0, 540.0, 720.0];

/// `tool args… path`, which must succeed; its standard output.
fn tool(tool: &str, args: &[&str], path: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool} is installed: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `qpdf` writes JSON to standard output without a `-` argument.
fn qpdf_json(path: &Path) -> Value {
    let out = Command::new("qpdf")
        .args(["--json", "--json-key=qpdf", "--json-key=pages"])
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("qpdf is installed: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("qpdf JSON")
}

/// The text of page `page` (0-based), or of `rect` (PDF coordinates) on it.
fn page_text(pdf: &Path, page: usize, rect: Option<[f64; 4]>) -> String {
    let n = (page + 1).to_string();
    let mut args = vec!["-f".to_string(), n.clone(), "-l".to_string(), n];
    if let Some([x1, y1, x2, y2]) = rect {
        // pdftotext crops in whole pixels at 72 dpi from the top-left corner: the
        // whole pixels inside the rectangle, so a neighbour's glyph stays out.
        let (left, right) = (x1.ceil(), x2.floor());
        for (flag, v) in [
            ("-x", left),
            ("-y", (PAGE_HEIGHT - y2).floor()),
            ("-W", right - left),
            ("-H", (y2 - y1).ceil()),
        ] {
            args.push(flag.to_string());
            args.push(format!("{v}"));
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tool("pdftotext", &args, pdf)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `mou build <profile> -f pdf <extra>` into `out`; the PDF of agreement `id`.
fn build(profile: &Path, out: &Path, id: &str, extra: &[&str]) -> PathBuf {
    common::mou()
        .arg("build")
        .arg(profile)
        .args(["-f", "pdf", "-q", "-o"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    out.join(format!("{id}.pdf"))
}

/// A PDF's objects as `qpdf --json` lists them, by reference (`12 0 R`), and the
/// references of its pages in order.
struct Objects {
    by_ref: BTreeMap<String, Value>,
    pages: Vec<String>,
}

/// One `/Link` annotation.
#[derive(Debug)]
struct Link {
    object: String,
    page: usize,
    rect: [f64; 4],
    border: Value,
    dest: Vec<Value>,
    contents: String,
    struct_parent: i64,
}

impl Objects {
    fn read(path: &Path) -> Objects {
        let json = qpdf_json(path);
        let by_ref = json["qpdf"][1]
            .as_object()
            .expect("qpdf objects")
            .iter()
            .filter_map(|(k, v)| {
                let r = k.strip_prefix("obj:")?;
                let value = v
                    .get("value")
                    .or_else(|| v.get("stream").and_then(|s| s.get("dict")))?;
                Some((r.to_string(), value.clone()))
            })
            .collect();
        let pages = json["pages"]
            .as_array()
            .expect("pages")
            .iter()
            .map(|p| p["object"].as_str().unwrap().to_string())
            .collect();
        Objects { by_ref, pages }
    }

    /// `v`, or the object it refers to.
    fn get<'a>(&'a self, v: &'a Value) -> &'a Value {
        v.as_str()
            .and_then(|s| self.by_ref.get(s))
            .map_or(v, |o| self.get(o))
    }

    fn page_index(&self, r: &Value) -> usize {
        let r = r.as_str().expect("a page reference");
        self.pages
            .iter()
            .position(|p| p == r)
            .unwrap_or_else(|| panic!("{r} is not a page"))
    }

    /// Every `/Link` annotation, page by page.
    fn links(&self) -> Vec<Link> {
        let mut out = Vec::new();
        for (page, r) in self.pages.iter().enumerate() {
            let dict = &self.by_ref[r];
            let Some(annots) = dict.get("/Annots").map(|a| self.get(a)) else {
                continue;
            };
            for a in annots.as_array().expect("/Annots is an array") {
                let annot = self.get(a);
                if annot["/Subtype"] != "/Link" {
                    continue;
                }
                let rect: Vec<f64> = annot["/Rect"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect();
                out.push(Link {
                    object: a.as_str().unwrap_or_default().to_string(),
                    page,
                    rect: [rect[0], rect[1], rect[2], rect[3]],
                    border: annot["/Border"].clone(),
                    dest: annot["/Dest"].as_array().cloned().unwrap_or_default(),
                    contents: annot["/Contents"]
                        .as_str()
                        .and_then(|s| s.strip_prefix("u:"))
                        .unwrap_or_default()
                        .to_string(),
                    struct_parent: annot["/StructParent"].as_i64().unwrap_or(-1),
                });
            }
        }
        out
    }

    /// The structure element the parent tree names for `key`.
    fn struct_parent(&self, key: i64) -> &Value {
        let root = self
            .by_ref
            .values()
            .find(|v| v["/Type"] == "/StructTreeRoot")
            .expect("a structure tree");
        let tree = self.get(&root["/ParentTree"]);
        let nums = self.get(&tree["/Nums"]).as_array().expect("/Nums");
        nums.chunks(2)
            .find(|p| p[0].as_i64() == Some(key))
            .map(|p| self.get(&p[1]))
            .unwrap_or_else(|| panic!("no parent tree entry {key}"))
    }
}

/// Every cross-reference run of `doc`: (article id, text).
fn xrefs(doc: &Document) -> Vec<(String, String)> {
    fn runs(runs: &[Run], out: &mut Vec<(String, String)>) {
        for r in runs {
            if let Some(id) = &r.xref {
                out.push((id.clone(), r.text.clone()));
            }
        }
    }
    fn blocks(list: &[Block], out: &mut Vec<(String, String)>) {
        for b in list {
            match b {
                Block::Heading { text, .. } | Block::Paragraph(text) => runs(text, out),
                Block::List(l) => l.items.iter().for_each(|i| blocks(i, out)),
                Block::Table(t) => t
                    .header
                    .iter()
                    .chain(t.rows.iter().flatten())
                    .for_each(|c| runs(c, out)),
                Block::Quote(inner) | Block::Note(inner) => blocks(inner, out),
                Block::Signatures(_) | Block::Rule => {}
            }
        }
    }
    let mut out = Vec::new();
    for a in &doc.articles {
        blocks(&a.blocks, &mut out);
    }
    out
}

/// The heading the PDF prints for article `id` of `doc` ("Article XV. Termination").
fn heading(doc: &Document, id: &str) -> String {
    let a = doc
        .articles
        .iter()
        .find(|a| a.id == id)
        .expect("the article");
    match a.number {
        Some(n) => format!("Article {}. {}", mou::document::roman(n), a.title.trim()),
        None => a.title.trim().to_string(),
    }
}

/// What every link of `pdf` must be: borderless, inside the text area over words of
/// a reference (`texts`), going to `[page /XYZ left top null]` on the page where its
/// heading is, described as going there, and tagged: its `/StructParent` names a
/// `Link` element holding marked content and an `/OBJR` to it. Returns the headings
/// the links go to.
fn check_links(pdf: &Path, texts: &BTreeSet<String>) -> Vec<String> {
    let objects = Objects::read(pdf);
    let links = objects.links();
    let mut headings = Vec::new();
    for link in &links {
        let here = format!("{pdf:?} page {} {:?}", link.page + 1, link.contents);
        assert_eq!(link.border, serde_json::json!([0, 0, 0]), "{here}");
        let [x1, y1, x2, y2] = link.rect;
        assert!(x1 < x2 && y1 < y2, "{here}: {:?}", link.rect);
        assert!(
            x1 >= TEXT_AREA[0] - 1.0
                && y1 >= TEXT_AREA[1] - 1.0
                && x2 <= TEXT_AREA[2] + 1.0
                && y2 <= TEXT_AREA[3] + 1.0,
            "{here}: {:?} is outside the text area",
            link.rect
        );
        // The words under the rectangle are (part of) a reference.
        let under = squeeze(&page_text(pdf, link.page, Some(link.rect)));
        // A glyph half in the crop may come with it: punctuation at either end.
        let under = under.trim_matches(|c: char| !c.is_alphanumeric());
        assert!(
            !under.is_empty() && texts.iter().any(|t| squeeze(t).contains(under)),
            "{here}: the link covers {under:?}, not a reference"
        );
        // `[page /XYZ left top null]` at the heading.
        assert_eq!(link.dest.len(), 5, "{here}: {:?}", link.dest);
        assert_eq!(link.dest[1], "/XYZ", "{here}");
        assert!(link.dest[4].is_null(), "{here}: {:?}", link.dest);
        let top = link.dest[3].as_f64().unwrap();
        assert!(top > 0.0 && top <= PAGE_HEIGHT, "{here}: top {top}");
        let to = objects.page_index(&link.dest[0]);
        let title = link
            .contents
            .strip_prefix("Go to ")
            .unwrap_or_else(|| panic!("{here}: /Contents says where the link goes"));
        assert!(
            squeeze(&page_text(pdf, to, None)).contains(&squeeze(title)),
            "{here}: {title:?} is not on page {}",
            to + 1
        );
        headings.push(title.to_string());
        // Tagged: a Link element with the link's text and the annotation.
        let element = objects.struct_parent(link.struct_parent);
        assert_eq!(element["/S"], "/Link", "{here}: {element}");
        let kids: Vec<&Value> = match &element["/K"] {
            Value::Array(k) => k.iter().map(|k| objects.get(k)).collect(),
            k => vec![objects.get(k)],
        };
        assert!(
            kids.iter()
                .any(|k| k["/Type"] == "/OBJR" && k["/Obj"] == link.object.as_str()),
            "{here}: no /OBJR to {} in {element}",
            link.object
        );
        assert!(
            kids.iter().any(|k| k.is_i64() || k["/Type"] == "/MCR"),
            "{here}: the Link element holds no marked content: {element}"
        );
        let page = &objects.by_ref[&objects.pages[link.page]];
        assert_eq!(page["/Tabs"], "/S", "{here}: tab order");
    }
    headings
}

#[test]
fn cross_references_link_to_the_page_of_the_heading_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let doc = common::example_document("west-hartford-2022.toml");
    let refs = xrefs(&doc);
    assert!(
        refs.len() >= 5,
        "the example has cross-references: {refs:?}"
    );
    let pdf = build(
        &common::repo().join("profiles/west-hartford-2022.toml"),
        dir.path(),
        "west-hartford-2022",
        &[],
    );
    let texts: BTreeSet<String> = refs.iter().map(|(_, t)| t.clone()).collect();
    let headings = check_links(&pdf, &texts);
    assert!(
        headings.len() >= refs.len(),
        "{} links for {} references",
        headings.len(),
        refs.len()
    );
    // Every article a reference names is linked to, and nothing else.
    let named: BTreeSet<String> = refs.iter().map(|(id, _)| heading(&doc, id)).collect();
    let linked: BTreeSet<String> = headings.into_iter().collect();
    assert_eq!(linked, named);
}

#[test]
fn a_reference_to_an_article_left_out_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let original = common::repo().join("profiles/west-hartford-2022.toml");
    let doc = common::example_document("west-hartford-2022.toml");
    let termination = heading(&doc, "termination");
    let full = build(
        &original,
        &dir.path().join("full"),
        "west-hartford-2022",
        &[],
    );
    let texts: BTreeSet<String> = xrefs(&doc).into_iter().map(|(_, t)| t).collect();
    let with = check_links(&full, &texts);
    assert!(with.contains(&termination), "{with:?}");

    // The same agreement without its termination article: `ref(id="termination",
    // or="this Agreement")` prints the fallback, which links nowhere.
    let mut profile: toml::Table = std::fs::read_to_string(&original).unwrap().parse().unwrap();
    let clauses = profile
        .entry("clauses")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .unwrap();
    clauses.insert(
        "exclude".into(),
        toml::Value::Array(vec![toml::Value::from("termination")]),
    );
    let copy = dir.path().join("west-hartford-2022.toml");
    std::fs::write(&copy, toml::to_string(&profile).unwrap()).unwrap();
    let without = build(
        &copy,
        &dir.path().join("without"),
        "west-hartford-2022",
        &[],
    );
    let headings = check_links(&without, &texts);
    assert!(!headings.is_empty(), "the other references are still links");
    assert!(
        !headings.iter().any(|h| h.contains("Termination")),
        "{headings:?}"
    );
    assert!(headings.len() < with.len());
}

/// Built through the library: a reference whose article is not in the document (a
/// Document put together by hand, or by a future caller) is drawn as text, no link.
#[test]
fn a_reference_to_a_missing_article_is_not_a_link() {
    let xref = |text: &str, id: &str| Run {
        xref: Some(id.to_string()),
        ..Run::plain(text)
    };
    let doc = common::bare(vec![
        common::article(
            Some(1),
            "Purpose",
            vec![Block::Paragraph(vec![
                Run::plain("As "),
                xref("Article IX", "no-such-clause"),
                Run::plain(" says."),
            ])],
        ),
        common::article(Some(2), "Term", vec![Block::Paragraph(common::text("T."))]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.pdf");
    let bytes = mou::render::pdf::render(&doc, &Default::default()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    assert!(Objects::read(&path).links().is_empty());
    assert!(tool("pdftotext", &[], &path).contains("As Article IX says."));
}

/// The page content streams of `pdf`, decompressed (qpdf's QDF form): (page number,
/// content) in the file's order.
fn contents(pdf: &Path, dir: &Path) -> Vec<(usize, String)> {
    let qdf = dir.join("qdf.pdf");
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&qdf)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&qdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    // QDF marks each page's content stream with a comment.
    text.split("%% Contents for page ")
        .skip(1)
        .map(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            let start = part.find("stream\n").map_or(0, |i| i + 7);
            let end = part.find("endstream").unwrap_or(part.len());
            (digits.parse().unwrap_or(0), part[start..end].to_string())
        })
        .collect()
}

#[test]
fn a_redline_keeps_its_links_and_change_bars() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("redline.pdf");
    common::mou()
        .args([
            "diff",
            "profiles/tehachapi-2017.toml",
            "profiles/tehachapi-2018.toml",
            "-f",
            "pdf",
            "-o",
        ])
        .arg(&pdf)
        .assert()
        .success();
    let mut texts = BTreeSet::new();
    for name in ["tehachapi-2017.toml", "tehachapi-2018.toml"] {
        texts.extend(
            xrefs(&common::example_document(name))
                .into_iter()
                .map(|(_, t)| t),
        );
    }
    let headings = check_links(&pdf, &texts);
    assert!(headings.len() >= 5, "{headings:?}");
    // Change bars: red rules 1.5 pt wide in the left margin (x = 58), one per line.
    let mut bars = 0;
    for (page, content) in contents(&pdf, dir.path()) {
        let lines: Vec<&str> = content
            .lines()
            .filter(|l| l.starts_with("58 ") && l.ends_with(" re f"))
            .collect();
        let unique: BTreeSet<&&str> = lines.iter().collect();
        assert_eq!(unique.len(), lines.len(), "page {page}: a bar twice");
        bars += lines.len();
    }
    assert!(bars >= 5, "{bars} change bars");
}

/// (marked-content kind, fill colour, text-showing operator) for every `TJ` of a page.
fn shown_text(content: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut marked: Vec<String> = Vec::new();
    let mut color = String::from("0 0 0");
    for line in content.lines() {
        if let Some(rest) = line.strip_suffix(" rg") {
            color = rest.to_string();
        } else if line.ends_with("BDC") || line.ends_with("BMC") {
            let tag = line.split(['<', ' ']).next().unwrap_or_default();
            marked.push(tag.to_string());
        } else if line == "EMC" {
            marked.pop();
        } else if line.ends_with("TJ") || line.ends_with("Tj") {
            out.push((marked.last().cloned().unwrap_or_default(), color.clone()));
        }
    }
    out
}

#[test]
fn esign_anchors_are_white_artifacts_that_pdftotext_finds() {
    let dir = tempfile::tempdir().unwrap();
    let profile = common::repo().join("profiles/west-hartford-2022.toml");
    let doc = common::example_document("west-hartford-2022.toml");
    let signatories: Vec<_> = doc
        .articles
        .iter()
        .flat_map(|a| &a.blocks)
        .filter_map(|b| match b {
            Block::Signatures(s) => Some(s.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(signatories.len() >= 2);
    let out = dir.path().join("out");
    let pdf = build(&profile, &out, "west-hartford-2022", &["--esign-anchors"]);

    let layout = tool("pdftotext", &["-layout"], &pdf);
    let mut expected = 0;
    for (k, sig) in signatories.iter().enumerate() {
        let n = k + 1;
        let sign = format!("\\s{n}\\");
        assert_eq!(layout.matches(&sign).count(), 1, "{sign} once");
        // On the signature line, beside its "By:".
        assert!(
            layout
                .lines()
                .any(|l| l.contains(&sign) && l.contains("By:")),
            "{sign} is not on a signature line"
        );
        expected += 1;
        let date = format!("\\d{n}\\");
        let blank_date = sig.date.as_deref().is_none_or(|d| d.trim().is_empty());
        assert_eq!(
            layout.matches(&date).count(),
            usize::from(blank_date),
            "{date}"
        );
        if blank_date {
            assert!(
                layout
                    .lines()
                    .any(|l| l.contains(&date) && l.contains("Date:")),
                "{date} is not on a date line"
            );
            expected += 1;
        }
    }
    let past = format!("\\s{}\\", signatories.len() + 1);
    assert!(!layout.contains(&past));

    // Drawn in white, inside artifacts, and nothing else is white.
    let shown: Vec<(String, String)> = contents(&pdf, dir.path())
        .iter()
        .flat_map(|(_, c)| shown_text(c))
        .collect();
    let white: Vec<&(String, String)> = shown.iter().filter(|(_, c)| c == "1 1 1").collect();
    assert_eq!(white.len(), expected, "{white:?}");
    assert!(white.iter().all(|(tag, _)| tag == "/Artifact"), "{white:?}");

    // Without the flag there are none, and the incremental build sees the change.
    let plain = build(&profile, &out, "west-hartford-2022", &[]);
    let text = tool("pdftotext", &[], &plain);
    assert!(!text.contains("\\s1\\") && !text.contains("\\d1\\"));
    assert!(
        !contents(&plain, dir.path())
            .iter()
            .flat_map(|(_, c)| shown_text(c))
            .any(|(_, c)| c == "1 1 1")
    );
    let again = build(&profile, &out, "west-hartford-2022", &["--esign-anchors"]);
    assert!(tool("pdftotext", &[], &again).contains("\\s1\\"));
}
