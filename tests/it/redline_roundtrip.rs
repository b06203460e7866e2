//! #15 item 2: a DOCX redline round-trips exactly. Accepting all its tracked changes
//! gives the new agreement's DOCX text, rejecting them the old one's: paragraph by
//! paragraph, with each paragraph's style and numbering level, table rows included.
//!
//! The judge is a reader of the WordprocessingML tracked-change rules (below) rather
//! than pandoc alone, because pandoc 2.17 ignores the tracked mark of a numbered
//! paragraph (a list item, a Word-numbered heading) and of a table row: it keeps an
//! empty item or row where Word and LibreOffice remove it. Where no such paragraph
//! changes, pandoc is asked too (`pandoc_agrees_on_an_edited_paragraph`).

use crate::common;

use mou::document::{Block, Document, Run};
use mou::render::{PdfStandard, WriteOptions, docx};
use std::io::Read;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// A document without changes.
    Plain,
    Accept,
    Reject,
}

fn document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[at..].find('"')?;
    Some(&tag[at..at + end])
}

/// The paragraphs of `document.xml` as `style|numbering level|text`, with the tracked
/// changes accepted or rejected: a run inside `w:ins` (`w:del`) is dropped on reject
/// (accept); a paragraph whose mark is so dropped joins the next one; a row whose
/// `w:trPr` is so dropped goes with its paragraphs. Table paragraphs start with `|`.
fn paragraphs(xml: &str, mode: Mode) -> Vec<String> {
    let drops = |tag: &str| match mode {
        Mode::Plain => panic!("a tracked change ({tag}) in a document without changes"),
        Mode::Accept => tag == "w:del",
        Mode::Reject => tag == "w:ins",
    };
    let mut out: Vec<String> = Vec::new();
    let mut row: Option<Vec<String>> = None;
    let mut row_dropped = false;
    let (mut in_ppr, mut in_ppr_rpr, mut in_trpr) = (false, false, false);
    let (mut ins, mut del) = (0u32, 0u32);
    let (mut style, mut level, mut text, mut carry) =
        (String::new(), String::new(), String::new(), String::new());
    let mut mark_dropped = false;
    let mut in_text: Option<&str> = None;
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        if let Some(kind) = in_text {
            let keep = match (mode, kind) {
                (Mode::Plain, _) => true,
                (Mode::Accept, "w:t") => del == 0,
                (Mode::Reject, "w:t") => ins == 0,
                (Mode::Reject, _) => true,
                (Mode::Accept, _) => false,
            };
            if keep {
                text.push_str(&unescape(&rest[..lt]));
            }
        }
        let gt = rest[lt..].find('>').unwrap() + lt;
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let selfclosing = tag.ends_with('/');
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        match (name, closing) {
            ("w:p", false) => {
                (style, level, text, mark_dropped) =
                    (String::new(), "-".into(), String::new(), false);
                if selfclosing {
                    let line = format!("{}|-|{carry}", if row.is_some() { "|" } else { "" });
                    carry.clear();
                    match &mut row {
                        Some(r) => r.push(line),
                        None => out.push(line),
                    }
                }
            }
            ("w:p", true) => {
                if mark_dropped {
                    carry = format!("{carry}{text}");
                } else {
                    // Spaces at the end of a paragraph show nowhere (pandoc drops them).
                    let cell = if row.is_some() { "|" } else { "" };
                    let line = format!("{cell}{style}|{level}|{carry}{}", text.trim_end());
                    carry.clear();
                    match &mut row {
                        Some(r) => r.push(line),
                        None => out.push(line),
                    }
                }
            }
            ("w:pPr", c) => in_ppr = !c && !selfclosing,
            ("w:rPr", c) if in_ppr => in_ppr_rpr = !c && !selfclosing,
            ("w:trPr", c) => in_trpr = !c && !selfclosing,
            ("w:tr", false) => {
                row = Some(Vec::new());
                row_dropped = false;
            }
            ("w:tr", true) => {
                let r = row.take().unwrap_or_default();
                if !row_dropped {
                    out.extend(r);
                }
            }
            ("w:pStyle", _) if in_ppr => style = attr(tag, "w:val").unwrap_or("").into(),
            ("w:ilvl", _) if in_ppr => level = attr(tag, "w:val").unwrap_or("").into(),
            ("w:numId", _) if in_ppr && attr(tag, "w:val") == Some("0") => level = "-".into(),
            ("w:ins" | "w:del", false) if in_ppr_rpr => mark_dropped = drops(name),
            ("w:ins" | "w:del", false) if in_trpr => row_dropped = drops(name),
            ("w:ins", c) if !selfclosing => {
                if mode == Mode::Plain {
                    drops(name);
                }
                if c { ins -= 1 } else { ins += 1 }
            }
            ("w:del", c) if !selfclosing => {
                if mode == Mode::Plain {
                    drops(name);
                }
                if c { del -= 1 } else { del += 1 }
            }
            ("w:t" | "w:delText", false) if !selfclosing => in_text = Some(name),
            ("w:t" | "w:delText", true) => in_text = None,
            ("w:tab", _) => text.push('\t'),
            ("w:br", _)
                if (mode != Mode::Accept || del == 0) && (mode != Mode::Reject || ins == 0) =>
            {
                text.push('\n')
            }
            _ => {}
        }
    }
    out
}

fn opts() -> WriteOptions {
    WriteOptions {
        date: mou::date::Date::new(2024, 1, 1),
        pdf_standard: PdfStandard::Ua1,
        esign_anchors: false,
    }
}

/// Asserts the redline of `old` → `new` accepts to `new` and rejects to `old`.
fn assert_round_trip(old: &Document, new: &Document, what: &str) {
    let red = mou::diff::redline(old, new).document;
    let red_xml = document_xml(&docx::render(&red, &opts()).unwrap());
    for (mode, side, name) in [(Mode::Accept, new, "new"), (Mode::Reject, old, "old")] {
        let want = paragraphs(
            &document_xml(&docx::render(side, &opts()).unwrap()),
            Mode::Plain,
        );
        let got = paragraphs(&red_xml, mode);
        if got != want {
            let at = got.iter().zip(&want).position(|(g, w)| g != w).unwrap_or(0);
            panic!(
                "{what}: {} the redline is not the {name} document; first difference at paragraph {at}:\n got: {:?}\nwant: {:?}",
                if mode == Mode::Accept {
                    "accepting"
                } else {
                    "rejecting"
                },
                &got[at..got.len().min(at + 3)],
                &want[at..want.len().min(at + 3)],
            );
        }
    }
}

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(common::repo().join("profiles"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().ok()?;
            name.ends_with(".toml").then_some(name)
        })
        .collect();
    names.sort();
    names
}

/// Every pair of example profiles with the same outline (all use `mou`), both ways.
#[test]
fn every_pair_of_examples_round_trips() {
    let docs: Vec<(String, Document)> = examples()
        .into_iter()
        .map(|n| {
            let d = common::example_document(&n);
            (n, d)
        })
        .collect();
    let outline = |name: &str| {
        let text = std::fs::read_to_string(common::repo().join("profiles").join(name)).unwrap();
        text.lines()
            .find_map(|l| l.trim().strip_prefix("outline = ").map(str::to_string))
            .unwrap_or_else(|| "\"mou\"".into())
    };
    let mut pairs = 0;
    for (i, (a, da)) in docs.iter().enumerate() {
        for (b, db) in &docs[i + 1..] {
            if outline(a) != outline(b) {
                continue;
            }
            assert_round_trip(da, db, &format!("{a} -> {b}"));
            pairs += 1;
        }
    }
    assert!(pairs >= 100, "{pairs} pairs");
}

fn para(text: &str) -> Block {
    Block::Paragraph(vec![Run::plain(text)])
}

/// One generated pair for each kind of change, on a small agreement.
#[test]
fn each_kind_of_change_round_trips() {
    let base = || {
        let mut d = common::example_document("tehachapi-2018.toml");
        d.articles.truncate(6);
        d
    };
    type Edit = Box<dyn Fn(&mut Document)>;
    let cases: Vec<(&str, Edit)> = vec![
        (
            "paragraph added",
            Box::new(|d| {
                d.articles[2]
                    .blocks
                    .insert(1, para("A wholly new paragraph."))
            }),
        ),
        (
            "paragraph removed",
            Box::new(|d| {
                d.articles[2].blocks.remove(1);
            }),
        ),
        (
            "paragraph edited",
            Box::new(|d| {
                if let Block::Paragraph(runs) = &mut d.articles[2].blocks[0] {
                    runs.push(Run::plain(" And one more sentence."));
                }
            }),
        ),
        (
            "list item added and removed",
            Box::new(|d| {
                for a in &mut d.articles {
                    for b in &mut a.blocks {
                        if let Block::List(l) = b {
                            l.items.remove(0);
                            l.items.push(vec![para("a new last item")]);
                            return;
                        }
                    }
                }
            }),
        ),
        (
            "table row and cell",
            Box::new(|d| {
                for a in &mut d.articles {
                    for b in &mut a.blocks {
                        if let Block::Table(t) = b {
                            let mut row = t.rows[0].clone();
                            row[0] = vec![Run::plain("Added School")];
                            t.rows.push(row);
                            t.rows[0][0] = vec![Run::plain("Renamed School")];
                            return;
                        }
                    }
                }
                panic!("no table in the first articles");
            }),
        ),
        (
            "section heading",
            Box::new(|d| {
                for a in &mut d.articles {
                    for b in &mut a.blocks {
                        if let Block::Heading { text, .. } = b {
                            *text = vec![Run::plain("Retitled section")];
                            return;
                        }
                    }
                }
            }),
        ),
        (
            "article title",
            Box::new(|d| d.articles[3].title = "A New Title".into()),
        ),
        (
            "article added",
            Box::new(|d| {
                let mut a = d.articles[2].clone();
                a.id = "brand-new".into();
                a.title = "Brand New".into();
                d.articles.insert(3, a);
                renumber(d);
            }),
        ),
        (
            "article removed",
            Box::new(|d| {
                d.articles.remove(2);
                renumber(d);
            }),
        ),
        (
            "article moved",
            Box::new(|d| {
                let a = d.articles.remove(1);
                d.articles.insert(4, a);
                renumber(d);
            }),
        ),
        (
            "document title and date",
            Box::new(|d| {
                d.title = "Amended School Resource Officer Agreement".into();
                d.date = Some("December 14, 2018".into());
            }),
        ),
    ];
    for (what, change) in cases {
        let old = base();
        let mut new = base();
        change(&mut new);
        assert_ne!(old, new, "{what}: the case changes nothing");
        assert_round_trip(&old, &new, what);
        assert_round_trip(&new, &old, &format!("{what} (reversed)"));
    }
}

/// Numbers articles 1, 2, … in order and their sections n.1, n.2, …, as assembly
/// does (recitals stay unnumbered).
fn renumber(d: &mut Document) {
    let mut n = 0;
    for a in &mut d.articles {
        if a.number.is_some() {
            n += 1;
            a.number = Some(n);
            let mut k = 0;
            for b in &mut a.blocks {
                if let Block::Heading {
                    number: Some(s), ..
                } = b
                {
                    k += 1;
                    *s = format!("{n}.{k}");
                }
            }
        }
    }
}

/// Where only an unnumbered paragraph changes, pandoc itself accepts and rejects to
/// the two documents' text; and the replaced words read apart in black and white.
#[test]
fn pandoc_agrees_on_an_edited_paragraph() {
    let old = common::example_document("tehachapi-2017.toml");
    let mut new = old.clone();
    let Some(Block::Paragraph(runs)) = new.articles[0].blocks.first_mut() else {
        panic!("recitals open with a paragraph");
    };
    let first = runs[0].text.clone();
    assert!(first.contains("20th day of June, 2017"), "{first}");
    runs[0].text = first.replace("20th day of June, 2017", "14th day of December, 2018");
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, doc: &Document| {
        let path = dir.path().join(name);
        std::fs::write(&path, docx::render(doc, &opts()).unwrap()).unwrap();
        path
    };
    let red = write("red.docx", &mou::diff::redline(&old, &new).document);
    let (o, n) = (write("old.docx", &old), write("new.docx", &new));
    let pandoc = |path: &std::path::Path, mode: &str| {
        let out = std::process::Command::new("pandoc")
            .args(["-f", "docx", "-t", "plain", "--wrap=none"])
            .arg(format!("--track-changes={mode}"))
            .arg(path)
            .output()
            .expect("pandoc is installed");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let same = |a: String, b: String, what: &str| {
        if a != b {
            let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
            let at = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(0);
            panic!("{what}: line {at}:\n{:?}\n{:?}", a.get(at), b.get(at));
        }
    };
    same(pandoc(&red, "accept"), pandoc(&n, "accept"), "accept");
    same(pandoc(&red, "reject"), pandoc(&o, "accept"), "reject");
    // Both sides shown (`all`) read as words ("2017, December"), never glued ("20th14th").
    let all = pandoc(&red, "all");
    assert!(
        all.contains("the 20th 14th day of June, 2017, December, 2018, and"),
        "{all}"
    );
}
