//! Markdown nested thousands of levels deep (issue #19, defect 1): refused with a
//! located error (E0306) where the Markdown becomes a Document, in `build`, `check` and
//! `diff` alike, and the other agreements of a batch are still built and summarised.
//! Every writer and the redline handle the deepest Document that can exist.

use crate::common;

use common::{mou, repo, valid};
use mou::document::{Article, Block, MAX_NESTING};
use std::path::{Path, PathBuf};

const DEPTH: usize = 8000;

/// A work folder with the repository's clauses, `profiles/good.toml` (the valid
/// fixture) and `profiles/deep.toml` (`deep`, or the fixture again).
fn workspace(deep: Option<String>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    common::copy_dir(&repo().join("clauses"), &root.join("clauses"));
    std::fs::create_dir_all(root.join("profiles")).unwrap();
    std::fs::write(root.join("profiles/good.toml"), valid()).unwrap();
    std::fs::write(root.join("profiles/deep.toml"), deep.unwrap_or_else(valid)).unwrap();
    (tmp, root)
}

/// `mou ARGS` in `dir`: exit code and everything it printed.
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = mou().current_dir(dir).args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// A profile value that would nest 8,000 levels if it were Markdown: it lands at the
/// start of a line of the notices clause (`{{ school.name }}\`), where `>`, `-` and `1.`
/// open blocks. Profile values are text (template::escape), so it opens none: the
/// agreement builds, with the characters as written and no nesting at all.
#[test]
fn a_deeply_nested_profile_value_is_text() {
    for marker in ["> ", "- ", "1. "] {
        let value = format!("{}x", marker.repeat(DEPTH));
        let deep = valid().replace(
            "name = \"West Hartford Public Schools\"",
            &format!("name = \"{value}\""),
        );
        let (_tmp, root) = workspace(Some(deep));
        let (code, text) = run(
            &root,
            &[
                "build",
                "profiles",
                "--library",
                "clauses",
                "-o",
                "out",
                "-f",
                "md,docx",
                "-q",
            ],
        );
        assert_eq!(code, 0, "{}", text.chars().take(2000).collect::<String>());
        let md = std::fs::read_to_string(root.join("out/deep.md")).unwrap();
        assert!(!md.contains("\n> > "), "no quote opened");
    }
}

/// A clause body that nests 8,000 levels: located at the marker that opens level 33.
#[test]
fn a_deeply_nested_clause_body_is_a_located_error() {
    for marker in ["> ", "- ", "1. "] {
        let (_tmp, root) = workspace(None);
        let path = root.join("clauses/notices/1.0.0.md");
        let mut clause = std::fs::read_to_string(&path).unwrap();
        let line = clause.lines().count() + 2;
        clause.push_str(&format!("\n{}x\n", marker.repeat(DEPTH)));
        std::fs::write(&path, clause).unwrap();
        let column = MAX_NESTING * marker.len() + 1;
        // Both profiles use the clause, so both fail, and the batch still reports.
        let (code, text) = run(
            &root,
            &[
                "build",
                "profiles",
                "--library",
                "clauses",
                "-o",
                "out",
                "-f",
                "md",
            ],
        );
        assert_eq!(code, 1, "{}", text.chars().take(2000).collect::<String>());
        // The human report prints the line (its column is that of the clipped
        // snippet on a line this long); the JSON report gives the exact column.
        let at = format!("clauses/notices/1.0.0.md:{line}:");
        assert!(
            text.contains(&at),
            "not at {at}: {}",
            text.chars().take(2000).collect::<String>()
        );
        assert!(text.contains("built 0, failed 2"), "{text}");
        let (code, text) = run(
            &root,
            &[
                "check",
                "profiles/good.toml",
                "--library",
                "clauses",
                "--format",
                "json",
            ],
        );
        assert_eq!(code, 1);
        let diag: serde_json::Value = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|d| d["code"] == "E0306")
            .unwrap_or_else(|| panic!("check: no E0306: {text}"));
        assert_eq!(diag["file"], "clauses/notices/1.0.0.md", "{diag}");
        assert_eq!(diag["line"], line, "{diag}");
        assert_eq!(diag["column"], column, "{diag}");
        let (code, text) = run(
            &root,
            &[
                "diff",
                "profiles/good.toml",
                "profiles/deep.toml",
                "--library",
                "clauses",
            ],
        );
        assert_eq!(code, 1);
        assert!(text.contains("E0306") && text.contains(&at), "diff: {text}");
    }
}

/// Markdown nested exactly [`MAX_NESTING`] levels in every way the parser allows.
fn deepest_markdown() -> Vec<String> {
    let n = MAX_NESTING;
    let table = "| School | Officers |\n|---|--:|\n| Hall | 1 |\n";
    let mut out: Vec<String> = ["> ", "- ", "1. ", "* "]
        .iter()
        .map(|m| format!("{}**deep** *text*\n", m.repeat(n)))
        .collect();
    out.push(format!("{}x\n", "- > ".repeat(n / 2)));
    // Indented lists, each level with a paragraph, a table and a signature.
    let mut s = String::new();
    for i in 0..n {
        let pad = "  ".repeat(i);
        s.push_str(&format!(
            "{pad}- level {i} with a [bracket] and 1. * stars\n\n"
        ));
        for line in table.lines() {
            s.push_str(&format!("{pad}  {line}\n"));
        }
        s.push('\n');
    }
    out.push(s);
    // Quotes holding lists holding quotes, with paragraphs between.
    let mut s = String::new();
    for i in 0..=n {
        let prefix = "> ".repeat(i);
        s.push_str(&format!("{prefix}Level {i}.\n{prefix}\n"));
    }
    out.push(s);
    out
}

fn deepest_document() -> mou::document::Document {
    let articles: Vec<Article> = deepest_markdown()
        .iter()
        .enumerate()
        .map(|(i, md)| {
            let blocks = mou::assemble::parse_markdown(md, Some(i as u32 + 1))
                .unwrap_or_else(|e| panic!("{md}: {}", e.message));
            assert_eq!(depth(&blocks), MAX_NESTING, "{md}");
            common::article(Some(i as u32 + 1), &format!("Deep {i}"), blocks)
        })
        .collect();
    let mut doc = common::bare(articles);
    doc.draft = false;
    doc
}

/// Nesting depth of lists and quotes (with a stack, not recursion).
fn depth(blocks: &[Block]) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&[Block], usize)> = vec![(blocks, 0)];
    while let Some((blocks, d)) = stack.pop() {
        deepest = deepest.max(d);
        for b in blocks {
            match b {
                Block::List(l) => stack.extend(l.items.iter().map(|i| (&i[..], d + 1))),
                Block::Quote(inner) => stack.push((inner, d + 1)),
                _ => {}
            }
        }
    }
    deepest
}

/// The deepest Document that can exist goes through every writer, the redline (against
/// a shallower version of itself, so every block is compared) and every writer again,
/// on a thread with a 256 KiB stack: what the bound in `document.rs` promises. A debug
/// build's frames are the largest, so this holds in release too.
#[test]
fn every_writer_and_the_redline_fit_a_small_stack_at_the_deepest_nesting() {
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let new = deepest_document();
            let mut old = new.clone();
            for a in &mut old.articles {
                a.blocks
                    .insert(0, Block::Paragraph(common::text("An older line.")));
            }
            let red = mou::diff::redline(&old, &new);
            assert!(!red.is_empty());
            assert!(red.document.has_changes());
            let opts = mou::render::WriteOptions::default();
            for doc in [&new, &red.document] {
                for format in mou::render::Format::all() {
                    let bytes = format.write(doc, &opts).unwrap();
                    assert!(!bytes.is_empty(), "{format}");
                }
                let copy = doc.clone();
                assert_eq!(&copy, doc);
                let _ = format!("{copy:?}");
                drop(copy);
            }
        })
        .unwrap();
    worker.join().expect("no stack overflow at MAX_NESTING");
}

/// Lists and quotes nested [`MAX_NESTING`] deep stop indenting at the margin: every
/// line the PDF draws at the deepest nesting is inside the page.
#[test]
fn the_deepest_nesting_is_drawn_inside_the_page() {
    use mou::render::pdf::model::{PAGE_HEIGHT, PAGE_WIDTH};
    let layout = mou::render::pdf::layout::layout(&deepest_document());
    let mut lines = 0;
    for page in &layout.pages {
        for t in page.texts().filter(|t| t.rotate == 0.0) {
            lines += 1;
            assert!(
                t.x >= 0.0 && t.right() <= PAGE_WIDTH && t.baseline <= PAGE_HEIGHT,
                "{:?} drawn at x {}..{}, baseline {}",
                t.text(),
                t.x,
                t.right(),
                t.baseline
            );
        }
    }
    assert!(lines > 100, "{lines} lines");
}
