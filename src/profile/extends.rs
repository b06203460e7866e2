//! `extends = "base.toml"` (SPEC §2): a profile inherits the tables of another, so the
//! terms a district shares across its contracts with several agencies are written once.
//! Tables merge key by key, arrays and values replace. Each file of the chain is read
//! and shape-checked on its own, and every file is kept, so an error found after
//! merging still points at the file and line where the value was written
//! ([`super::Locator`] looks in the profile first, then in each base in turn).
use crate::check::codes;

use crate::diag::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// Longest chain of bases: a profile, its base, that base's base... Real projects use
/// one level; the limit stops a runaway chain of generated files.
pub const MAX_DEPTH: usize = 8;

/// One file a profile inherits from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    pub path: PathBuf,
    pub source: String,
}

/// Whether `source` names a base (cheap: most profiles do not).
pub fn names_base(source: &str) -> bool {
    source.contains("extends") && extends_of(source).is_some()
}

/// The base file the profile at `path` names, if it names one.
pub fn base_path(path: &Path, source: &str) -> Option<PathBuf> {
    if !source.contains("extends") {
        return None;
    }
    extends_of(source).map(|(named, _)| beside(path, &named))
}

/// `named` relative to the folder of the profile at `path`.
fn beside(path: &Path, named: &str) -> PathBuf {
    path.parent().unwrap_or(Path::new("")).join(named)
}

/// The value of a top-level `extends` key and its span, when it is a string.
fn extends_of(source: &str) -> Option<(String, std::ops::Range<usize>)> {
    let table = DeTable::parse(source).ok()?;
    let (_, value) = table
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == "extends")?;
    match value.get_ref() {
        DeValue::String(s) => Some((s.to_string(), value.span())),
        _ => None,
    }
}

/// The merged TOML of a profile and its bases, and the bases nearest first. `None` when
/// the profile extends nothing.
/// `own` is the profile's own text parsed, which the caller has already checked.
pub fn resolve(
    path: &Path,
    source: &str,
    own: toml::Table,
) -> Result<Option<(toml::Table, Vec<Base>)>, Diagnostics> {
    let Some(first) = extends_of(source) else {
        return Ok(None);
    };
    let mut bases: Vec<Base> = Vec::new();
    // Each base's tables, parsed once, in the order of `bases`.
    let mut tables: Vec<toml::Table> = Vec::new();
    let mut seen = vec![canonical(path)];
    let mut next = Some(first);
    let (mut from_path, mut from_source) = (path.to_path_buf(), source.to_string());
    while let Some((named, span)) = next.take() {
        let at = |d: Diagnostic| d.at_span(&from_source, span.clone());
        if bases.len() == MAX_DEPTH {
            return Err(at(Diagnostic::error(
                codes::E0162,
                &from_path,
                format!(
                    "more than {MAX_DEPTH} profiles extend one another; the limit is {MAX_DEPTH}"
                ),
            ))
            .into());
        }
        let target = beside(&from_path, &named);
        if seen.contains(&canonical(&target)) {
            let chain: Vec<String> = std::iter::once(path)
                .chain(bases.iter().map(|b| b.path.as_path()))
                .chain(std::iter::once(target.as_path()))
                .map(crate::diag::display_path)
                .collect();
            return Err(at(Diagnostic::error(
                codes::E0162,
                &from_path,
                format!(
                    "profiles extend one another in a cycle: {}",
                    chain.join(" → ")
                ),
            ))
            .with_help(
                "a base profile must not extend, directly or not, the profile that extends it",
            )
            .into());
        }
        let text = match crate::source::read_text(&target, super::MAX_PROFILE_BYTES) {
            Ok(t) => t,
            Err(e) => {
                return Err(at(Diagnostic::error(
                    codes::E0161,
                    &from_path,
                    format!(
                        "cannot read the base profile {}: {e}",
                        crate::diag::display_path(&target)
                    ),
                ))
                .with_help(
                    "`extends` is a path relative to the folder of the profile that names it",
                )
                .into());
            }
        };
        let table = match toml::from_str::<toml::Table>(&text) {
            Ok(t) => t,
            Err(e) => return Err(super::toml_error(&target, &text, &e)),
        };
        let shape = super::shape::problems(&target, &text);
        if !shape.is_empty() {
            return Err(Diagnostics(shape));
        }
        seen.push(canonical(&target));
        next = extends_of(&text);
        tables.push(table);
        bases.push(Base {
            path: target.clone(),
            source: text.clone(),
        });
        (from_path, from_source) = (target, text);
    }
    // Root-most base first, the profile itself last: each file overrides those below.
    let mut merged = toml::Table::new();
    for mut table in tables.into_iter().rev().chain(std::iter::once(own)) {
        table.remove("extends");
        merge(&mut merged, table);
    }
    Ok(Some((merged, bases)))
}

/// Tables merge key by key; anything else (arrays included) replaces.
fn merge(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(old)), toml::Value::Table(new)) => merge(old, new),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_merge_and_arrays_replace() {
        let mut a: toml::Table =
            toml::from_str("[t]\nx = 1\ny = [1, 2]\n[u]\nz = \"a\"\n").unwrap();
        let b: toml::Table = toml::from_str("[t]\ny = [3]\nw = true\n").unwrap();
        merge(&mut a, b);
        let want: toml::Table =
            toml::from_str("[t]\nx = 1\ny = [3]\nw = true\n[u]\nz = \"a\"\n").unwrap();
        assert_eq!(a, want);
    }

    #[test]
    fn only_a_string_extends_names_a_base() {
        assert!(names_base("extends = \"b.toml\"\n"));
        assert!(!names_base("[vars]\nextends = \"b.toml\"\n"));
        assert!(!names_base("# extends nothing\n[agreement]\n"));
    }
}
