//! The deviation report (`mou check --deviations`): for each agreement, every clause
//! that does not come from the model — text from the agreement's overlay, a named
//! variant, or a clause the outline lacks that the profile inserted — with a word-level
//! redline against the standard text the library would otherwise give it. This is the
//! view counsel needs when reviewing many cities' agreements against one model.
//!
//! The redline is taken between two whole agreements, the agreement as built and the
//! same agreement with every deviating clause put back to its standard text, so that
//! cross-references and numbering are those of the real document.
use crate::assemble::assemble_plan;
use crate::diag::{Diagnostic, Diagnostics, display_path};
use crate::diff::redline;
use crate::document::{Block, Change, Run};
use crate::library::{Layer, Library};
use crate::profile::Profile;
use crate::resolve::{PlanItem, plan, standard};
use crate::template::Engine;
use serde::Serialize;
use std::path::Path;

/// One deviating clause of one agreement.
#[derive(Debug, Clone, Serialize)]
pub struct Deviation {
    pub clause: String,
    /// `overlay` (the agreement's own text), `variant`, `inserted` (a clause the
    /// outline lacks) or `excluded` (a clause of the model left out).
    pub kind: &'static str,
    /// `overlay`, `project` or `library`.
    pub layer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    pub version: String,
    /// The file the text comes from.
    pub file: String,
    /// The standard version compared against; `None` for an inserted clause.
    pub standard: Option<String>,
    pub inserted: usize,
    pub deleted: usize,
    /// The article as built, insertions as `[+…+]` and deletions as `[-…-]`.
    pub redline: String,
}

/// The deviations of one agreement.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub agreement: String,
    pub profile: String,
    pub deviations: Vec<Deviation>,
}

/// The report for the profile at `path`.
pub fn report(path: &Path, lib: &Library, engine: &Engine) -> Result<Report, Diagnostics> {
    let profile = Profile::from_file(path)?;
    let built = plan(&profile, lib).map_err(Diagnostics)?;
    let outline = lib.outlines.get(profile.outline());
    let in_outline = |id: &str| outline.is_some_and(|o| o.articles.iter().any(|a| a.clause == id));
    let mut model = built.clone();
    let mut deviating = Vec::new();
    model.items.retain_mut(|item: &mut PlanItem<'_>| {
        let c = item.clause;
        if !in_outline(&c.id) {
            // Inserted: the model has no such article. It stays in the model's plan,
            // so that both documents number their articles (and references) alike.
            deviating.push((c, None));
            return true;
        }
        // The model's own text: the standard, or the variant the outline names.
        let model_variant = crate::resolve::outline_variant(&profile, lib, &c.id);
        if !matches!(c.layer, Layer::Overlay(_)) && c.variant.as_deref() == model_variant {
            return true;
        }
        let std = standard(&profile, lib, &c.id);
        deviating.push((c, std));
        match std {
            Some(s) => {
                item.clause = s;
                true
            }
            None => false,
        }
    });
    let a = assemble_plan(&profile, &built, engine)?.document;
    let m = assemble_plan(&profile, &model, engine)?.document;
    let red = redline(&m, &a);
    let mut deviations = Vec::new();
    for (c, std) in deviating {
        let stat = red.stats.iter().find(|s| s.id == c.id.as_str());
        let article = red.document.articles.iter().find(|x| x.id == c.id.as_str());
        if std.is_none() {
            // Inserted: all of its text is new.
            let text = a
                .articles
                .iter()
                .find(|x| x.id == c.id.as_str())
                .map(|x| text(&x.blocks))
                .unwrap_or_default();
            deviations.push(Deviation {
                clause: c.id.to_string(),
                kind: "inserted",
                layer: c.layer.kind().to_string(),
                variant: c.variant.clone(),
                version: c.version.to_string(),
                file: display_path(&c.path),
                standard: None,
                inserted: text.split_whitespace().count(),
                deleted: 0,
                redline: text.lines().map(|l| format!("[+{l}+]\n")).collect(),
            });
            continue;
        }
        deviations.push(Deviation {
            clause: c.id.to_string(),
            kind: if matches!(c.layer, Layer::Overlay(_)) {
                "overlay"
            } else {
                "variant"
            },
            layer: c.layer.kind().to_string(),
            variant: c.variant.clone(),
            version: c.version.to_string(),
            file: display_path(&c.path),
            standard: std.map(|s| s.version.to_string()),
            inserted: stat.map_or(0, |s| s.inserted),
            deleted: stat.map_or(0, |s| s.deleted),
            redline: article.map(|x| text(&x.blocks)).unwrap_or_default(),
        });
    }
    // Articles of the model the profile leaves out.
    for entry in outline.iter().flat_map(|o| &o.articles) {
        let id = entry.clause.as_str();
        if entry.optional || !profile.raw.clauses.exclude.iter().any(|e| e == id) {
            continue;
        }
        if let Some(std) = standard(&profile, lib, id) {
            deviations.push(Deviation {
                clause: id.to_string(),
                kind: "excluded",
                layer: std.layer.kind().to_string(),
                variant: None,
                version: std.version.to_string(),
                file: display_path(&std.path),
                standard: Some(std.version.to_string()),
                inserted: 0,
                deleted: 0,
                redline: String::new(),
            });
        }
    }
    Ok(Report {
        agreement: profile.id.to_string(),
        profile: display_path(path),
        deviations,
    })
}

/// The report as text: one section per agreement.
pub fn to_text(r: &Report) -> String {
    let mut out = format!("{} ({})\n", r.agreement, r.profile);
    if r.deviations.is_empty() {
        out.push_str("  no deviations: every clause is the model's standard text\n");
    }
    for d in &r.deviations {
        let from = match &d.variant {
            Some(v) => format!("{} variant {v}", d.layer),
            None => d.layer.clone(),
        };
        let against = match (d.kind, &d.standard) {
            ("excluded", _) => {
                "excluded: the model has this article, the agreement leaves it out".to_string()
            }
            (_, Some(s)) => format!("against standard {s}: +{} -{} words", d.inserted, d.deleted),
            (_, None) => "inserted: the model has no such clause".to_string(),
        };
        out.push_str(&format!(
            "\n  {} {} ({from}, {}) {against}\n",
            d.clause, d.version, d.file
        ));
        // The changed lines only: the JSON report has the whole article.
        for line in d.redline.lines() {
            if line.contains("[+") || line.contains("[-") {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// A report that could not be made, as a diagnostic list.
pub fn failed(path: &Path, d: Diagnostics) -> Vec<Diagnostic> {
    d.0.into_iter()
        .map(|mut x| {
            x.profile.get_or_insert_with(|| path.to_path_buf());
            x
        })
        .collect()
}

/// Blocks as plain text with change marks, one paragraph or item a line.
fn text(blocks: &[Block]) -> String {
    let mut out = String::new();
    walk(blocks, &mut out, "");
    out
}

fn walk(blocks: &[Block], out: &mut String, indent: &str) {
    for b in blocks {
        match b {
            Block::Heading { text, .. } | Block::Paragraph(text) => {
                out.push_str(indent);
                runs(text, out);
                out.push('\n');
            }
            Block::List(l) => {
                for item in &l.items {
                    walk(item, out, &format!("{indent}- "));
                }
            }
            Block::Table(t) => {
                for row in std::iter::once(&t.header).chain(&t.rows) {
                    out.push_str(indent);
                    for (i, cell) in row.iter().enumerate() {
                        if i > 0 {
                            out.push_str(" | ");
                        }
                        runs(cell, out);
                    }
                    out.push('\n');
                }
            }
            Block::Quote(inner) | Block::Note(inner) => walk(inner, out, &format!("{indent}> ")),
            Block::Signatures(_) | Block::Rule => {}
        }
    }
}

fn runs(text: &[Run], out: &mut String) {
    let mut open = Change::Unchanged;
    for r in text {
        if r.style.change != open {
            close(open, out);
            match r.style.change {
                Change::Inserted => out.push_str("[+"),
                Change::Deleted => out.push_str("[-"),
                Change::Unchanged => {}
            }
            open = r.style.change;
        }
        if r.style.line_break {
            out.push(' ');
        } else {
            out.push_str(&r.text);
        }
    }
    close(open, out);
}

fn close(c: Change, out: &mut String) {
    match c {
        Change::Inserted => out.push_str("+]"),
        Change::Deleted => out.push_str("-]"),
        Change::Unchanged => {}
    }
}
