//! Values too long for a page (issue #19, defect 7): a table row or signature block
//! taller than a page used to run off its bottom (a 5,000-character school name lost
//! its end; a long signatory title made the Date line vanish). Pagination now cuts such
//! a chunk between its lines, so the PDF holds every word the Markdown holds.

use crate::common;

use common::{mou, repo, valid};
use mou::render::pdf::model::{TEXT_BOTTOM, TEXT_TOP, Tag};
use std::collections::BTreeMap;
use std::process::Command;

/// `n` numbered words (`Hall0000 Hall0001 …`): every one must come out.
fn words(stem: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("{stem}{i:04}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fixture with a 5,000-character district name (recitals, notices, the first
/// signature block), a 5,000-character school in the schools table, and a signatory
/// title of 4,500 characters.
fn long_profile() -> String {
    valid()
        .replace(
            "name = \"West Hartford Public Schools\"",
            &format!("name = \"{}\"", words("Dist", 560)),
        )
        .replace(
            "name = \"Hall High School\"",
            &format!("name = \"{}\"", words("Hall", 560)),
        )
        .replace(
            "title = \"Chief of Police\"",
            &format!("title = \"{}\"", words("Title", 450)),
        )
}

/// How often each numbered word occurs in `text`.
fn counts(text: &str) -> BTreeMap<&str, usize> {
    let mut out = BTreeMap::new();
    for w in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let numbered = ["Dist", "Hall", "Title"].iter().any(|s| {
            w.strip_prefix(s)
                .is_some_and(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
        });
        if numbered {
            *out.entry(w).or_insert(0) += 1;
        }
    }
    out
}

#[test]
fn rows_and_signature_blocks_taller_than_a_page_lose_no_text() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(profiles.join("long.toml"), long_profile()).unwrap();
    let out = dir.path().join("out");
    mou()
        .args(["build", "-q", "-f", "md,pdf", "-o"])
        .arg(&out)
        .arg(&profiles)
        .assert()
        .success();
    let md = std::fs::read_to_string(out.join("long.md")).unwrap();
    let text = Command::new("pdftotext")
        .arg(out.join("long.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    let pdf = String::from_utf8_lossy(&text.stdout);
    let (want, got) = (counts(&md), counts(&pdf));
    assert_eq!(want.len(), 560 + 560 + 450, "the Markdown has every word");
    let lost: Vec<String> = want
        .iter()
        .filter(|(w, n)| got.get(*w) != Some(n))
        .map(|(w, n)| {
            format!(
                "{w}: {n} in the Markdown, {} in the PDF",
                got.get(w).unwrap_or(&0)
            )
        })
        .collect();
    assert!(
        lost.is_empty(),
        "{} words lost or doubled, first: {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
    // Both signature blocks keep their Date line.
    assert_eq!(pdf.matches("Date:").count(), 2, "{pdf}");
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(out.join("long.pdf"))
        .output()
        .unwrap();
    assert!(check.status.success());
}

/// The same agreement laid out: every line of content lies between the top and bottom
/// margins, and the schools table repeats its header on the page its long row goes on.
#[test]
fn every_line_of_an_oversize_row_or_block_is_inside_the_margins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.toml");
    std::fs::write(&path, long_profile()).unwrap();
    let project =
        mou::project::Project::open(&mou::project::ProjectOptions::new(repo().join("clauses")));
    let doc = project.assemble(&path).unwrap().document;
    let layout = mou::render::pdf::layout::layout(&doc);
    let mut pages_with_hall = Vec::new();
    for (p, page) in layout.pages.iter().enumerate() {
        for t in page.texts() {
            if matches!(t.tag, Tag::Content(_)) {
                assert!(
                    t.baseline > TEXT_TOP && t.baseline <= TEXT_BOTTOM,
                    "page {p}: {:?} at {}",
                    t.text().chars().take(40).collect::<String>(),
                    t.baseline
                );
            }
        }
        if page.texts().any(|t| t.text().contains("Hall0")) {
            pages_with_hall.push(p);
        }
    }
    assert!(pages_with_hall.len() >= 2, "{pages_with_hall:?}");
    for p in pages_with_hall {
        assert!(
            layout.pages[p].texts().any(|t| t.text() == "School"),
            "no table header on page {p}"
        );
    }
}
