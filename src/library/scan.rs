//! Walks a library folder and reads every clause, outline and rules file.
use crate::check::codes;

use super::{ClauseVersion, Layer, Library, MAX_CLAUSE_BYTES, Outline, OutlineEntry, front};
use crate::diag::Diagnostic;
use crate::ids::ClauseId;
use crate::profile::toml_error;
use serde::Deserialize;
use std::path::Path;
use walkdir::WalkDir;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutlineFile {
    article: Vec<OutlineEntry>,
}

/// Reads one layer of the stack. The outlines are checked once the stack is whole
/// ([`check_outlines`]): an outline may name a clause of a layer below.
pub fn load(root: &Path, layer: &Layer) -> (Library, Vec<Diagnostic>) {
    let mut lib = Library {
        root: root.to_path_buf(),
        ..Library::default()
    };
    let mut diags = Vec::new();
    if !root.is_dir() {
        diags.push(Diagnostic::error(
            codes::E0200,
            root,
            "clause library folder not found (use --library DIR)",
        ));
        return (lib, diags);
    }
    // Symbolic links are followed inside the library only: a link out of it (to
    // ~/.aws/credentials, say) would otherwise be parsed, and its lines quoted in errors.
    let inside = root.canonicalize().ok();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .max_depth(3);
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let msg = match (e.loop_ancestor(), e.io_error()) {
                    (Some(_), _) => "symbolic link loop in the library; not followed".to_string(),
                    (None, Some(io)) => format!("cannot read: {io}"),
                    (None, None) => format!("cannot read: {e}"),
                };
                diags.push(Diagnostic::error(codes::E0209, path, msg));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(path);
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let (dir, variant, file) = match parts.as_slice() {
            [dir, file] => (dir, None, file),
            [dir, variant, file] => (dir, Some(variant), file),
            _ => continue,
        };
        if file.starts_with('.')
            || dir.starts_with('.')
            || variant.is_some_and(|v| v.starts_with('.'))
        {
            continue;
        }
        // An overlay's exhibit files are read when an agreement names them.
        if matches!(layer, Layer::Overlay(_)) && dir == "exhibits" {
            continue;
        }
        if variant.is_some() && (dir == "outlines" || dir == "rules") {
            continue;
        }
        if let Some(inside) = &inside
            && !path.canonicalize().is_ok_and(|p| p.starts_with(inside))
        {
            diags.push(Diagnostic::error(
                codes::E0209,
                path,
                "symbolic link points outside the library; not followed",
            ));
            continue;
        }
        let place = Place {
            layer,
            variant: variant.map(String::as_str),
        };
        match dir.as_str() {
            "outlines" => {
                if let Some(name) = file.strip_suffix(".toml") {
                    read_outline(&mut lib, &mut diags, path, name);
                }
            }
            "rules" => {
                if let Some(state) = file.strip_suffix(".toml") {
                    read_rules(&mut lib, &mut diags, path, state);
                }
            }
            id => {
                if let Some(version) = file.strip_suffix(".md") {
                    read_clause(&mut lib, &mut diags, path, (id, version), &place);
                }
            }
        }
    }
    let by_version = |a: &ClauseVersion, b: &ClauseVersion| a.version.cmp(&b.version);
    for versions in lib.clauses.values_mut() {
        versions.sort_by(by_version);
    }
    for versions in lib.variants.values_mut().flat_map(|v| v.values_mut()) {
        versions.sort_by(by_version);
    }
    (lib, diags)
}

/// Where a clause file sits: its layer, and its variant folder if any.
struct Place<'a> {
    layer: &'a Layer,
    variant: Option<&'a str>,
}

fn read_text(path: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
    use crate::source::SourceError;
    match crate::source::read_text(path, MAX_CLAUSE_BYTES) {
        Ok(s) => Some(s),
        Err(SourceError::TooLarge { .. }) => {
            diags.push(Diagnostic::error(
                codes::E0208,
                path,
                format!("file is larger than the limit of 1 MiB ({MAX_CLAUSE_BYTES} bytes)"),
            ));
            None
        }
        Err(SourceError::NotUtf8 { offset, lossy }) => {
            diags.push(
                Diagnostic::error(codes::E0003, path, "file is not valid UTF-8")
                    .at_offset(&lossy, offset),
            );
            None
        }
        Err(e) => {
            diags.push(Diagnostic::error(
                codes::E0209,
                path,
                format!("cannot read: {e}"),
            ));
            None
        }
    }
}

fn read_clause(
    lib: &mut Library,
    diags: &mut Vec<Diagnostic>,
    path: &Path,
    (id, version): (&str, &str),
    place: &Place<'_>,
) {
    if let Some(v) = place.variant
        && ClauseId::parse(v).is_none()
    {
        diags.push(Diagnostic::error(
            codes::E0204,
            path,
            format!(
                "invalid variant name `{v}` (folder name): use lower-case letters, digits and '-'"
            ),
        ));
        return;
    }
    let Some(clause_id) = ClauseId::parse(id) else {
        diags.push(Diagnostic::error(
            codes::E0204,
            path,
            format!(
                "invalid clause id `{id}` (folder name): use lower-case letters, digits and '-'"
            ),
        ));
        return;
    };
    let version = match semver::Version::parse(version) {
        Ok(v) => v,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    codes::E0205,
                    path,
                    format!("file name `{version}.md` is not a semantic version: {e}"),
                )
                .with_help("name clause files like `1.0.0.md`"),
            );
            return;
        }
    };
    let Some(source) = read_text(path, diags) else {
        return;
    };
    let (front, body, body_line) = match front::split(path, &source) {
        Ok(parts) => parts,
        Err(d) => {
            diags.push(d);
            return;
        }
    };
    if let Some(front_id) = front.id.as_deref().filter(|f| *f != id) {
        diags.push(front_line(
            Diagnostic::error(
                codes::E0204,
                path,
                format!("front matter says id = \"{front_id}\" but the file is in folder `{id}`"),
            ),
            &source,
            "id",
        ));
        return;
    }
    if let Some(front_version) = &front.version {
        let agrees = semver::Version::parse(front_version).is_ok_and(|v| v == version);
        if !agrees {
            diags.push(front_line(
                Diagnostic::error(
                    codes::E0205,
                    path,
                    format!(
                        "front matter says version = \"{front_version}\" but the file name says {version}"
                    ),
                ),
                &source,
                "version",
            ));
            return;
        }
    }
    for state in &front.states {
        if state != "*" && !(state.len() == 2 && state.bytes().all(|b| b.is_ascii_uppercase())) {
            diags.push(Diagnostic::error(
                codes::E0202,
                path,
                format!("`states` entry \"{state}\" is neither \"*\" nor a two-letter state code"),
            ));
        }
    }
    let versions = match place.variant {
        None => lib.clauses.entry(id.to_string()).or_default(),
        Some(v) => lib
            .variants
            .entry(id.to_string())
            .or_default()
            .entry(v.to_string())
            .or_default(),
    };
    let shown = match place.variant {
        Some(v) => format!("{id}/{v}"),
        None => id.to_string(),
    };
    let same = |c: &&ClauseVersion| c.version.cmp_precedence(&version).is_eq();
    if let Some(other) = versions.iter().find(same) {
        diags.push(Diagnostic::error(
            codes::E0206,
            path,
            format!(
                "clause `{shown}` version {version} is defined twice (also {})",
                crate::diag::display_path(&other.path)
            ),
        ));
        return;
    }
    versions.push(ClauseVersion {
        id: clause_id,
        version,
        path: path.to_path_buf(),
        body: body.to_string(),
        body_line,
        sha256: crate::hash::sha256_hex(source.as_bytes()),
        front,
        layer: place.layer.clone(),
        variant: place.variant.map(str::to_string),
    });
}

fn read_outline(lib: &mut Library, diags: &mut Vec<Diagnostic>, path: &Path, name: &str) {
    let Some(source) = read_text(path, diags) else {
        return;
    };
    match toml::from_str::<OutlineFile>(&source) {
        Ok(file) => {
            lib.outlines.insert(
                name.to_string(),
                Outline {
                    name: name.to_string(),
                    path: path.to_path_buf(),
                    source,
                    articles: file.article,
                },
            );
        }
        Err(e) => diags.extend(toml_error(path, &source, &e).0),
    }
}

fn read_rules(lib: &mut Library, diags: &mut Vec<Diagnostic>, path: &Path, state: &str) {
    let Some(source) = read_text(path, diags) else {
        return;
    };
    let (rules, found) = crate::check::rule_file::parse(path, state, source);
    diags.extend(found);
    if let Some(rules) = rules {
        lib.rules.insert(state.to_string(), rules);
    }
}

/// Outline entries must name clauses that exist, once each.
pub fn check_outlines(lib: &Library, diags: &mut Vec<Diagnostic>) {
    for outline in lib.outlines.values() {
        let locate = |id: &str, nth: usize| {
            let needle = format!("\"{id}\"");
            outline
                .source
                .match_indices(&needle)
                .nth(nth)
                .map(|(o, _)| o + 1)
        };
        // How often each clause was listed before: one pass, not one per entry.
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for entry in &outline.articles {
            let id = entry.clause.as_str();
            let earlier = {
                let n = seen.entry(id).or_insert(0);
                *n += 1;
                *n - 1
            };
            let place = |d: Diagnostic| match locate(id, earlier) {
                Some(o) => d.at_offset(&outline.source, o),
                None => d,
            };
            if earlier > 0 {
                diags.push(place(Diagnostic::error(
                    codes::E0207,
                    &outline.path,
                    format!(
                        "outline \"{}\" lists clause `{id}` more than once",
                        outline.name
                    ),
                )));
            } else if let Some(v) = entry
                .variant
                .as_deref()
                .filter(|v| !lib.variants.get(id).is_some_and(|vs| vs.contains_key(*v)))
            {
                diags.push(place(Diagnostic::error(
                    codes::E0152,
                    &outline.path,
                    format!(
                        "outline \"{}\" names variant `{v}` of clause `{id}`, which the library does not have",
                        outline.name
                    ),
                )));
            } else if !lib.has_id(id) {
                let hint = crate::diag::did_you_mean(id, lib.clauses.keys().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"));
                let mut d = place(Diagnostic::error(
                    codes::E0152,
                    &outline.path,
                    format!(
                        "outline \"{}\" names clause `{id}`, which the library does not have",
                        outline.name
                    ),
                ));
                if let Some(h) = hint {
                    d = d.with_help(h);
                }
                diags.push(d);
            }
        }
    }
}

/// Points at the front-matter line that sets `key`.
fn front_line(d: Diagnostic, source: &str, key: &str) -> Diagnostic {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
            return d.at_offset(source, offset + (line.len() - t.len()));
        }
        offset += line.len();
    }
    d.at(1, 1)
}
