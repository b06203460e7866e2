//! `mou review` (SPEC §8, issue #15): a returned DOCX made from ours by the fixture
//! generator (tracked changes, comments, untracked edits, written as Word writes them)
//! is reported clause by clause; value edits are reported as profile changes; and the
//! loop closes: `--propose`, copy the proposal into the project, and a review of the
//! same DOCX against the rebuilt profile finds nothing left.

use crate::common::{copy_dir, mou, repo};
use crate::review_fixture::{AUTHOR, DATE, Edit, returned, unzip, with_contract, zip};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Our DOCX of an example profile, as `mou build -f docx` writes it.
pub fn our_docx(profile: &str, out: &Path) -> Vec<u8> {
    mou()
        .args([
            "build",
            &format!("profiles/{profile}.toml"),
            "-f",
            "docx",
            "-o",
        ])
        .arg(out)
        .assert()
        .success();
    std::fs::read(out.join(format!("{profile}.docx"))).unwrap()
}

/// Runs `mou review` from `cwd` and returns its exit code and JSON report.
pub fn review_json(cwd: &Path, theirs: &Path, profile: &str) -> (i32, Value) {
    let out = mou()
        .current_dir(cwd)
        .arg("review")
        .arg(theirs)
        .args([
            "--profile",
            &format!("profiles/{profile}.toml"),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "exit {code}, no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

/// (id, status) of each clause reported.
fn statuses(json: &Value) -> Vec<(String, String)> {
    json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn clause<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clause {id} in {json:#}"))
}

/// The Tehachapi 2018 agreement as the city attorney returns it: notice days changed
/// (tracked), the overtime rate changed (untracked), a facility item edited
/// (untracked), a paragraph added (tracked), and a comment.
const EDITS: &[Edit<'static>] = &[
    Edit::Tracked {
        within: "days’ written notice of termination",
        find: "thirty (30)",
        with: "sixty (60)",
    },
    Edit::Untracked {
        within: "at the rate of $68.00 per hour",
        find: "$68.00",
        with: "$75.00",
    },
    Edit::Untracked {
        within: "a private office, properly lit",
        find: "properly lit,",
        with: "properly lit and ventilated,",
    },
    Edit::TrackedParagraph {
        after: "an officer acts in the capacity of a law enforcement officer",
        text: "The Department will give the District each year a copy of its policies on the use of force.",
    },
    Edit::Comment {
        anchor: "governs those services",
        text: "Council asks whether ratification needs its own resolution.",
    },
];

fn theirs_docx(dir: &Path) -> PathBuf {
    let ours = our_docx("tehachapi-2018", &dir.join("ours"));
    let theirs = dir.join("theirs.docx");
    std::fs::write(&theirs, returned(&ours, EDITS)).unwrap();
    theirs
}

#[test]
fn review_reports_each_clause_and_value_changes() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = theirs_docx(dir.path());
    let (code, json) = review_json(&repo(), &theirs, "tehachapi-2018");
    assert_eq!(code, 1, "changes found: exit 1 as diff --exit-code");
    assert_eq!(
        statuses(&json),
        [
            ("term", "comments"),
            ("facilities", "changed"),
            ("funding", "values"),
            ("employment-status", "changed"),
            ("termination", "values"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let keys: Vec<(String, String, String)> = json["profile_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["key"].as_str().unwrap().into(),
                v["from"].as_str().unwrap().into(),
                v["to"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut keys = keys;
    keys.sort();
    assert_eq!(
        keys,
        [
            ("funding.overtime_hourly_rate", "68.00", "75.00"),
            ("term.termination_notice_days", "30", "60"),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
    // Tracked changes carry who and when; the untracked ones are found by comparison.
    let t = clause(&json, "termination");
    assert_eq!(
        t["profile_changes"][0]["key"],
        "term.termination_notice_days"
    );
    let tracked = t["tracked"].as_array().unwrap();
    assert_eq!(tracked.len(), 2, "{t:#}");
    assert_eq!(tracked[0]["kind"], "deleted");
    assert_eq!(tracked[0]["text"], "thirty (30)");
    assert_eq!(tracked[1]["kind"], "inserted");
    assert_eq!(tracked[1]["text"], "sixty (60)");
    assert_eq!(tracked[1]["author"], AUTHOR);
    assert_eq!(tracked[1]["date"], DATE);
    assert!(t["untracked"].as_array().unwrap().is_empty());
    let f = clause(&json, "facilities");
    assert!(f["tracked"].as_array().unwrap().is_empty());
    // Words are compared whole, punctuation and all.
    assert_eq!(f["untracked"][0]["deleted"], "lit,");
    assert_eq!(f["untracked"][0]["inserted"], "lit and ventilated,");
    let e = clause(&json, "employment-status");
    assert_eq!(e["tracked"][0]["kind"], "inserted");
    assert!(
        e["tracked"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("The Department will give the District each year")
    );
    let c = clause(&json, "term");
    assert_eq!(c["comments"][0]["author"], AUTHOR);
    assert_eq!(c["comments"][0]["anchor"], "governs those services");
    assert_eq!(
        c["comments"][0]["text"],
        "Council asks whether ratification needs its own resolution."
    );
}

#[test]
fn text_report_names_clauses_values_authors_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = theirs_docx(dir.path());
    let out = mou()
        .arg("review")
        .arg(&theirs)
        .args(["--profile", "profiles/tehachapi-2018.toml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for want in [
        "ARTICLE XIV. TERMINATION (termination 1.1.0): profile values changed",
        "value      term.termination_notice_days: 30 -> 60",
        "tracked    + \"sixty (60)\"  (Jordan Lee (City Attorney), 2024-05-02)",
        "untracked  - \"lit,\" + \"lit and ventilated,\"",
        "comment    Jordan Lee (City Attorney), 2024-05-02 on \"governs those services\"",
        "4 clause(s) changed (2 by profile values only), 1 comment(s)",
    ] {
        assert!(text.contains(want), "no {want:?} in:\n{text}");
    }
}

#[test]
fn our_own_docx_has_no_changes() {
    let dir = tempfile::tempdir().unwrap();
    our_docx("tehachapi-2018", dir.path());
    let (code, json) = review_json(
        &repo(),
        &dir.path().join("tehachapi-2018.docx"),
        "tehachapi-2018",
    );
    assert_eq!(code, 0);
    assert!(json["clauses"].as_array().unwrap().is_empty());
}

/// Review, propose, copy the proposal into the project, rebuild: the same DOCX reviewed
/// against the new profile shows nothing left.
pub fn propose_and_close_the_loop(profile: &str, theirs: &Path) -> Value {
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    copy_dir(&repo().join("clauses"), &root.join("clauses"));
    copy_dir(&repo().join("profiles"), &root.join("profiles"));
    let proposal = root.join("proposal");
    let out = mou()
        .current_dir(root)
        .arg("review")
        .arg(theirs)
        .args([
            "--profile",
            &format!("profiles/{profile}.toml"),
            "--propose",
        ])
        .arg(&proposal)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("W0851"), "inexact proposal:\n{stderr}");
    // Copy the proposal over the profile folder, as counsel would.
    copy_dir(&proposal, &root.join("profiles"));
    let (code, after) = review_json(root, theirs, profile);
    assert_eq!(
        statuses(&after)
            .into_iter()
            .filter(|(_, s)| s != "comments")
            .collect::<Vec<_>>(),
        Vec::<(String, String)>::new(),
        "left after the proposal: {after:#}"
    );
    assert_eq!(code, 0);
    // The rebuilt profile builds, and its build is what they returned (review said so);
    // `mou check` accepts the overlay clauses.
    mou()
        .current_dir(root)
        .args([
            "build",
            &format!("profiles/{profile}.toml"),
            "-f",
            "md",
            "-o",
            "out",
        ])
        .assert()
        .success();
    let json: Value =
        serde_json::from_slice(&std::fs::read(root.join("out/manifest.json")).unwrap()).unwrap();
    json
}

#[test]
fn propose_then_rebuild_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = theirs_docx(dir.path());
    let manifest = propose_and_close_the_loop("tehachapi-2018", &theirs);
    let text = manifest.to_string();
    assert!(
        text.contains("\"overlay\""),
        "the overlay clauses are used: {text}"
    );
}

#[test]
fn proposal_keeps_the_template_variables_the_edit_left() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = theirs_docx(dir.path());
    let proposal = dir.path().join("proposal");
    mou()
        .arg("review")
        .arg(&theirs)
        .args(["--profile", "profiles/tehachapi-2018.toml", "--propose"])
        .arg(&proposal)
        .assert()
        .code(1);
    let clause =
        std::fs::read_to_string(proposal.join("tehachapi-2018.clauses/employment-status/1.0.1.md"))
            .or_else(|_| {
                let dir = proposal.join("tehachapi-2018.clauses/employment-status");
                let f = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap();
                std::fs::read_to_string(f.path())
            })
            .unwrap();
    assert!(clause.starts_with("+++\ntitle = "), "{clause}");
    assert!(
        clause.contains("{{ agency.short_name }}") || clause.contains("{{ school.short_name }}"),
        "{clause}"
    );
    assert!(clause.contains("The Department will give the District each year"));
    let profile = std::fs::read_to_string(proposal.join("tehachapi-2018.toml")).unwrap();
    let original = std::fs::read_to_string(repo().join("profiles/tehachapi-2018.toml")).unwrap();
    // Only the two values differ; comments and layout stay.
    let changed: Vec<(&str, &str)> = original
        .lines()
        .zip(profile.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [
            (
                "termination_notice_days = 30",
                "termination_notice_days = 60"
            ),
            (
                "overtime_hourly_rate = 68.00",
                "overtime_hourly_rate = 75.00"
            ),
        ]
    );
    let patch = std::fs::read_to_string(proposal.join("tehachapi-2018.patch.toml")).unwrap();
    let table: toml::Table = toml::from_str(&patch).unwrap();
    assert_eq!(
        table["term"]["termination_notice_days"].as_integer(),
        Some(60)
    );
}

#[test]
fn libreoffice_round_trip_keeps_every_change_mapped() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = theirs_docx(dir.path());
    let out = dir.path().join("lo-out");
    let status = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("lo").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(&out)
        .arg(&theirs)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run soffice ({e}): install libreoffice-writer-nogui"));
    assert!(status.status.success(), "{status:?}");
    let saved = out.join("theirs.docx");
    assert!(saved.is_file(), "LibreOffice wrote nothing");
    assert_ne!(
        std::fs::read(&saved).unwrap(),
        std::fs::read(&theirs).unwrap()
    );
    let (code, json) = review_json(&repo(), &saved, "tehachapi-2018");
    assert_eq!(code, 1);
    assert_eq!(
        statuses(&json),
        [
            ("term", "comments"),
            ("facilities", "changed"),
            ("funding", "values"),
            ("employment-status", "changed"),
            ("termination", "values"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let t = clause(&json, "termination");
    assert_eq!(t["tracked"][1]["author"], AUTHOR);
    assert_eq!(
        clause(&json, "term")["comments"][0]["anchor"],
        "governs those services"
    );
    // And its proposal closes the loop as well.
    propose_and_close_the_loop("tehachapi-2018", &saved);
}

/// Every example: an untracked word change in one article, a tracked paragraph added
/// to another, a comment in a third; exactly those are reported, and the proposal
/// closes the loop.
#[test]
fn every_example_round_trips_through_review_and_propose() {
    use mou::document::{Block, plain_text};
    let mut names: Vec<String> = std::fs::read_dir(repo().join("profiles"))
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10);
    for name in &names {
        let doc = crate::common::example_document(&format!("{name}.toml"));
        // Body paragraphs of plain prose, longest first, one per article.
        let mut paras: Vec<(usize, String, String)> = Vec::new();
        for a in doc.articles.iter().filter(|a| a.number.is_some()) {
            if let Some(t) = a
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Paragraph(r) if r.iter().all(|r| r.style == Default::default()) => {
                        Some(plain_text(r))
                    }
                    _ => None,
                })
                .filter(|t| t.is_ascii() && t.split(' ').count() > 12)
                .max_by_key(|t| t.len())
            {
                paras.push((t.len(), a.id.clone(), t));
            }
        }
        paras.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        assert!(paras.len() >= 3, "{name}: {} prose articles", paras.len());
        let words = |t: &str| t.split(' ').map(str::to_string).collect::<Vec<_>>();
        let (w0, w1, w2) = (words(&paras[0].2), words(&paras[1].2), words(&paras[2].2));
        let within0 = w0[1..12].join(" ");
        let find0 = w0[6].clone();
        let after1 = w1[1..12].join(" ");
        let anchor2 = w2[2..9].join(" ");
        let edits = [
            Edit::Untracked {
                within: &within0,
                find: &find0,
                with: "REVISED",
            },
            Edit::TrackedParagraph {
                after: &after1,
                text: "The parties will meet each quarter to review this Article.",
            },
            Edit::Comment {
                anchor: &anchor2,
                text: "Please confirm.",
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let ours = our_docx(name, &dir.path().join("ours"));
        let theirs = dir.path().join("theirs.docx");
        std::fs::write(&theirs, returned(&ours, &edits)).unwrap();
        let (code, json) = review_json(&repo(), &theirs, name);
        assert_eq!(code, 1, "{name}");
        let mut got = statuses(&json);
        got.sort();
        let mut want = vec![
            (paras[0].1.clone(), "changed".to_string()),
            (paras[1].1.clone(), "changed".to_string()),
            (paras[2].1.clone(), "comments".to_string()),
        ];
        want.sort();
        assert_eq!(got, want, "{name}: {json:#}");
        assert!(
            json["profile_changes"].as_array().unwrap().is_empty(),
            "{name}"
        );
        propose_and_close_the_loop(name, &theirs);
    }
}

/// With the bookmarks and custom properties the Word-native writer adds, an article
/// they rewrote whole (no sentence left to align by, the heading renamed too) is still
/// theirs to report under its own clause; a version the DOCX names that the profile no
/// longer builds is warned about.
#[test]
fn bookmarks_map_a_rewritten_article_and_versions_are_checked() {
    let doc = crate::common::example_document("tehachapi-2018.toml");
    let mut articles: Vec<(String, String)> = doc
        .articles
        .iter()
        .map(|a| (a.id.clone(), a.version.clone()))
        .collect();
    articles
        .iter_mut()
        .find(|(id, _)| id == "notices")
        .unwrap()
        .1 = "0.9.0".into();
    let purpose = doc.articles.iter().find(|a| a.id == "purpose").unwrap();
    let first = purpose
        .blocks
        .iter()
        .find_map(|b| match b {
            mou::document::Block::Paragraph(r) => Some(mou::document::plain_text(r)),
            _ => None,
        })
        .unwrap();
    // The Word-native writer numbers headings outside their text: the title is the
    // text, as the front matter writes it.
    let heading = purpose.title.clone();
    let dir = tempfile::tempdir().unwrap();
    let ours = with_contract(
        &our_docx("tehachapi-2018", &dir.path().join("ours")),
        &articles,
    );
    let edits = [
        Edit::Untracked {
            within: &heading,
            find: &heading,
            with: "Objectives",
        },
        Edit::Untracked {
            within: &first,
            find: &first,
            with: "Each officer serves as a mentor, a resource and a point of contact for families.",
        },
    ];
    let theirs = dir.path().join("theirs.docx");
    std::fs::write(&theirs, returned(&ours, &edits)).unwrap();
    let out = mou()
        .arg("review")
        .arg(&theirs)
        .args([
            "--profile",
            "profiles/tehachapi-2018.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        statuses(&json),
        [("purpose".to_string(), "changed".to_string())]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("W0850") && stderr.contains("`notices` 0.9.0"),
        "{stderr}"
    );
    // Our own DOCX with the contract has no changes and no warning.
    let plain = dir.path().join("plain.docx");
    let articles: Vec<(String, String)> = doc
        .articles
        .iter()
        .map(|a| (a.id.clone(), a.version.clone()))
        .collect();
    std::fs::write(
        &plain,
        with_contract(
            &std::fs::read(dir.path().join("ours/tehachapi-2018.docx")).unwrap(),
            &articles,
        ),
    )
    .unwrap();
    mou()
        .arg("review")
        .arg(&plain)
        .args(["--profile", "profiles/tehachapi-2018.toml"])
        .assert()
        .success()
        .stderr("");
}

/// An article they struck out whole, tracked: reported as removed, every deletion with
/// its author; the proposal says how to accept it (an exclusion), and writes no clause.
#[test]
fn an_article_struck_out_whole_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let ours = our_docx("tehachapi-2018", &dir.path().join("ours"));
    let theirs = dir.path().join("theirs.docx");
    let edits = [Edit::TrackedDeleteArticle {
        // Word numbers the heading; its text is the title.
        heading: "Body-Worn Cameras and Records",
    }];
    std::fs::write(&theirs, returned(&ours, &edits)).unwrap();
    let (code, json) = review_json(&repo(), &theirs, "tehachapi-2018");
    assert_eq!(code, 1);
    assert_eq!(
        statuses(&json),
        [("body-worn-camera".to_string(), "removed".to_string())]
    );
    let c = clause(&json, "body-worn-camera");
    let tracked = c["tracked"].as_array().unwrap();
    assert!(tracked.len() > 3);
    assert!(
        tracked
            .iter()
            .all(|t| t["kind"] == "deleted" && t["author"] == AUTHOR)
    );
    let proposal = dir.path().join("proposal");
    let out = mou()
        .arg("review")
        .arg(&theirs)
        .args(["--profile", "profiles/tehachapi-2018.toml", "--propose"])
        .arg(&proposal)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("W0851") && stderr.contains("\"body-worn-camera\" to `exclude`"),
        "{stderr}"
    );
    assert!(!proposal.join("tehachapi-2018.clauses").exists());
}

/// Our DOCX as a release before the DOCX looked like the PDF wrote it: every article
/// heading's text in capitals (and, with `bookmarks` false, as an editor that drops
/// bookmarks returns it).
fn as_previous_release(ours: &[u8], capitals: bool, bookmarks: bool) -> Vec<u8> {
    let mut parts = unzip(ours);
    let (_, doc) = parts
        .iter_mut()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap();
    let xml = String::from_utf8(doc.clone()).unwrap();
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml.as_str();
    while let Some(at) = rest.find("<w:p>") {
        out.push_str(&rest[..at]);
        let end = at + rest[at..].find("</w:p>").unwrap() + "</w:p>".len();
        let mut p = rest[at..end].to_string();
        if capitals && p.contains("<w:pStyle w:val=\"Heading1\"/>") {
            p = upper_text(&p);
        }
        out.push_str(&p);
        rest = &rest[end..];
    }
    out.push_str(rest);
    if !bookmarks {
        for tag in ["<w:bookmarkStart ", "<w:bookmarkEnd "] {
            while let Some(at) = out.find(tag) {
                let end = at + out[at..].find("/>").unwrap() + 2;
                out.replace_range(at..end, "");
            }
        }
    }
    *doc = out.into_bytes();
    zip(&parts)
}

/// The text of a paragraph's `w:t` elements in capitals, entities kept.
fn upper_text(p: &str) -> String {
    let mut out = String::new();
    let mut rest = p;
    while let Some(at) = rest.find("<w:t") {
        let open = at + rest[at..].find('>').unwrap() + 1;
        let close = open + rest[open..].find("</w:t>").unwrap();
        out.push_str(&rest[..open]);
        let text = rest[open..close].to_uppercase();
        out.push_str(
            &["amp", "lt", "gt", "quot", "apos"]
                .iter()
                .fold(text, |t, e| {
                    t.replace(&format!("&{};", e.to_uppercase()), &format!("&{e};"))
                }),
        );
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Counsel may return a document of the previous release, whose article headings are
/// the titles in capitals, or of this one (the titles as the front matter writes them,
/// as the PDF prints them), with or without our bookmarks: either way `review` finds
/// its articles by their headings, reports only what the other side changed, and still
/// reports a heading they renamed.
#[test]
fn headings_of_either_release_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let ours = our_docx("tehachapi-2018", &dir.path().join("ours"));
    let doc = crate::common::example_document("tehachapi-2018.toml");
    let purpose = &doc
        .articles
        .iter()
        .find(|a| a.id == "purpose")
        .unwrap()
        .title;
    assert_ne!(purpose, &purpose.to_uppercase(), "a title not in capitals");
    let expected: Vec<(String, String)> = [
        ("term", "comments"),
        ("facilities", "changed"),
        ("funding", "values"),
        ("employment-status", "changed"),
        ("termination", "values"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .to_vec();
    for (name, capitals, bookmarks) in [
        ("this-release", false, true),
        ("this-release-no-bookmarks", false, false),
        ("previous-release", true, true),
        ("previous-release-no-bookmarks", true, false),
    ] {
        let sent = as_previous_release(&ours, capitals, bookmarks);
        let path = dir.path().join(format!("{name}.docx"));
        std::fs::write(&path, &sent).unwrap();
        let (code, json) = review_json(&repo(), &path, "tehachapi-2018");
        assert_eq!((code, statuses(&json)), (0, Vec::new()), "{name} as sent");

        std::fs::write(&path, returned(&sent, EDITS)).unwrap();
        let (code, json) = review_json(&repo(), &path, "tehachapi-2018");
        assert_eq!(code, 1, "{name}");
        assert_eq!(statuses(&json), expected, "{name}");

        let heading = if capitals {
            purpose.to_uppercase()
        } else {
            purpose.clone()
        };
        let renamed = heading.replace("Goals", "Aims").replace("GOALS", "AIMS");
        let rename = [Edit::Untracked {
            within: &heading,
            find: &heading,
            with: &renamed,
        }];
        std::fs::write(&path, returned(&returned(&sent, &rename), EDITS)).unwrap();
        let (_, json) = review_json(&repo(), &path, "tehachapi-2018");
        let mut want = vec![("purpose".to_string(), "changed".to_string())];
        want.extend(expected.iter().cloned());
        assert_eq!(statuses(&json), want, "{name}, a heading renamed");
        // Their new word as they wrote it; the words they kept, in our case.
        let untracked = &clause(&json, "purpose")["untracked"][0];
        let (deleted, inserted) = ("Goals", if capitals { "AIMS" } else { "Aims" });
        assert_eq!(
            (
                untracked["deleted"].as_str(),
                untracked["inserted"].as_str()
            ),
            (Some(deleted), Some(inserted)),
            "{name}"
        );
    }
}
