//! `mou review THEIRS.docx --profile P` (SPEC §8): what the other side changed in the
//! agreement we sent, clause by clause.
//!
//! Both sides are read the same way: the agreement the profile builds now is written as
//! DOCX by our own writer and read back with the reader that reads theirs
//! ([`xml`]), so the comparison sees the same paragraphs and never depends on how the
//! writer lays a Document out. Their paragraphs are given to articles by the
//! `mou_<clause>` bookmarks our DOCX carries when the other side kept them, else by
//! aligning their text with ours ([`align`]). Per article, three texts are compared:
//! ours, theirs with every tracked change rejected (what differs from ours is an edit
//! made without tracking) and theirs with every change accepted (what the article
//! would read as, were their draft signed). A difference that a change to one profile
//! value reproduces exactly is reported as that value change ([`values`]); `--propose`
//! writes the rest as overlay clauses ([`propose`]).

pub mod align;
mod headings;
pub mod package;
pub mod propose;
pub mod text;
pub mod values;
pub mod xml;

use crate::diag::Diagnostic;
use crate::document::Document;
use crate::profile::Profile;
use crate::project::Project;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use xml::{Body, Comment, Mark, Piece};

pub use package::Limits;

/// The returned DOCX, read.
pub struct Returned {
    pub body: Body,
    pub comments: Vec<Comment>,
    /// `docProps/custom.xml`: `mou_<clause>` → `id[/variant]@version`, when kept.
    pub properties: BTreeMap<String, String>,
}

/// Reads a returned DOCX from its bytes, within `limits`.
pub fn read(file: &Path, bytes: Vec<u8>, limits: Limits) -> Result<Returned, Diagnostic> {
    let mut pkg = package::Package::open(file, bytes, limits)?;
    let rels_name = "_rels/.rels";
    let mut main = "word/document.xml".to_string();
    if let Some(rels) = pkg.text(rels_name)? {
        let rels = xml::relationships(&package::part_path(file, rels_name), &rels)?;
        if let Some((_, target)) = rels.iter().find(|(k, _)| k.ends_with("/officeDocument")) {
            main = target.trim_start_matches('/').to_string();
        }
    }
    let shown = package::part_path(file, &main);
    let Some(document) = pkg.text(&main)? else {
        return Err(Diagnostic::error(
            crate::check::codes::E0850,
            file,
            format!("not a word-processing DOCX: it has no `{main}` part"),
        ));
    };
    let body = xml::body(&shown, &document)?;
    drop(document);
    let folder = main.rsplit_once('/').map_or("", |(f, _)| f).to_string();
    let own_rels = if folder.is_empty() {
        format!("_rels/{main}.rels")
    } else {
        format!("{folder}/_rels/{}.rels", &main[folder.len() + 1..])
    };
    let mut comments_part = format!("{folder}/comments.xml");
    if let Some(rels) = pkg.text(&own_rels)? {
        let rels = xml::relationships(&package::part_path(file, &own_rels), &rels)?;
        if let Some((_, target)) = rels.iter().find(|(k, _)| k.ends_with("/comments")) {
            comments_part = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None if folder.is_empty() => target.clone(),
                None => format!("{folder}/{target}"),
            };
        }
    }
    let comments = match pkg.text(&comments_part)? {
        Some(x) => xml::comments(&package::part_path(file, &comments_part), &x)?,
        None => Vec::new(),
    };
    let custom = "docProps/custom.xml";
    let properties = match pkg.text(custom)? {
        Some(x) => xml::custom_properties(&package::part_path(file, custom), &x)?,
        None => BTreeMap::new(),
    };
    Ok(Returned {
        body,
        comments,
        properties,
    })
}

/// The bookmark (and custom property) name our DOCX gives an article: `mou_` and the
/// clause id with `-` and `:` as `_`, cut to the 40 characters Word keeps.
pub fn bookmark_name(id: &str) -> String {
    let mut s = String::from("mou_");
    s.extend(
        id.chars()
            .map(|c| if c == '-' || c == ':' { '_' } else { c }),
    );
    s.chars().take(40).collect()
}

/// An agreement as our own DOCX of it reads: which article each paragraph is in.
pub struct Built {
    pub doc: Document,
    pub body: Body,
    /// Comments our own DOCX carries (a draft's drafting notes), not theirs to report.
    pub comments: Vec<Comment>,
    /// Per paragraph of `body`: 0 for the title block, `i + 1` for article `i`.
    pub owner: Vec<usize>,
}

impl Built {
    /// Builds what `mou build -f docx` writes for `doc` and reads it back.
    pub fn new(doc: Document, date: Option<crate::date::Date>) -> Result<Built, String> {
        let opts = crate::render::WriteOptions {
            date,
            pdf_standard: Default::default(),
            esign_anchors: false,
        };
        let bytes = crate::render::docx::render(&doc, &opts).map_err(|e| e.to_string())?;
        let big = Limits {
            file: u64::MAX,
            entries: usize::MAX,
            part: u64::MAX,
            total: u64::MAX,
            ratio: u64::MAX,
        };
        let read = read(Path::new("built.docx"), bytes, big).map_err(|d| d.to_string())?;
        let owner = align::own_sections(&doc, &read.body)?;
        Ok(Built {
            doc,
            body: read.body,
            comments: read.comments,
            owner,
        })
    }

    /// Article `section - 1`'s paragraphs (the title block for 0), normalized.
    pub fn section(&self, section: usize) -> Vec<String> {
        view(&self.body, &self.owner, section, true)
    }
}

/// The normalized, non-empty paragraphs of one section with every change accepted
/// (`true`) or rejected; paragraphs whose mark goes join the next.
pub fn view(body: &Body, owner: &[usize], section: usize, accepted: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut acc = String::new();
    for (p, o) in body.paragraphs.iter().zip(owner) {
        if *o != section {
            continue;
        }
        acc.push_str(&p.text(accepted));
        if p.ends(accepted) {
            let n = text::normalize(&acc);
            if !n.is_empty() {
                out.push(n);
            }
            acc.clear();
        } else {
            acc.push(' ');
        }
    }
    let n = text::normalize(&acc);
    if !n.is_empty() {
        out.push(n);
    }
    out
}

/// What one clause (or the title block, or an article they added) changed.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseReview {
    /// Clause id; `(title)` for the title block, `(new)` for an article they added.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The heading as our DOCX has it (or theirs, for an added article).
    pub heading: String,
    /// `values` (only profile values changed), `changed`, `removed`, `added`, or
    /// `comments` (nothing changed, but commented).
    pub status: &'static str,
    pub profile_changes: Vec<values::ValueChange>,
    pub tracked: Vec<Tracked>,
    /// Differences from ours that no tracked change marks.
    pub untracked: Vec<text::Hunk>,
    pub comments: Vec<CommentOut>,
    /// Their text of the clause, every change accepted.
    #[serde(skip)]
    pub theirs: Vec<String>,
    /// Section index (0 title block, i + 1 article i) in our build.
    #[serde(skip)]
    pub section: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tracked {
    /// `inserted` or `deleted`.
    pub kind: &'static str,
    pub text: String,
    pub author: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommentOut {
    pub author: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub text: String,
    /// The text the comment is anchored to.
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub file: String,
    pub profile: String,
    /// Clauses with something to report, in document order.
    pub clauses: Vec<ClauseReview>,
    /// Every profile value change found, once.
    pub profile_changes: Vec<values::ValueChange>,
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

impl Review {
    /// Some text or value differs from what the profile builds (comments alone do not
    /// count: they change no text).
    pub fn has_changes(&self) -> bool {
        self.clauses.iter().any(|c| c.status != "comments")
    }
}

/// Reviews `theirs` against what `profile` builds now. `project` must hold the
/// profile's overlays.
pub fn review(
    project: &mut Project,
    profile: &Profile,
    theirs_path: &Path,
    returned: &Returned,
) -> Result<(Review, values::Search), crate::failure::Failure> {
    let date = crate::batch::source_date().or(profile.raw.agreement.date);
    let assembled = crate::assemble::assemble(profile, &project.library, &project.engine)?;
    let ours = Built::new(assembled.document, date).map_err(internal)?;
    // A document of an earlier release, its headings in capitals, reads as ours.
    let mut body = returned.body.clone();
    let recased = headings::recase(&mut body, &ours.body) > 0;
    let recased = recased.then(|| Returned {
        body,
        comments: returned.comments.clone(),
        properties: returned.properties.clone(),
    });
    let returned = recased.as_ref().unwrap_or(returned);
    let owner = align::assign(&ours, &returned.body);
    let sections = ours.doc.articles.len() + 1;
    let added = owner.iter().copied().max().unwrap_or(0).max(sections - 1) + 1 - sections;
    let mut warnings = version_warnings(theirs_path, &ours.doc, &returned.properties);

    let theirs_final: Vec<Vec<String>> = (0..sections)
        .map(|s| view(&returned.body, &owner, s, true))
        .collect();
    let search = values::search(project, profile, &ours, &theirs_final, date)?;
    let patched = search.built.as_ref().unwrap_or(&ours);

    let mut clauses = Vec::new();
    for s in 0..sections + added {
        let fin = view(&returned.body, &owner, s, true);
        let mine = if s < sections {
            ours.section(s)
        } else {
            Vec::new()
        };
        let mine_patched = if s < sections {
            patched.section(s)
        } else {
            Vec::new()
        };
        let comments: Vec<CommentOut> = comments_in(returned, &owner, s)
            .into_iter()
            .filter(|c| {
                !ours
                    .comments
                    .iter()
                    .any(|o| o.author == c.author && o.text == c.text)
            })
            .collect();
        let values_here: Vec<values::ValueChange> = search
            .changes
            .iter()
            .filter(|c| c.sections.contains(&s))
            .cloned()
            .collect();
        let status = if s >= sections {
            "added"
        } else if fin == mine {
            if comments.is_empty() {
                continue;
            }
            "comments"
        } else if fin.is_empty() {
            "removed"
        } else if fin == mine_patched {
            "values"
        } else {
            "changed"
        };
        let (tracked, untracked) = if status == "comments" {
            (Vec::new(), Vec::new())
        } else {
            let base = view(&returned.body, &owner, s, false);
            (tracked_in(returned, &owner, s), text::hunks(&mine, &base))
        };
        let (id, version, variant, heading) = if s == 0 {
            ("(title)".to_string(), None, None, "Title block".to_string())
        } else if s < sections {
            let a = &ours.doc.articles[s - 1];
            let variant = assembled_variant(project, profile, &a.id);
            (a.id.clone(), Some(a.version.clone()), variant, a.heading())
        } else {
            (
                "(new)".to_string(),
                None,
                None,
                fin.first().cloned().unwrap_or_default(),
            )
        };
        clauses.push(ClauseReview {
            id,
            version,
            variant,
            heading,
            status,
            profile_changes: values_here,
            tracked,
            untracked,
            comments,
            theirs: fin,
            section: s,
        });
    }
    // Comments anchored nowhere we could place (their anchor was deleted).
    let placed: std::collections::BTreeSet<&str> = returned
        .body
        .paragraphs
        .iter()
        .flat_map(|p| &p.pieces)
        .filter_map(|x| match x {
            Piece::CommentStart(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    for c in &returned.comments {
        let ours_too = ours
            .comments
            .iter()
            .any(|o| o.author == c.author && o.text == c.text);
        if !placed.contains(c.id.as_str()) && !ours_too {
            warnings.push(Diagnostic::warning(
                crate::check::codes::W0852,
                theirs_path,
                format!(
                    "a comment by {} is anchored to no text of the agreement: \"{}\"",
                    c.author, c.text
                ),
            ));
        }
    }
    let review = Review {
        file: crate::diag::display_path(theirs_path),
        profile: crate::diag::display_path(&profile.path),
        clauses,
        profile_changes: search.changes.clone(),
        warnings,
    };
    Ok((review, search))
}

fn internal(message: String) -> crate::failure::Failure {
    crate::failure::Failure::message(format!(
        "cannot read back the DOCX mou builds for this profile: {message}"
    ))
}

/// The variant the plan uses for `id`, if not the standard text.
fn assembled_variant(project: &Project, profile: &Profile, id: &str) -> Option<String> {
    let plan = crate::resolve::plan(profile, &project.library).ok()?;
    plan.items
        .iter()
        .find(|i| i.clause.id == id)
        .and_then(|i| i.clause.variant.clone())
}

/// Their DOCX names the clause versions it was built from (custom properties); a
/// version that differs from what the profile builds now makes our own change since
/// look like theirs.
fn version_warnings(
    file: &Path,
    doc: &Document,
    properties: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for a in &doc.articles {
        let Some(v) = properties.get(&bookmark_name(&a.id)) else {
            continue;
        };
        let their_version = v.rsplit_once('@').map_or("", |(_, v)| v);
        if !their_version.is_empty() && their_version != a.version {
            out.push(Diagnostic::warning(
                crate::check::codes::W0850,
                file,
                format!(
                    "this DOCX was built with `{}` {their_version}, the profile builds {} now: differences in that article may be ours, not theirs",
                    a.id, a.version
                ),
            ));
        }
    }
    out
}

/// Tracked insertions and deletions in one section, neighbouring runs of one revision
/// joined.
fn tracked_in(returned: &Returned, owner: &[usize], section: usize) -> Vec<Tracked> {
    let mut out: Vec<(Mark, String)> = Vec::new();
    for (p, o) in returned.body.paragraphs.iter().zip(owner) {
        if *o != section {
            continue;
        }
        let mut last_in_para: Option<usize> = None;
        for piece in &p.pieces {
            let Piece::Text(t, m) = piece else { continue };
            if *m == Mark::Unchanged {
                if !t.trim().is_empty() {
                    last_in_para = None;
                }
                continue;
            }
            match last_in_para {
                Some(i) if out[i].0 == *m => out[i].1.push_str(t),
                _ => {
                    out.push((*m, t.clone()));
                    last_in_para = Some(out.len() - 1);
                }
            }
        }
    }
    out.into_iter()
        .filter_map(|(m, t)| {
            let t = text::normalize(&t);
            if t.is_empty() {
                return None;
            }
            let (kind, r) = match m {
                Mark::Inserted(r) => ("inserted", r),
                Mark::Deleted(r) => ("deleted", r),
                Mark::Unchanged => return None,
            };
            let rev = &returned.body.revisions[r];
            Some(Tracked {
                kind,
                text: t,
                author: rev.author.clone(),
                date: rev.date.clone(),
            })
        })
        .collect()
}

/// The comments whose anchor starts in one section, with the anchored text (every
/// change accepted).
fn comments_in(returned: &Returned, owner: &[usize], section: usize) -> Vec<CommentOut> {
    let mut out = Vec::new();
    for c in &returned.comments {
        let mut start: Option<usize> = None;
        let mut anchor = String::new();
        let mut open = false;
        'paras: for (i, (p, _)) in returned.body.paragraphs.iter().zip(owner).enumerate() {
            for piece in &p.pieces {
                match piece {
                    Piece::CommentStart(id) if *id == c.id => {
                        start = Some(i);
                        open = true;
                    }
                    Piece::CommentEnd(id) if *id == c.id && open => break 'paras,
                    Piece::Text(t, m) if open && !matches!(m, Mark::Deleted(_)) => {
                        anchor.push_str(t)
                    }
                    _ => {}
                }
            }
            if open {
                anchor.push(' ');
            }
        }
        if start.is_some_and(|i| owner[i] == section) {
            out.push(CommentOut {
                author: c.author.clone(),
                date: c.date.clone(),
                text: c.text.clone(),
                anchor: text::normalize(&anchor),
            });
        }
    }
    out
}

/// Where `--propose` writes, for the profile at `profile`: the overlay folder's name as
/// the profile names it (relative to the profile's folder) and the profile's file name.
pub fn proposal_names(profile: &Profile) -> (PathBuf, PathBuf) {
    // `local` names a folder inside the profile's folder (E0158); anything else is
    // never a place to write to.
    let local = profile.raw.clauses.local.clone().filter(|l| {
        Path::new(l)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    });
    let overlay = match local {
        Some(l) => PathBuf::from(l),
        None => {
            let stem = profile
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            PathBuf::from(format!("{stem}.clauses"))
        }
    };
    let file = profile
        .path
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("profile.toml"));
    (overlay, file)
}
