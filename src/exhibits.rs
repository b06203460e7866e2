//! Exhibits (SPEC §2, v2): attachments printed after the signatures, each on a new
//! page under its own heading ("EXHIBIT A — DUTIES OF THE OFFICER"), with a PDF
//! bookmark and a DOCX section of its own. An exhibit's text comes from a file beside
//! the profile (CommonMark with template syntax, like a clause body), from a library
//! clause, or, for a table such as a salary schedule, from rows written in the profile.
//!
//! In the Document an exhibit is an unnumbered article whose id is `exhibit:LABEL`
//! (no clause id has a colon), so writers that must start it on a new page ask
//! [`is_exhibit`], and redlines compare exhibits by label.
use crate::check::codes;

use crate::diag::Diagnostic;
use crate::document::{Align, Article, Block, Run, Table};
use crate::library::{ClauseVersion, FrontMatter, Layer, Library};
use crate::profile::Profile;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The prefix of an exhibit's article id.
pub const ID_PREFIX: &str = "exhibit:";

/// What the `exhibit()` function's error says, by which it is given its code.
pub const NO_SUCH_EXHIBIT: &str = "this agreement has no exhibit";

/// Context key holding `label → "Exhibit A"` for the `exhibit()` function.
pub const EXHIBITS_KEY: &str = "__exhibits";

/// One `[[exhibits]]` entry as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExhibit {
    pub label: String,
    pub title: String,
    /// A file relative to the profile's folder, inside it.
    pub file: Option<String>,
    /// A clause of the library (any layer) rendered as the exhibit.
    pub clause: Option<String>,
    /// Table headings, for an exhibit made of `rows`.
    pub columns: Option<Vec<String>>,
    /// Table rows: each cell text or a whole number, printed as written.
    pub rows: Option<Vec<Vec<toml::Value>>>,
}

/// Where a planned exhibit's text comes from.
#[derive(Debug, Clone)]
pub enum Source<'l> {
    /// A template: an exhibit file (loaded with the overlays) or a library clause.
    Template(&'l ClauseVersion),
    Table {
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// An exhibit of one agreement, checked and ready to render.
#[derive(Debug, Clone)]
pub struct Planned<'l> {
    pub label: String,
    pub title: String,
    pub source: Source<'l>,
}

/// Whether an article of a Document is an exhibit (it starts a new page).
pub fn is_exhibit(article: &Article) -> bool {
    article.id.starts_with(ID_PREFIX)
}

/// `Exhibit A`, as the `exhibit()` function prints it.
pub fn name(label: &str) -> String {
    format!("Exhibit {label}")
}

/// The file an exhibit names, joined to the profile's folder, or why it may not be
/// read: only a relative path without `..` (a link out of the folder is caught when
/// the file is read).
pub fn file_path(profile: &Path, file: &str) -> Result<PathBuf, String> {
    let rel = Path::new(file);
    let escapes = rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if file.is_empty() || escapes {
        return Err(format!(
            "exhibit file \"{file}\" is outside the profile's folder: give a path inside it, without `..`"
        ));
    }
    Ok(profile.parent().unwrap_or(Path::new("")).join(rel))
}

/// Reads the exhibit file at `path` of the profile at `profile` as a template, with
/// the same limits as a clause file; `Err` is the problem, for the plan to report at
/// the profile. A link is followed only when it stays inside the profile's folder.
pub fn read_file(profile: &Path, path: &Path) -> Result<ClauseVersion, String> {
    let folder = match profile.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let inside = folder
        .canonicalize()
        .map_err(|e| format!("cannot be read: {e}"))?;
    let real = path.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".to_string(),
        _ => format!("cannot be read: {e}"),
    })?;
    if !real.starts_with(&inside) {
        return Err("is a link that points outside the profile's folder; not followed".into());
    }
    let body = crate::source::read_text(path, crate::library::MAX_CLAUSE_BYTES)
        .map_err(|e| format!("cannot read: {e}"))?;
    Ok(ClauseVersion {
        id: crate::ids::ClauseId::parse("exhibit").expect("a valid id"),
        version: semver::Version::new(0, 0, 0),
        path: path.to_path_buf(),
        front: FrontMatter {
            title: String::new(),
            summary: String::new(),
            tags: vec![],
            states: vec!["*".into()],
            changes: String::new(),
            id: None,
            version: None,
        },
        sha256: crate::hash::sha256_hex(body.as_bytes()),
        body,
        body_line: 1,
        layer: Layer::Overlay(crate::diag::display_path(path)),
        variant: None,
    })
}

/// The profile's exhibits, checked: labels, sources, files. `overlay` is the profile's
/// overlay (a clause exhibit may come from it).
pub fn plan<'l>(
    profile: &Profile,
    lib: &'l Library,
    overlay: Option<&'l Library>,
) -> Result<Vec<Planned<'l>>, Vec<Diagnostic>> {
    let loc = profile.locator();
    let mut diags = Vec::new();
    let mut out = Vec::new();
    let mut labels: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, ex) in profile.raw.exhibits.iter().enumerate() {
        let n = i.to_string();
        let keys = |k: &'static str| ["exhibits".to_string(), n.clone(), k.to_string()];
        let at = |k: &'static str, code, msg: String| {
            let k = keys(k);
            let refs: Vec<&str> = k.iter().map(String::as_str).collect();
            loc.error(code, &refs, msg)
        };
        let label = ex.label.as_str();
        let well_formed = (1..=3).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !well_formed {
            diags.push(
                at(
                    "label",
                    codes::E0235,
                    format!(
                        "exhibit label \"{label}\" is not one to three capital letters or digits"
                    ),
                )
                .with_help("label exhibits A, B, C, … (or 1, 2, 3)"),
            );
            continue;
        }
        if let Some(first) = labels.insert(label, i) {
            diags.push(at(
                "label",
                codes::E0235,
                format!(
                    "two exhibits are labelled \"{label}\" (entries {} and {})",
                    first + 1,
                    i + 1
                ),
            ));
            continue;
        }
        let given = [ex.file.is_some(), ex.clause.is_some(), ex.rows.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            diags.push(
                at(
                    "label",
                    codes::E0235,
                    format!("exhibit {label} needs exactly one of `file`, `clause` and `rows`"),
                )
                .with_help("file = \"exhibits/a.md\" (beside the profile), clause = \"an-id\", or columns and rows for a table"),
            );
            continue;
        }
        let source = if let Some(file) = &ex.file {
            match file_path(&profile.path, file) {
                Err(msg) => {
                    diags.push(at("file", codes::E0234, msg));
                    continue;
                }
                Ok(path) => match lib.exhibit_files.get(&path) {
                    Some(Ok(_)) if lib.overlay_problems.contains_key(&path) => {
                        diags.extend(lib.overlay_problems[&path].iter().cloned());
                        continue;
                    }
                    Some(Ok(c)) => Source::Template(c),
                    Some(Err(why)) => {
                        let code = if why.contains("outside") {
                            codes::E0234
                        } else {
                            codes::E0233
                        };
                        diags.push(at(
                            "file",
                            code,
                            format!("exhibit file {} {why}", crate::diag::display_path(&path)),
                        ));
                        continue;
                    }
                    None => {
                        diags.push(at(
                            "file",
                            codes::E0233,
                            format!(
                                "exhibit file {} was not read with the library",
                                crate::diag::display_path(&path)
                            ),
                        ));
                        continue;
                    }
                },
            }
        } else if let Some(id) = &ex.clause {
            let layer = match overlay {
                Some(o) if o.has_id(id) => o,
                _ => lib,
            };
            match crate::resolve::choose(
                layer.versions(id),
                profile.state(),
                profile.versions.get(id.as_str()),
            ) {
                Some(c) => Source::Template(c),
                None => {
                    let hint =
                        crate::diag::did_you_mean(id, lib.clauses.keys().map(String::as_str))
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| {
                                "name a clause of the library, or use `file`".into()
                            });
                    diags.push(
                        at(
                            "clause",
                            codes::E0236,
                            format!("exhibit {label} names clause `{id}`, which no layer of the library has for state {}", profile.state()),
                        )
                        .with_help(hint),
                    );
                    continue;
                }
            }
        } else {
            match table(ex) {
                Ok(t) => t,
                Err(msg) => {
                    diags.push(at("rows", codes::E0235, format!("exhibit {label}: {msg}")));
                    continue;
                }
            }
        };
        out.push(Planned {
            label: label.to_string(),
            title: ex.title.clone(),
            source,
        });
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// A table exhibit's cells as text: text as written, whole numbers in digits.
fn table<'l>(ex: &RawExhibit) -> Result<Source<'l>, String> {
    let columns = ex
        .columns
        .clone()
        .ok_or("a table exhibit needs `columns`, its headings")?;
    if columns.is_empty() {
        return Err("`columns` is empty".into());
    }
    let mut rows = Vec::new();
    for (r, row) in ex.rows.iter().flatten().enumerate() {
        if row.len() != columns.len() {
            return Err(format!(
                "row {} has {} cells; there are {} columns",
                r + 1,
                row.len(),
                columns.len()
            ));
        }
        let mut cells = Vec::new();
        for cell in row {
            cells.push(match cell {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                other => {
                    return Err(format!(
                        "row {}: a cell is {}; write text (e.g. \"$52,000.00\") or a whole number",
                        r + 1,
                        other.type_str()
                    ));
                }
            });
        }
        rows.push(cells);
    }
    Ok(Source::Table { columns, rows })
}

/// `label → "Exhibit A"`, for the context the `exhibit()` function reads.
pub fn names(planned: &[Planned<'_>]) -> BTreeMap<String, String> {
    planned
        .iter()
        .map(|p| (p.label.clone(), name(&p.label)))
        .collect()
}

/// The `exhibit(label="A")` template function: `Exhibit A`, or an error naming the
/// labels the agreement has.
pub fn function(kwargs: tera::Kwargs, state: &tera::State) -> tera::TeraResult<tera::Value> {
    let label = kwargs.must_get::<&str>("label")?;
    let known = state
        .get::<tera::Value>(EXHIBITS_KEY)?
        .unwrap_or_else(tera::Value::none);
    let map = known.as_map();
    let found = map.and_then(|m| {
        m.iter()
            .find(|(k, _)| k.as_str() == Some(label))
            .map(|(_, v)| v.clone())
    });
    if let Some(text) = found.as_ref().and_then(|v| v.as_str()) {
        let id = format!("{ID_PREFIX}{label}");
        return Ok(tera::Value::safe_string(&crate::template::xref_marked(
            &id, text,
        )));
    }
    found.ok_or_else(|| {
        let have: Vec<String> = map
            .map(|m| {
                m.iter()
                    .filter_map(|(k, _)| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let have = if have.is_empty() {
            "it has none".to_string()
        } else {
            format!("it has {}", have.join(", "))
        };
        tera::Error::message(format!(
            "exhibit(label=\"{label}\"): {NO_SUCH_EXHIBIT} {label} ({have})"
        ))
    })
}

/// An exhibit's article: its heading and the blocks of its text.
pub fn article(p: &Planned<'_>, version: String, blocks: Vec<Block>) -> Article {
    Article {
        id: format!("{ID_PREFIX}{}", p.label),
        version,
        number: None,
        title: format!("{} — {}", name(&p.label), p.title),
        numbering: Default::default(),
        blocks,
    }
}

/// A table exhibit's one block.
pub fn table_block(columns: &[String], rows: &[Vec<String>]) -> Block {
    let cell = |s: &String| vec![Run::plain(s.clone())];
    Block::Table(Table {
        header: columns.iter().map(cell).collect(),
        rows: rows.iter().map(|r| r.iter().map(cell).collect()).collect(),
        align: vec![Align::Left; columns.len()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_stay_inside_the_profile_folder() {
        let p = Path::new("profiles/city.toml");
        assert_eq!(
            file_path(p, "city.clauses/exhibits/a.md").unwrap(),
            Path::new("profiles/city.clauses/exhibits/a.md")
        );
        for bad in ["../secret.md", "/etc/passwd", "a/../../b.md", ""] {
            assert!(file_path(p, bad).is_err(), "{bad}");
        }
    }

    /// A link inside the profile's folder to a file outside it is not followed.
    #[cfg(unix)]
    #[test]
    fn links_out_of_the_profile_folder_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp.path().join("profiles");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(tmp.path().join("secret.md"), "SECRET").unwrap();
        std::fs::write(folder.join("a.md"), "Exhibit text.").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.md"), folder.join("leak.md")).unwrap();
        let profile = folder.join("city.toml");
        assert_eq!(
            read_file(&profile, &folder.join("a.md")).unwrap().body,
            "Exhibit text."
        );
        let e = read_file(&profile, &folder.join("leak.md")).unwrap_err();
        assert!(e.contains("outside the profile's folder"), "{e}");
        let e = read_file(&profile, &folder.join("gone.md")).unwrap_err();
        assert_eq!(e, "does not exist");
    }

    #[test]
    fn tables_take_text_and_whole_numbers() {
        let ex = RawExhibit {
            label: "B".into(),
            title: "Salary".into(),
            columns: Some(vec!["Year".into(), "Salary".into()]),
            rows: Some(vec![vec![
                toml::Value::Integer(2024),
                toml::Value::String("$52,000.00".into()),
            ]]),
            ..RawExhibit::default()
        };
        let Source::Table { rows, .. } = table(&ex).unwrap() else {
            panic!()
        };
        assert_eq!(rows, [["2024", "$52,000.00"]]);
        let mut bad = ex.clone();
        bad.rows = Some(vec![vec![toml::Value::Float(1.5), toml::Value::Integer(1)]]);
        assert!(table(&bad).unwrap_err().contains("whole number"));
        bad.rows = Some(vec![vec![toml::Value::Integer(1)]]);
        assert!(table(&bad).unwrap_err().contains("1 cells"));
    }
}
