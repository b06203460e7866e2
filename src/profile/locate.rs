//! Finds where a key sits in a TOML source, so that errors found after
//! deserialization (dates out of order, shares that do not add up) still point at a
//! line and column.

use crate::diag::Diagnostic;
use std::path::Path;
use toml::de::{DeTable, DeValue};

pub struct Locator<'a> {
    path: &'a Path,
    source: &'a str,
    /// Profiles this one extends, nearest first: a key the profile does not set was
    /// written in one of them.
    bases: &'a [super::Base],
}

impl<'a> Locator<'a> {
    pub fn new(path: &'a Path, source: &'a str) -> Self {
        Locator {
            path,
            source,
            bases: &[],
        }
    }

    pub fn with_bases(mut self, bases: &'a [super::Base]) -> Self {
        self.bases = bases;
        self
    }

    /// Byte offset of the value at `keys` (array indices as decimal strings), or of the
    /// deepest ancestor that exists, in the profile's own text.
    pub fn offset(&self, keys: &[&str]) -> Option<usize> {
        offset_in(self.source, keys).map(|(o, _)| o)
    }

    /// The file, text and offset where the value at `keys` was written: the profile when
    /// it sets the key, else the nearest base that does, else the profile's closest
    /// ancestor of the key.
    fn find(&self, keys: &[&str]) -> (&'a Path, &'a str, Option<usize>) {
        let own = offset_in(self.source, keys);
        if own.is_some_and(|(_, exact)| exact) || self.bases.is_empty() {
            return (self.path, self.source, own.map(|(o, _)| o));
        }
        for b in self.bases {
            if let Some((o, true)) = offset_in(&b.source, keys) {
                return (&b.path, &b.source, Some(o));
            }
        }
        (self.path, self.source, own.map(|(o, _)| o))
    }

    pub fn error(
        &self,
        code: crate::check::codes::Code,
        keys: &[&str],
        message: impl Into<String>,
    ) -> Diagnostic {
        self.place(Diagnostic::error(code, self.path, message), keys)
    }

    pub fn warning(
        &self,
        code: crate::check::codes::Code,
        keys: &[&str],
        message: impl Into<String>,
    ) -> Diagnostic {
        self.place(Diagnostic::warning(code, self.path, message), keys)
    }

    fn place(&self, mut d: Diagnostic, keys: &[&str]) -> Diagnostic {
        let (path, source, offset) = self.find(keys);
        if path != self.path {
            d.file = path.to_path_buf();
        }
        match offset {
            Some(offset) => d.at_offset(source, offset),
            None => d,
        }
    }
}

/// The offset of the value at `keys` in `source`, or of its deepest ancestor there, and
/// whether the whole path was found.
fn offset_in(source: &str, keys: &[&str]) -> Option<(usize, bool)> {
    let root = DeTable::parse(source).ok()?;
    let mut best = None;
    let mut found = 0;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&toml::Spanned<DeValue<'_>>> = None;
    for key in keys {
        let next = if let Some(t) = table {
            t.iter()
                .find(|(k, _)| k.get_ref().as_ref() == *key)
                .map(|(k, v)| {
                    best = Some(k.span().start);
                    v
                })
        } else if let Some(DeValue::Array(items)) = value.map(|v| v.get_ref()) {
            key.parse::<usize>().ok().and_then(|i| items.get(i))
        } else {
            None
        };
        let Some(v) = next else { break };
        found += 1;
        if !matches!(v.get_ref(), DeValue::Table(_)) {
            best = Some(v.span().start);
        }
        value = Some(v);
        table = match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    Some((best?, found == keys.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_array_items() {
        let src = "[term]\nstart = 2022-01-01\nend = 2021-01-01\n\n[[schools]]\nname = \"A\"\n\n[[schools]]\nname = \"B\"\n";
        let loc = Locator::new(Path::new("p.toml"), src);
        let d = loc.error(crate::check::codes::E0120, &["term", "end"], "x");
        assert_eq!((d.line, d.column), (3, 7));
        let d = loc.error(crate::check::codes::E0120, &["schools", "1", "name"], "x");
        assert_eq!((d.line, d.column), (9, 8));
        let d = loc.error(crate::check::codes::E0120, &["term", "missing"], "x");
        assert_eq!(d.line, 1);
    }
}
