//! `mou amend`: applying each amendment to the text of the agreement it amends must give
//! the text of the agreement as amended, exactly. The applier here is written apart
//! from the code that writes the instructions: it reads them as a reader would (find
//! the one place the quoted words stand, put the new words there; restate; delete;
//! insert; renumber) over the articles, sections and paragraphs of the old text.

use crate::common::{mou, repo};
use mou::document::Document;
use mou::lifecycle::amend::{After, Change, Place, changes};
use mou::lifecycle::pair;
use mou::lifecycle::text::{self, Model, Segment, TextArticle};
use std::path::{Path, PathBuf};

fn load(old: &Path, new: &Path) -> (Document, Document) {
    let mut project =
        mou::project::Project::open(&mou::project::ProjectOptions::new(repo().join("clauses")));
    project.add_overlays(&[old.to_path_buf(), new.to_path_buf()]);
    let p = pair::load(&project, old, new).unwrap_or_else(|f| panic!("{f:?}"));
    (p.old, p.amended)
}

/// Every place `phrase` starts in `text`, overlapping ones too.
fn starts(text: &str, phrase: &str) -> Vec<usize> {
    (0..text.len())
        .filter(|&i| text.is_char_boundary(i) && text[i..].starts_with(phrase))
        .collect()
}

fn replace_all(segments: &mut [Segment], pairs: &[(String, String)], what: &str) {
    let mut edits = Vec::new();
    for (from, to) in pairs {
        let found: Vec<(usize, usize)> = segments
            .iter()
            .enumerate()
            .flat_map(|(k, s)| starts(&s.text, from).into_iter().map(move |i| (k, i)))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{what}: \"{from}\" is not found exactly once"
        );
        let (k, i) = found[0];
        edits.push((k, i, i + from.len(), to.clone()));
    }
    edits.sort();
    for w in edits.windows(2) {
        assert!(
            w[0].0 != w[1].0 || w[0].2 <= w[1].1,
            "{what}: overlapping phrases"
        );
    }
    for (k, start, end, to) in edits.into_iter().rev() {
        segments[k].text.replace_range(start..end, &to);
    }
}

fn index(model: &Model, id: &str) -> usize {
    model
        .articles
        .iter()
        .position(|a| a.id == id)
        .unwrap_or_else(|| panic!("no article {id}"))
}

fn unit<'a>(model: &'a mut Model, place: &Place) -> &'a mut Vec<Segment> {
    let i = index(model, &place.target().id);
    let a = &mut model.articles[i];
    match place {
        Place::Article(_) => {
            assert!(a.sections.is_empty(), "{} has sections", a.id);
            &mut a.intro
        }
        Place::Intro(_, first) => {
            assert_eq!(&a.sections[0].number, first);
            &mut a.intro
        }
        Place::Section(_, n) => {
            &mut a
                .sections
                .iter_mut()
                .find(|s| &s.number == n)
                .unwrap_or_else(|| panic!("no Section {n}"))
                .body
        }
    }
}

fn as_text(
    id: &str,
    number: Option<u32>,
    title: &str,
    blocks: &[mou::document::Block],
) -> TextArticle {
    text::article(&mou::document::Article {
        id: id.to_string(),
        version: String::new(),
        number,
        title: title.to_string(),
        numbering: Default::default(),
        blocks: blocks.to_vec(),
    })
}

fn apply(old: &Model, changes: &[Change]) -> Model {
    let mut m = old.clone();
    for c in changes {
        match c {
            Change::Retitle { article, title } => {
                let i = index(&m, &article.id);
                m.articles[i].title = title.clone();
            }
            Change::Replace { place, pairs } => {
                let what = place.reference();
                replace_all(unit(&mut m, place), pairs, &what);
            }
            Change::Restate {
                place,
                heading,
                blocks,
            } => {
                let segs = text::segments(blocks);
                if let Place::Section(t, n) = place {
                    let i = index(&m, &t.id);
                    let s = m.articles[i]
                        .sections
                        .iter_mut()
                        .find(|s| &s.number == n)
                        .unwrap();
                    s.heading = heading.clone().expect("a restated section has its heading");
                    s.body = segs;
                } else {
                    *unit(&mut m, place) = segs;
                }
            }
            Change::RestateArticle {
                article,
                title,
                blocks,
            } => {
                let i = index(&m, &article.id);
                let mut a = as_text(&article.id, article.number, title, blocks);
                a.numbering = m.articles[i].numbering;
                m.articles[i] = a;
            }
            Change::Delete { article } => {
                let i = index(&m, &article.id);
                m.articles.remove(i);
            }
            Change::Add { after, article } => {
                let at = match after {
                    After::Old(t) | After::New(t) => index(&m, &t.id) + 1,
                    After::Start => 0,
                };
                m.articles.insert(at, text::article(article));
            }
            Change::Renumber { runs, .. } => {
                // Renumbering applies to the articles the amendment did not add.
                let added: Vec<&str> = changes
                    .iter()
                    .filter_map(|c| match c {
                        Change::Add { article, .. } => Some(article.id.as_str()),
                        _ => None,
                    })
                    .collect();
                for a in m
                    .articles
                    .iter_mut()
                    .filter(|a| !added.contains(&a.id.as_str()))
                {
                    let Some(n) = a.number else { continue };
                    if let Some(&(first, _, new_first)) =
                        runs.iter().find(|(f, l, _)| (*f..=*l).contains(&n))
                    {
                        let to = new_first + (n - first);
                        a.number = Some(to);
                        for s in &mut a.sections {
                            let (_, rest) = s.number.split_once('.').unwrap();
                            s.number = format!("{to}.{rest}");
                        }
                    }
                }
            }
        }
    }
    m
}

/// Applies the amendment of `old` → `new` and compares with `new`'s text.
fn check_pair(old: &Path, new: &Path) -> Vec<Change> {
    let (old_doc, amended) = load(old, new);
    let cs = changes(&old_doc, &amended);
    let got = apply(&text::model(&old_doc), &cs);
    let want = text::model(&amended);
    for (g, w) in got.articles.iter().zip(&want.articles) {
        assert_eq!(
            g,
            w,
            "{} → {}: article {}",
            old.display(),
            new.display(),
            w.id
        );
    }
    assert_eq!(got, want, "{} → {}", old.display(), new.display());
    says_each_change(&old_doc, &amended, &cs);
    cs
}

/// The amendment document states each instruction: one numbered item per change, each
/// replacement quoted as the instruction has it, each restatement's text set out.
fn says_each_change(old: &Document, new: &Document, cs: &[Change]) {
    use mou::document::{Block, plain_text};
    let parties = mou::lifecycle::amend_doc::Parties {
        names: vec![("A".into(), "the A".into()), ("B".into(), "the B".into())],
        signatures: Vec::new(),
        term: None,
        ended: None,
        ratify_from: None,
        agency: "the B".into(),
    };
    let doc = mou::lifecycle::amend_doc::document(1, old, new, &parties, cs);
    let amendments = doc.articles.iter().find(|a| a.id == "amendments").unwrap();
    let Some(Block::List(list)) = amendments.blocks.last() else {
        panic!("no list of amendments")
    };
    assert_eq!(list.items.len(), cs.len());
    for (item, c) in list.items.iter().zip(cs) {
        let Some(Block::Paragraph(lead)) = item.first() else {
            panic!("an item without its instruction")
        };
        let lead = plain_text(lead);
        let quoted: Vec<String> = text::segments(&item[1..])
            .into_iter()
            .map(|s| s.text)
            .collect();
        match c {
            Change::Replace { place, pairs } => {
                assert!(
                    lead.starts_with(&{
                        let r = place.reference();
                        let mut ch = r.chars();
                        ch.next()
                            .unwrap()
                            .to_uppercase()
                            .chain(ch)
                            .collect::<String>()
                    }),
                    "{lead}"
                );
                for (a, b) in pairs {
                    assert!(lead.contains(&format!("\"{a}\" with \"{b}\"")), "{lead}");
                }
            }
            Change::Restate { blocks, .. } | Change::RestateArticle { blocks, .. } => {
                for seg in text::segments(blocks) {
                    assert!(
                        quoted.contains(&seg.text) || seg.shape.contains('h'),
                        "{lead}: {}",
                        seg.text
                    );
                }
            }
            Change::Add { article, .. } => {
                assert!(lead.contains(&article.title), "{lead}");
                for seg in text::segments(&article.blocks) {
                    assert!(
                        quoted.contains(&seg.text) || seg.shape.contains('h'),
                        "{lead}: {}",
                        seg.text
                    );
                }
            }
            Change::Delete { article } => assert!(
                lead.contains("is deleted in its entirety") && lead.contains(&article.title)
            ),
            Change::Retitle { title, .. } => assert!(lead.contains(title.as_str())),
            Change::Renumber { .. } => assert!(lead.contains("renumbered")),
        }
    }
}

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn applying_each_amendment_gives_the_new_text_for_every_pair_of_examples_with_the_same_parties() {
    let docs: Vec<(PathBuf, Vec<String>)> = examples()
        .into_iter()
        .map(|p| {
            let d = crate::common::example_document(p.file_name().unwrap().to_str().unwrap());
            (p, d.parties)
        })
        .collect();
    let mut pairs = 0;
    for (a, pa) in &docs {
        for (b, pb) in &docs {
            if a != b && pa == pb {
                let cs = check_pair(a, b);
                assert!(!cs.is_empty(), "{} and {} differ", a.display(), b.display());
                pairs += 1;
            }
        }
    }
    // tehachapi-2017/2018 and ashgrove-fixed-2026/kentucky-city-2025, both ways.
    assert!(pairs >= 4, "{pairs} pairs");
}

/// A copy of an example with `edits` (each `from` must be in the profile).
fn variant(dir: &Path, example: &str, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut s = std::fs::read_to_string(repo().join("profiles").join(example)).unwrap();
    for (from, to) in edits {
        assert!(s.contains(from), "{example} has no {from:?}");
        s = s.replacen(from, to, 1);
    }
    let p = dir.join(name);
    std::fs::write(&p, s).unwrap();
    p
}

#[test]
fn applying_each_amendment_gives_the_new_text_for_generated_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = variant(d, "tehachapi-2018.toml", "base.toml", &[]);
    // A notice period and an extension notice used in several places.
    let bay = variant(d, "bayshore-2023.toml", "bay.toml", &[]);
    let bay_notice = variant(
        d,
        "bayshore-2023.toml",
        "bay-notice.toml",
        &[
            ("notice_days = 90 }", "notice_days = 120 }"),
            (
                "termination_notice_days = 90",
                "termination_notice_days = 45",
            ),
        ],
    );
    let cs = check_pair(&bay, &bay_notice);
    assert!(!cs.is_empty());
    // An article added in the middle: later articles renumber.
    let added = variant(
        d,
        "tehachapi-2018.toml",
        "added.toml",
        &[(
            "[clauses]\n",
            "[clauses]\ninclude = [\"student-advisory-board\"]\n",
        )],
    );
    let cs = check_pair(&base, &added);
    assert!(cs.iter().any(|c| matches!(c, Change::Add { .. })));
    assert!(cs.iter().any(|c| matches!(c, Change::Renumber { .. })));
    // ... and deleted again.
    let cs = check_pair(&added, &base);
    assert!(cs.iter().any(|c| matches!(c, Change::Delete { .. })));
    // An article deleted from the middle, its references changing with it.
    let deleted = variant(
        d,
        "tehachapi-2018.toml",
        "deleted.toml",
        &[("[clauses]\n", "[clauses]\nexclude = [\"dismissal\"]\n")],
    );
    check_pair(&base, &deleted);
    // Decimal numbering: an article deleted and an amount changed.
    let decimal = variant(
        d,
        "tehachapi-2018.toml",
        "decimal.toml",
        &[(
            "status = \"final\"\n",
            "status = \"final\"\nnumbering = \"decimal\"\n",
        )],
    );
    let decimal_cut = variant(
        d,
        "tehachapi-2018.toml",
        "decimal-cut.toml",
        &[
            (
                "status = \"final\"\n",
                "status = \"final\"\nnumbering = \"decimal\"\n",
            ),
            ("[clauses]\n", "[clauses]\nexclude = [\"dismissal\"]\n"),
            ("annual_cost = 118000.00", "annual_cost = 121500.00"),
        ],
    );
    let cs = check_pair(&decimal, &decimal_cut);
    assert!(cs.iter().any(|c| matches!(c, Change::Renumber { .. })));
    // An amount, and a school added.
    let amount = variant(
        d,
        "tehachapi-2018.toml",
        "amount.toml",
        &[
            ("annual_cost = 118000.00", "annual_cost = 121500.00"),
            (
                "[[schools]]\nname = \"Monroe High School\"",
                "[[schools]]\nname = \"Valley Oak Middle School\"\nlevel = \"middle\"\nofficers = 0\n\n[[schools]]\nname = \"Monroe High School\"",
            ),
        ],
    );
    let cs = check_pair(&base, &amount);
    assert!(cs.iter().any(|c| matches!(c, Change::Replace { .. })));
    // A notice period (thirty to sixty days): a few words, replaced, not restated.
    let notice = variant(
        d,
        "tehachapi-2018.toml",
        "notice.toml",
        &[(
            "termination_notice_days = 30",
            "termination_notice_days = 60",
        )],
    );
    let cs = check_pair(&base, &notice);
    let replaced: Vec<&(String, String)> = cs
        .iter()
        .flat_map(|c| match c {
            Change::Replace { pairs, .. } => pairs.iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    assert!(
        replaced
            .iter()
            .any(|(a, b)| a.contains("thirty (30)") && b.contains("sixty (60)")),
        "{cs:#?}"
    );
}

#[test]
fn tehachapi_amendment_names_the_agreement_and_each_change() {
    let out = mou()
        .args([
            "amend",
            "profiles/tehachapi-2017.toml",
            "profiles/tehachapi-2018.toml",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    for want in [
        "# Amendment No. 1 to the School Resource Officer Agreement",
        "School Resource Officer Agreement dated as of June 20, 2017 (the \"Agreement\")",
        "Article II is amended by replacing \"July 1, 2017\" with \"July 1, 2018\"",
        "\"$115,000.00\" with \"$118,000.00\"",
        "Article XI is amended and restated in its entirety to read as follows:",
        "$3,500,000.00",
        "Except as amended by this Amendment, the Agreement remains in full force and effect.",
        "This Amendment is effective as of August 1, 2018.",
        "Name: Dean McGee",
        "Name: Kent Kroeger",
        // Made after the agreement ended, and retroactive as the later agreement is.
        "WHEREAS, the Term of the Agreement ended on June 30, 2018",
        "reinstate the Agreement",
        "**Ratification.** The parties acknowledge that the Program has operated, and that the Department has provided officers to the schools, since July 1, 2018",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    // The agreement amended keeps its date: no amendment of the recitals.
    assert!(!md.contains("20th day of June"), "{md}");
}

#[test]
fn amendment_formats_and_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = mou()
        .args([
            "amend",
            "profiles/tehachapi-2017.toml",
            "profiles/tehachapi-2018.toml",
            "--number",
            "2",
            "-f",
            "md,pdf,docx",
            "-o",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for ext in ["md", "pdf", "docx"] {
        let f = dir.path().join(format!("tehachapi-2017-amendment-2.{ext}"));
        assert!(f.metadata().unwrap().len() > 1000, "{}", f.display());
    }
    let md = std::fs::read_to_string(dir.path().join("tehachapi-2017-amendment-2.md")).unwrap();
    assert!(md.contains("Amendment No. 2"));
    assert!(md.contains("as amended before the date of this Amendment"));

    // Not the same parties: a located error, exit 1.
    let out = mou()
        .args([
            "amend",
            "profiles/tehachapi-2017.toml",
            "profiles/tacoma-2021.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E0800") && err.contains("not the same agreement"),
        "{err}"
    );
    assert!(err.contains("profiles/tacoma-2021.toml:"), "{err}");
    assert!(out.stdout.is_empty());

    // Nothing to amend: exit 0, said so.
    let out = mou()
        .args([
            "amend",
            "profiles/tehachapi-2018.toml",
            "profiles/tehachapi-2018.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to amend"));
    assert!(out.stdout.is_empty());

    // --number 0 and a PDF on stdout are usage errors.
    for args in [&["--number", "0"][..], &["-f", "pdf"][..]] {
        let out = mou()
            .args([
                "amend",
                "profiles/tehachapi-2017.toml",
                "profiles/tehachapi-2018.toml",
            ])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
