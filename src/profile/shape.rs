//! Every unknown key and every value of the wrong kind in a profile, in one run. serde
//! stops at the first problem, so when it refuses a profile the TOML is walked against
//! the shape of the schema profile (a profile that sets every key), and each problem is
//! reported at its key or value with what was expected in words ("a number of dollars,
//! e.g. 468000.00"), not in Rust types ("expected f64").
use crate::check::codes;

use crate::diag::{Diagnostic, did_you_mean};
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Tables whose keys are the user's own (clause ids, template variables): any key goes.
const FREE_TABLES: &[&str] = &["vars", "clauses.versions", "clauses.variants"];
/// Keys of `[clauses]` (the schema profile does not set them: they name clauses).
const CLAUSES_KEYS: &[&str] = &[
    "versions", "include", "exclude", "variants", "insert", "local",
];

/// The problems found, in source order; empty when the shape is right (serde's own
/// error then stands).
pub fn problems(path: &Path, source: &str) -> Vec<Diagnostic> {
    let (Ok(schema), Ok(alternatives), Ok(profile)) = (
        DeTable::parse(crate::check::schema::SCHEMA_PROFILE),
        DeTable::parse(crate::check::schema::SCHEMA_ALTERNATIVES),
        DeTable::parse(source),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut walk = Walk {
        path,
        source,
        out: &mut out,
        alternatives: alternatives.get_ref(),
    };
    walk.table(schema.get_ref(), profile.get_ref(), "");
    out.sort_by_key(|d| (d.line, d.column));
    out
}

struct Walk<'a> {
    path: &'a Path,
    source: &'a str,
    out: &'a mut Vec<Diagnostic>,
    /// Keys the schema profile cannot set beside others (`signatory` beside
    /// `signatories`), by the same paths.
    alternatives: &'a DeTable<'a>,
}

/// The table at a dotted path of `root` (the first element of an array of tables).
fn table_at<'t, 'a>(root: &'t DeTable<'a>, at: &str) -> Option<&'t DeTable<'a>> {
    let mut table = root;
    for part in at.split('.').filter(|p| !p.is_empty()) {
        let v = table.get(part)?;
        table = match v.get_ref() {
            DeValue::Table(t) => t,
            DeValue::Array(items) => match items.first()?.get_ref() {
                DeValue::Table(t) => t,
                _ => return None,
            },
            _ => return None,
        };
    }
    Some(table)
}

impl Walk<'_> {
    fn table(&mut self, schema: &DeTable<'_>, table: &DeTable<'_>, at: &str) {
        if FREE_TABLES.contains(&at) {
            return;
        }
        let alternatives = table_at(self.alternatives, at);
        let mut known: Vec<&str> = schema.keys().map(|k| k.get_ref().as_ref()).collect();
        known.extend(
            alternatives
                .iter()
                .flat_map(|t| t.keys().map(|k| k.get_ref().as_ref())),
        );
        if at == "clauses" {
            known = CLAUSES_KEYS.to_vec();
        } else if at.is_empty() {
            known.push("clauses");
            known.push("vars");
            known.push("extends");
            known.push("exhibits");
        }
        for (key, value) in table {
            let name: &str = key.get_ref().as_ref();
            let here = if at.is_empty() {
                name.to_string()
            } else {
                format!("{at}.{name}")
            };
            if !known.contains(&name) {
                let expected = known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut d = Diagnostic::error(
                    codes::E0103,
                    self.path,
                    format!("unknown field `{name}`, expected one of {expected}"),
                )
                .at_span(self.source, key.span());
                if let Some(s) = did_you_mean(name, known.iter().copied()) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.out.push(d);
                continue;
            }
            match schema
                .get(name)
                .or_else(|| alternatives.and_then(|t| t.get(name)))
            {
                Some(expected) => self.value(expected, value, &here),
                // `clauses` and `vars`, which the schema profile leaves out.
                None if here == "clauses" => {
                    if let DeValue::Table(t) = value.get_ref() {
                        self.table(&DeTable::new(), t, "clauses");
                    }
                }
                None => {}
            }
        }
    }

    fn value(&mut self, schema: &Spanned<DeValue<'_>>, value: &Spanned<DeValue<'_>>, at: &str) {
        match (schema.get_ref(), value.get_ref()) {
            (DeValue::Table(s), DeValue::Table(t)) => self.table(s, t, at),
            (DeValue::Array(s), DeValue::Array(items)) => {
                if let Some(first) = s.first() {
                    for item in items {
                        self.value(first, item, at);
                    }
                }
            }
            (s, v) if kind(s) == kind(v) => {}
            (s, v) => {
                let found = match v {
                    DeValue::String(text) => format!("the text \"{}\"", text.escape_default()),
                    DeValue::Integer(_) | DeValue::Float(_) => "a number".to_string(),
                    DeValue::Boolean(b) => format!("`{b}`"),
                    DeValue::Datetime(d) => format!("the date {d}"),
                    DeValue::Array(_) => "a list".to_string(),
                    DeValue::Table(_) => "a table".to_string(),
                };
                self.out.push(
                    Diagnostic::error(
                        codes::E0102,
                        self.path,
                        format!("`{at}`: expected {}, found {found}", expected(s, at)),
                    )
                    .at_span(self.source, value.span()),
                );
            }
        }
    }
}

#[derive(PartialEq)]
enum Kind {
    Text,
    Number,
    Bool,
    Date,
    List,
    Table,
}

fn kind(v: &DeValue<'_>) -> Kind {
    match v {
        DeValue::String(_) => Kind::Text,
        DeValue::Integer(_) | DeValue::Float(_) => Kind::Number,
        DeValue::Boolean(_) => Kind::Bool,
        DeValue::Datetime(_) => Kind::Date,
        DeValue::Array(_) => Kind::List,
        DeValue::Table(_) => Kind::Table,
    }
}

/// What a key holds, in words, with an example of the form it is written in.
fn expected(schema: &DeValue<'_>, at: &str) -> String {
    let key = at.rsplit('.').next().unwrap_or(at);
    match kind(schema) {
        Kind::Number if key.ends_with("percent") => "a percent, e.g. 50 or 62.5".into(),
        Kind::Number
            if key.ends_with("cost")
                || key.ends_with("limit")
                || key.ends_with("premium")
                || key.ends_with("rate") =>
        {
            "a number of dollars, e.g. 468000.00".into()
        }
        Kind::Number => "a whole number, e.g. 2".into(),
        Kind::Text => "text in quotes, e.g. \"…\"".into(),
        Kind::Bool => "true or false".into(),
        Kind::Date => "a date like 2022-08-09".into(),
        Kind::List => "a list in brackets, e.g. [\"…\"]".into(),
        Kind::Table => "a table".into(),
    }
}

/// Every key a profile may set, as dotted paths (`funding.model`, `schools.funded_by`,
/// `term.extensions.count`; an array of tables is its table's path). The reference
/// (`docs/profile.md`) is tested against this list, so a key the program accepts is
/// never missing from it.
pub fn accepted_keys() -> Vec<String> {
    fn walk(table: &DeTable<'_>, at: &str, out: &mut Vec<String>) {
        for (key, value) in table {
            let path = if at.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{at}.{}", key.get_ref())
            };
            if FREE_TABLES.contains(&path.as_str()) {
                out.push(path);
                continue;
            }
            out.push(path.clone());
            match value.get_ref() {
                DeValue::Table(t) => walk(t, &path, out),
                DeValue::Array(items) => {
                    if let Some(DeValue::Table(t)) = items.first().map(|v| v.get_ref()) {
                        walk(t, &path, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for source in [
        crate::check::schema::SCHEMA_PROFILE,
        crate::check::schema::SCHEMA_ALTERNATIVES,
    ] {
        if let Ok(t) = DeTable::parse(source) {
            walk(t.get_ref(), "", &mut out);
        }
    }
    out.extend(["extends", "vars", "clauses", "exhibits"].map(String::from));
    out.extend(CLAUSES_KEYS.iter().map(|k| format!("clauses.{k}")));
    out.extend(
        fields_of::<super::RawInsert>()
            .into_iter()
            .map(|k| format!("clauses.insert.{k}")),
    );
    out.extend(
        fields_of::<crate::exhibits::RawExhibit>()
            .into_iter()
            .map(|k| format!("exhibits.{k}")),
    );
    out.sort();
    out.dedup();
    out
}

/// The fields of a table type, as serde names them when it refuses an unknown one
/// ("unknown field `x`, expected one of `a`, `b`"): the list comes from the type itself.
fn fields_of<T: serde::de::DeserializeOwned>() -> Vec<String> {
    let Err(e) = toml::from_str::<T>("mou-no-such-key = 0") else {
        return Vec::new();
    };
    let message = e.message().to_string();
    let Some((_, expected)) = message.split_once("expected") else {
        return Vec::new();
    };
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = crate::check::schema::SCHEMA_PROFILE;

    fn run(src: &str) -> Vec<Diagnostic> {
        problems(Path::new("p.toml"), src)
    }

    #[test]
    fn the_schema_profile_has_the_right_shape() {
        assert!(run(BASE).is_empty(), "{:?}", run(BASE));
        let with_clauses = format!(
            "{BASE}\n[clauses]\nversions = {{ insurance = \"^2\" }}\ninclude = [\"x\"]\n\n[vars]\nanything = 1\n"
        );
        assert!(run(&with_clauses).is_empty(), "{:?}", run(&with_clauses));
    }

    #[test]
    fn every_unknown_key_and_wrong_kind_in_one_run() {
        let src = BASE
            .replace("months = 10", "monhts = 10")
            .replace("officers = 1", "officers = \"two\"")
            .replace("annual_cost = 100000", "annual_cost = \"468,000\"")
            .replace("insurer = \"Insurer\"", "insurerr = \"Insurer\"")
            .replace("start = 2024-08-01", "start = \"August 1\"");
        let found = run(&src);
        let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["E0102", "E0102", "E0102", "E0103", "E0103"],
            "{found:#?}"
        );
        let money = found
            .iter()
            .find(|d| d.message.contains("annual_cost"))
            .unwrap();
        assert!(
            money
                .message
                .contains("a number of dollars, e.g. 468000.00"),
            "{}",
            money.message
        );
        // The whole value is underlined, not part of it.
        assert_eq!(money.snippet.as_ref().unwrap().width, "\"468,000\"".len());
        let typo = found.iter().find(|d| d.message.contains("monhts")).unwrap();
        assert_eq!(typo.help.as_deref(), Some("did you mean `months`?"));
    }

    #[test]
    fn clauses_keys_are_checked_but_clause_ids_are_free() {
        let src = format!("{BASE}\n[clauses]\nversion = {{ insurance = \"^2\" }}\n");
        let found = run(&src);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].help.as_deref(), Some("did you mean `versions`?"));
    }
}
