//! The HTML writer (SPEC §7, issue #17): what a browser and a screen reader rely on,
//! checked on every example, the Tehachapi redline and a hand-made draft; profile values
//! that look like markup stay text; the same inputs give the same bytes. The browser's
//! own judgement (axe-core in Chromium) is `html_axe`.

use crate::common::{self, mou, repo, valid};
use mou::document::{Block, Run, SignRole, Signatory, Style};
use mou::render::{Format, WriteOptions};
use std::collections::BTreeSet;
use std::path::Path;

/// Every start tag of `html` outside the style sheet, as `(name, attributes)`. Values
/// are escaped, so no `<` or `>` occurs inside text or attributes.
fn tags(html: &str) -> Vec<(String, String)> {
    let body = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &html[..a + "<style>".len()], &html[b..]),
        _ => html.to_string(),
    };
    let mut out = Vec::new();
    let mut rest = body.as_str();
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').map(|e| i + e).unwrap_or(rest.len());
        let inner = &rest[i + 1..end];
        rest = &rest[end.min(rest.len())..];
        if inner.starts_with('/') || inner.starts_with('!') {
            continue;
        }
        let (name, attrs) = inner.split_once(' ').unwrap_or((inner, ""));
        out.push((name.to_ascii_lowercase(), attrs.to_string()));
    }
    out
}

/// The value of attribute `name` in `attrs`.
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = attrs
        .match_indices(&key)
        .find(|(i, _)| *i == 0 || attrs.as_bytes()[i - 1] == b' ')?
        .0
        + key.len();
    attrs[start..].split('"').next()
}

/// What is wrong with the structure of one page (empty when nothing is).
pub fn structure_problems(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            problems.push(what.to_string());
        }
    };
    need(
        html.starts_with("<!DOCTYPE html>\n<html lang=\""),
        "doctype and lang first",
    );
    let t = tags(html);
    let count = |name: &str| t.iter().filter(|(n, _)| n == name).count();
    for (name, n) in [
        ("title", 1),
        ("h1", 1),
        ("header", 1),
        ("nav", 1),
        ("main", 1),
        ("footer", 1),
        ("style", 1),
    ] {
        need(
            count(name) == n,
            &format!("exactly {n} <{name}>, found {}", count(name)),
        );
    }
    for banned in [
        "script", "link", "img", "iframe", "object", "embed", "base", "form",
    ] {
        need(count(banned) == 0, &format!("no <{banned}>"));
    }
    let style = html
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .unwrap_or("");
    need(
        !style.contains("url(") && !style.contains("@import"),
        "the style sheet loads nothing",
    );
    need(
        html.contains("<title>") && !html.contains("<title></title>"),
        "a title",
    );
    // The skip link is the first thing in the body and lands on main.
    let first_in_body = t.iter().skip_while(|(n, _)| n != "body").nth(1);
    need(
        first_in_body.is_some_and(|(n, a)| n == "a" && attr(a, "href") == Some("#main")),
        "a skip link to #main first in the body",
    );
    need(
        t.iter()
            .any(|(n, a)| n == "main" && attr(a, "id") == Some("main")),
        "main has id main",
    );
    // Heading levels: h1 first, none skipped.
    let levels: Vec<u8> = t
        .iter()
        .filter_map(|(n, _)| {
            let b = n.as_bytes();
            (b.len() == 2 && b[0] == b'h' && (b'1'..=b'6').contains(&b[1])).then(|| b[1] - b'0')
        })
        .collect();
    need(levels.first() == Some(&1), "the first heading is h1");
    for w in levels.windows(2) {
        need(
            w[1] <= w[0] + 1,
            &format!("heading h{} after h{}", w[1], w[0]),
        );
    }
    // Ids unique and valid; every link internal and landing on one.
    let mut ids = BTreeSet::new();
    for (_, a) in &t {
        if let Some(id) = attr(a, "id") {
            need(
                !id.is_empty() && !id.contains(char::is_whitespace),
                &format!("valid id {id:?}"),
            );
            need(ids.insert(id.to_string()), &format!("unique id {id:?}"));
        }
    }
    for (n, a) in &t {
        if let Some(src) = attr(a, "src") {
            need(false, &format!("<{n}> loads {src}"));
        }
        if let Some(href) = attr(a, "href") {
            match href.strip_prefix('#') {
                Some(target) => need(ids.contains(target), &format!("link to missing #{target}")),
                None => need(false, &format!("external link {href}")),
            }
        }
        for label in ["aria-labelledby"] {
            if let Some(target) = attr(a, label) {
                need(
                    ids.contains(target),
                    &format!("{label} names missing #{target}"),
                );
            }
        }
    }
    // Tables: a caption each, every header cell scoped.
    need(
        count("table") == count("caption"),
        "a caption for every table",
    );
    for (n, a) in &t {
        if n == "th" {
            need(
                matches!(attr(a, "scope"), Some("col" | "row")),
                &format!("<th {a}> has a scope"),
            );
        }
        if n == "article" {
            need(
                attr(a, "id").is_some() && attr(a, "aria-labelledby").is_some(),
                "an article has an id and a label",
            );
        }
    }
    problems
}

/// `mou ARGS` in the repository, which must succeed.
fn run(args: &[&str]) -> Vec<u8> {
    let out = mou().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "mou {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Every `.html` file in `dir`, by name.
pub fn pages(dir: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_example_page_is_well_structured_and_reproducible() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&a, &b] {
        run(&[
            "build",
            "profiles",
            "-f",
            "html",
            "-o",
            dir.path().to_str().unwrap(),
        ]);
    }
    let first = pages(a.path());
    let examples = std::fs::read_dir(repo().join("profiles"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count();
    assert_eq!(first.len(), examples, "one page per example");
    assert_eq!(first, pages(b.path()), "the same bytes on every run");
    let mut problems = Vec::new();
    for (name, html) in &first {
        for p in structure_problems(html) {
            problems.push(format!("{name}: {p}"));
        }
        assert!(
            html.contains("<nav aria-labelledby=\"contents-h\">"),
            "{name}"
        );
        assert!(
            html.contains("counter(pages)") && html.contains("size: letter"),
            "{name}"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_cross_reference_links_to_its_article() {
    let doc = common::example_document("west-hartford-2022.toml");
    let html =
        String::from_utf8(Format::HTML.write(&doc, &WriteOptions::default()).unwrap()).unwrap();
    let xrefs: BTreeSet<&str> = doc
        .articles
        .iter()
        .flat_map(|a| &a.blocks)
        .filter_map(|b| match b {
            Block::Paragraph(runs) => Some(runs),
            _ => None,
        })
        .flatten()
        .filter_map(|r| r.xref.as_deref())
        .collect();
    assert!(!xrefs.is_empty(), "the example has cross-references");
    for id in xrefs {
        let target = format!("href=\"#art-{id}\"");
        assert!(html.contains(&target), "no link {target}");
    }
    // Tables of this agreement: their captions come from the sentence before them.
    assert!(
        html.contains("<caption class=\"sr\">During the Term, the Department will assign"),
        "a caption from the lead-in sentence"
    );
    assert!(html.contains("<th scope=\"col\">School</th>"));
    assert!(html.contains("<th scope=\"row\">Hall High School</th>"));
}

#[test]
fn the_redline_marks_changes_and_explains_them() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("red.html");
    let args = [
        "diff",
        "profiles/tehachapi-2017.toml",
        "profiles/tehachapi-2018.toml",
        "-f",
        "html",
    ];
    let stdout = run(&args);
    let mut with_o = args.to_vec();
    with_o.extend(["-o", file.to_str().unwrap()]);
    run(&with_o);
    let html = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        html.as_bytes(),
        stdout,
        "-o and standard output are the same page"
    );
    assert!(
        structure_problems(&html).is_empty(),
        "{:?}",
        structure_problems(&html)
    );
    assert!(html.contains("<title>Redline: "));
    assert!(html.contains("<h2 id=\"legend-h\">How to read this redline</h2>"));
    assert!(html.contains("<ins><span class=\"sr\">[inserted: </span>"));
    assert!(html.contains("<del><span class=\"sr\">[deleted: </span>"));
    // The 2018 contract's new figure is inserted, the old one deleted.
    let inserted: Vec<&str> = html
        .split("<ins>")
        .skip(1)
        .filter_map(|s| s.split("</ins>").next())
        .collect();
    assert!(
        inserted.iter().any(|s| s.contains("August")),
        "{inserted:?}"
    );
    // No change element starts or ends with a space.
    for piece in html.split("<ins>").chain(html.split("<del>")).skip(1) {
        let body = piece.split("</").next().unwrap_or("");
        let words = body
            .trim_start_matches("<span class=\"sr\">[inserted: </span>")
            .trim_start_matches("<span class=\"sr\">[deleted: </span>");
        assert!(!words.starts_with(' '), "{piece:.80}");
    }
}

/// A draft with a drafting note, a blank, cross-references to an article and an
/// exhibit, a table, and signature blocks: written by hand, so every kind of block is
/// on the page. Also checked by `html_axe`.
pub fn draft_document() -> mou::document::Document {
    let xref = |text: &str, id: &str| Run {
        xref: Some(id.to_string()),
        ..Run::plain(text)
    };
    let blank = Run::styled(
        mou::document::BLANK,
        Style {
            blank: true,
            ..Style::default()
        },
    );
    let mut funding = common::article(
        Some(1),
        "Funding",
        vec![
            Block::Heading {
                level: 2,
                number: Some("1.1".into()),
                text: common::text("Payments"),
            },
            Block::Paragraph(vec![
                Run::plain("The District pays "),
                blank,
                Run::plain(" as set out in "),
                xref("Exhibit A", "exhibit:A"),
                Run::plain(" and subject to "),
                xref("Article II", "signatures"),
                Run::plain("."),
            ]),
            Block::Note(vec![Block::Paragraph(common::text(
                "Confirm the amount with the business office before sending.",
            ))]),
            Block::Paragraph(common::text("The schedule is as follows:")),
            Block::Table(mou::document::Table {
                header: vec![common::text("Due"), common::text("Amount")],
                rows: vec![vec![
                    common::text("July 1, 2026"),
                    common::text("$1,000.00"),
                ]],
                align: vec![mou::document::Align::Left, mou::document::Align::Right],
            }),
        ],
    );
    funding.id = "funding".into();
    let sig = |party: &str, role| Signatory {
        party: party.into(),
        name: "Pat Doe".into(),
        title: "Clerk".into(),
        date: None,
        role,
        statement: None,
    };
    let signatures = common::article(
        Some(2),
        "Signatures",
        vec![Block::Signatures(vec![
            sig("Riverside School District", SignRole::Signs),
            sig("Riverside School District", SignRole::Attests),
        ])],
    );
    let mut exhibit = common::article(
        None,
        "Exhibit A — Schedule",
        vec![Block::Table(mou::document::Table {
            header: vec![common::text("Year"), common::text("")],
            rows: vec![vec![common::text("1"), common::text("x")]],
            align: vec![],
        })],
    );
    exhibit.id = "exhibit:A".into();
    let mut doc = common::bare(vec![funding, signatures, exhibit]);
    doc.language = "en-US".into();
    doc.subtitle = "between Riverside School District and Riverside Police Department".into();
    doc
}

#[test]
fn a_draft_shows_its_notes_blanks_and_marking() {
    let doc = draft_document();
    let html =
        String::from_utf8(Format::HTML.write(&doc, &WriteOptions::default()).unwrap()).unwrap();
    assert!(
        structure_problems(&html).is_empty(),
        "{:?}",
        structure_problems(&html)
    );
    assert!(html.contains("<title>Draft: Agreement</title>"));
    assert!(html.contains("<body class=\"draft\">"));
    assert!(html.contains("<p class=\"draft-banner\"><strong>DRAFT</strong>"));
    assert!(html.contains(
        "<aside class=\"note\">\n<p class=\"note-label\">Drafting note</p>\n<p>Confirm the amount"
    ));
    assert!(html.contains("<span class=\"sr\">(blank to be completed)</span>"));
    assert!(html.contains("<a href=\"#art-exhibit_3aA\">Exhibit A</a>"));
    assert!(html.contains(
        "<article id=\"art-exhibit_3aA\" aria-labelledby=\"art-exhibit_3aA-h\" class=\"exhibit\">"
    ));
    assert!(html.contains("<h3>Section 1.1. Payments</h3>"));
    assert!(html.contains("<caption class=\"sr\">The schedule is as follows</caption>"));
    assert!(html.contains("<caption class=\"sr\">Table 1 in Exhibit A — Schedule</caption>"));
    assert!(html.contains("<td class=\"r\">$1,000.00</td>"));
    // Two signature groups, each named by its own heading.
    assert!(html.contains("<div class=\"sig\" role=\"group\" aria-labelledby=\"sig-2\">\n<p class=\"party\" id=\"sig-2\">ATTEST:<br>"));
    assert!(
        html.contains("<dd class=\"line\"><span class=\"sr\">date of signing, blank</span></dd>")
    );
    // A final agreement carries no draft marking.
    let mut fin = doc.clone();
    fin.draft = false;
    let html =
        String::from_utf8(Format::HTML.write(&fin, &WriteOptions::default()).unwrap()).unwrap();
    assert!(!html.contains("DRAFT") && !html.contains("<body class=\"draft\">"));
    assert!(!html.contains("<p class=\"draft-banner\">") && !html.contains("<title>Draft"));
}

/// Markup, an entity, both quotes and the end of the style sheet.
const HOSTILE: &str = "<script>alert(1)</script></style>&amp;\"q' <b>";

/// Every string a profile can hold, one at a time, with [`HOSTILE`] appended: the value
/// is refused with a located error, or it reaches the page as text.
#[test]
fn profile_values_that_look_like_markup_are_text() {
    let mut base: toml::Table = valid().parse().unwrap();
    // Optional keys the fixture leaves out, so they are tried too.
    let agreement = base["agreement"].as_table_mut().unwrap();
    agreement.insert("title".into(), "School Resource Officer Agreement".into());
    let school = base["school"].as_table_mut().unwrap();
    school.insert("short_name".into(), "the District".into());
    let agency = base["agency"].as_table_mut().unwrap();
    agency.insert("short_name".into(), "the Department".into());
    agency.insert(
        "collective_bargaining".into(),
        "the Police Union contract".into(),
    );
    let mut paths = Vec::new();
    collect_strings(
        &toml::Value::Table(base.clone()),
        &mut Vec::new(),
        &mut paths,
    );
    assert!(paths.len() > 15, "{paths:?}");

    let dir = tempfile::tempdir().unwrap();
    let root = repo();
    let project =
        mou::project::Project::open(&mou::project::ProjectOptions::new(root.join("clauses")));
    let (mut printed, mut refused) = (Vec::new(), Vec::new());
    for path in &paths {
        let mut t = toml::Value::Table(base.clone());
        let leaf = path.iter().fold(&mut t, |v, k| match k.parse::<usize>() {
            Ok(i) if v.is_array() => &mut v.as_array_mut().unwrap()[i],
            _ => &mut v.as_table_mut().unwrap()[k.as_str()],
        });
        let old = leaf.as_str().unwrap().to_string();
        *leaf = toml::Value::String(format!("{old} {HOSTILE}"));
        let file = dir.path().join("hostile.toml");
        std::fs::write(&file, toml::to_string(&t).unwrap()).unwrap();
        let doc = match project.assemble(&file) {
            Ok(a) => a.document,
            Err(_) => {
                refused.push(path.join("."));
                continue;
            }
        };
        let html =
            String::from_utf8(Format::HTML.write(&doc, &WriteOptions::default()).unwrap()).unwrap();
        let where_ = path.join(".");
        assert!(!html.contains("<script"), "{where_}: a script element");
        assert!(!html.contains("<b>"), "{where_}: markup from the value");
        assert_eq!(
            html.matches("</style>").count(),
            1,
            "{where_}: the style sheet ended early"
        );
        assert!(!html.contains("&amp;\"q"), "{where_}: a raw quote");
        let problems = structure_problems(&html);
        assert!(problems.is_empty(), "{where_}: {problems:?}");
        if html.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/style&gt;&amp;amp;&quot;q&#39; &lt;b&gt;",
        ) {
            printed.push(where_);
        }
    }
    // Most values print; a state code, a status or a name that looks like a
    // placeholder is refused instead.
    assert!(
        printed.len() >= 12,
        "printed: {printed:?}\nrefused: {refused:?}"
    );
    for key in [
        "school.name",
        "agency.name",
        "agreement.title",
        "school.signatory.title",
        "schools.0.name",
    ] {
        assert!(
            printed.iter().any(|p| p == key),
            "{key} not printed: {printed:?}"
        );
    }
}

/// The dotted paths of every string in `v`.
fn collect_strings(v: &toml::Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        toml::Value::String(_) => out.push(at.clone()),
        toml::Value::Table(t) => {
            for (k, v) in t {
                at.push(k.clone());
                collect_strings(v, at, out);
                at.pop();
            }
        }
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                at.push(i.to_string());
                collect_strings(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}
