//! Issue #19 (#5): profile values are text, never Markdown. A school name `A | B`
//! keeps the schools table's columns; `*`, `_`, `[`, `` ` ``, `<`, `\` and a line that
//! starts like a heading or a list print as written, in the Document and in the
//! Markdown written from it.

use crate::common;

use common::{mou, repo, valid};
use mou::document::{Block, Document, plain_text};

/// Address lines as written in TOML basic strings (`\\` is one backslash).
const LINES: [&str; 12] = [
    "1. Main",
    "# Title",
    "- dash",
    "[link](x)",
    "<b>x</b>",
    "\\\\",
    "ends in a backslash\\\\",
    "+ plus > quote `code` _under_ &amp; ~~x~~",
    "2) Second | pipe",
    "=== and ---",
    "===",
    "---",
];

const SCHOOL: &str = "*Bold* _district_ \\\\ <i>";
const SCHOOL_PRINTED: &str = "*Bold* _district_ \\ <i>";

/// valid.toml with Markdown metacharacters in every kind of place a clause prints.
fn hostile_profile() -> String {
    let lines: Vec<String> = LINES.iter().map(|l| format!("\"{l}\"")).collect();
    valid()
        .replace(
            "name = \"West Hartford Public Schools\"",
            &format!("name = \"{SCHOOL}\""),
        )
        .replace(
            "notice_address = [\"50 South Main Street\", \"West Hartford, CT 06107\"]",
            &format!("notice_address = [{}]", lines.join(", ")),
        )
        .replace("name = \"Hall High School\"", "name = \"A | B\"")
        .replace("name = \"Conard High School\"", "name = \"*Bold* [x](y)\"")
        .replace(
            "name = \"Vernon Riddick, Jr.\"",
            "name = \"Vernon *Riddick*, Jr. | \\\\\"",
        )
}

fn printed(raw: &str) -> String {
    raw.replace("\\\\", "\\")
}

fn assemble(profile: &str) -> Document {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("agreement.toml");
    std::fs::write(&path, profile).unwrap();
    let project =
        mou::project::Project::open(&mou::project::ProjectOptions::new(repo().join("clauses")));
    project
        .assemble(&path)
        .unwrap_or_else(|d| panic!("{d}"))
        .document
}

/// Every paragraph's text, line by line (hard breaks split lines).
fn lines_of(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Paragraph(runs) | Block::Heading { text: runs, .. } => {
                out.extend(plain_text(runs).lines().map(str::to_string));
            }
            Block::List(l) => l.items.iter().for_each(|i| lines_of(i, out)),
            Block::Quote(q) | Block::Note(q) => lines_of(q, out),
            Block::Table(t) => {
                for row in std::iter::once(&t.header).chain(&t.rows) {
                    out.extend(row.iter().map(|c| plain_text(c)));
                }
            }
            Block::Signatures(s) => {
                for sig in s {
                    out.extend([sig.party.clone(), sig.name.clone(), sig.title.clone()]);
                }
            }
            Block::Rule => {}
        }
    }
}

fn article<'d>(doc: &'d Document, id: &str) -> &'d mou::document::Article {
    doc.articles.iter().find(|a| a.id == id).unwrap()
}

#[test]
fn profile_values_print_as_written_in_the_document() {
    let doc = assemble(&hostile_profile());

    // The schools table keeps three columns, and the names are the profile's.
    let table = article(&doc, "duties")
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .expect("the schools table");
    assert_eq!(table.header.len(), 3);
    for row in &table.rows {
        assert_eq!(row.len(), 3, "{row:?}");
    }
    assert_eq!(plain_text(&table.rows[0][0]), "A | B");
    assert_eq!(plain_text(&table.rows[1][0]), "*Bold* [x](y)");
    assert_eq!(plain_text(&table.rows[1][2]), "2");
    assert!(
        table.rows[1][0]
            .iter()
            .all(|r| !r.style.italic && !r.style.bold),
        "{:?}",
        table.rows[1][0]
    );

    // The notice address is one paragraph with a line per address line, unstyled.
    let notices = &article(&doc, "notices").blocks;
    let mut lines = Vec::new();
    lines_of(notices, &mut lines);
    assert!(lines.contains(&printed(SCHOOL)), "{lines:#?}");
    assert_eq!(printed(SCHOOL), SCHOOL_PRINTED);
    for want in LINES {
        assert!(lines.contains(&printed(want)), "{want:?} in {lines:#?}");
    }
    let blocks = notices.iter().filter(|b| !matches!(b, Block::Paragraph(_)));
    assert_eq!(blocks.count(), 0, "no heading, list or quote: {notices:#?}");
    for b in notices {
        let Block::Paragraph(runs) = b else { continue };
        for run in runs {
            if run.style.bold || run.style.italic {
                assert!(run.text.starts_with("If to "), "styled: {run:?}");
            }
        }
    }

    // Signature blocks (fenced) hold the values as written too.
    let sigs: Vec<_> = doc
        .articles
        .iter()
        .flat_map(|a| &a.blocks)
        .filter_map(|b| match b {
            Block::Signatures(s) => Some(s),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(sigs[0].party, SCHOOL_PRINTED);
    assert_eq!(sigs[1].name, "Vernon *Riddick*, Jr. | \\");
}

/// The same values through the command: the Markdown written, read back, shows them.
#[test]
fn profile_values_survive_the_markdown_written() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("agreement.toml"), hostile_profile()).unwrap();
    let out = mou()
        .args([
            "build",
            "agreement.toml",
            "-f",
            "md",
            "-o",
            "out",
            "--library",
        ])
        .arg(repo().join("clauses"))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let md = std::fs::read_to_string(tmp.path().join("out/agreement.md")).unwrap();
    let blocks = mou::assemble::parse_markdown(&md, None).unwrap();
    let mut lines = Vec::new();
    lines_of(&blocks, &mut lines);
    for want in ["A | B", "*Bold* [x](y)", SCHOOL_PRINTED] {
        assert!(lines.iter().any(|l| l == want), "{want:?} in {lines:#?}");
    }
    for want in LINES {
        // The Markdown writer's own escaping is render/markdown.rs's; `&amp;` is
        // the one it leaves to the reader.
        if !want.contains('&') {
            assert!(lines.contains(&printed(want)), "{want:?} in {lines:#?}");
        }
    }
    let table = blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) if t.header.len() == 3 => Some(t),
            _ => None,
        })
        .expect("the schools table");
    assert!(table.rows.iter().all(|r| r.len() == 3));
}
