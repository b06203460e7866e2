//! Template variables checked against the profile schema: a typo such as
//! `term.strat` in a branch this profile never takes would otherwise wait for the
//! first city whose profile takes it.

use crate::diag::{Diagnostic, did_you_mean, line_col};
use crate::library::ClauseVersion;
use crate::profile::Profile;
use serde_json::{Map, Value};
use std::path::Path;
use std::sync::OnceLock;

pub const SCHEMA_PROFILE: &str = include_str!("schema_profile.toml");

/// The shape of the template context, from a profile that sets every key.
fn schema() -> &'static Map<String, Value> {
    static SCHEMA: OnceLock<Map<String, Value>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut ctx = Profile::parse(Path::new("schema_profile.toml"), SCHEMA_PROFILE.to_string())
            .map(|p| crate::template::context_json(&p))
            .unwrap_or_default();
        ctx.insert(
            "clause".into(),
            serde_json::json!({"id": "", "version": "", "title": ""}),
        );
        ctx
    })
}

/// Unknown variable paths used by a clause template.
pub fn check_clause(clause: &ClauseVersion) -> Vec<Diagnostic> {
    let schema = schema();
    let mut diags = Vec::new();
    let shadowed = loop_names(&clause.body);
    for (offset, path) in variable_paths(&clause.body) {
        let mut parts = path.split('.');
        let Some(root) = parts.next() else { continue };
        if root == "vars" || shadowed.iter().any(|s| s == root) {
            continue;
        }
        let Some(mut node) = schema.get(root) else {
            continue;
        };
        let mut walked = root.to_string();
        for part in parts {
            match node {
                Value::Object(map) => match map.get(part) {
                    Some(next) => {
                        node = next;
                        walked.push('.');
                        walked.push_str(part);
                    }
                    None => {
                        let (line, col) = line_col(&clause.body, offset);
                        let mut d = Diagnostic::error(
                            "E0212",
                            &clause.path,
                            format!("`{path}`: `{walked}` has no field `{part}`"),
                        )
                        .at(clause.body_line + line - 1, col);
                        if let Some(s) = did_you_mean(part, map.keys().map(String::as_str)) {
                            d = d.with_help(format!("did you mean `{walked}.{s}`?"));
                        }
                        diags.push(d);
                        break;
                    }
                },
                _ => break,
            }
        }
    }
    diags
}

/// Names bound by `{% for x in ... %}` / `{% set x = ... %}`: they may shadow roots.
fn loop_names(body: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (_, tag) in tags(body) {
        let mut words = tag.split_whitespace();
        match words.next() {
            Some("for") => {
                for w in words.by_ref() {
                    if w == "in" {
                        break;
                    }
                    names.push(w.trim_end_matches(',').to_string());
                }
            }
            Some("set") | Some("set_global") => {
                if let Some(w) = words.next() {
                    names.push(w.trim_end_matches('=').to_string());
                }
            }
            _ => {}
        }
    }
    names
}

/// The inside of every `{{ }}` and `{% %}` tag, with its byte offset in the body.
fn tags(body: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut base = 0;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                base += open + 1;
                rest = after;
                continue;
            }
        };
        let inner = &after[1..];
        let Some(end) = inner.find(close) else { break };
        out.push((base + open + 2, &inner[..end]));
        let consumed = open + 2 + end + 2;
        base += consumed;
        rest = &rest[consumed..];
    }
    out
}

/// Dotted identifier chains (`term.start`) inside template tags, string literals
/// excluded.
fn variable_paths(body: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (offset, tag) in tags(body) {
        let bytes = tag.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'"' || c == b'\'' || c == b'`' {
                i += 1;
                while i < bytes.len() && bytes[i] != c {
                    i += 1;
                }
                i += 1;
                continue;
            }
            let starts_ident = (c.is_ascii_alphabetic() || c == b'_')
                && (i == 0
                    || !(bytes[i - 1].is_ascii_alphanumeric()
                        || bytes[i - 1] == b'_'
                        || bytes[i - 1] == b'.'));
            if !starts_ident {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.')
            {
                i += 1;
            }
            let chain = tag[start..i].trim_end_matches('.');
            if chain.contains('.') {
                out.push((offset + start, chain.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::FrontMatter;

    fn clause(body: &str) -> ClauseVersion {
        ClauseVersion {
            id: "x".into(),
            version: semver::Version::new(1, 0, 0),
            path: "clauses/x/1.0.0.md".into(),
            front: FrontMatter {
                title: "X".into(),
                summary: String::new(),
                tags: vec![],
                states: vec!["*".into()],
                changes: String::new(),
                id: None,
                version: None,
            },
            body: body.into(),
            body_line: 5,
            sha256: String::new(),
        }
    }

    #[test]
    fn schema_profile_is_complete() {
        let s = schema();
        assert!(s["insurance"]["insurer"].is_string());
        assert!(
            s["funding"]["schedule"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
        );
    }

    #[test]
    fn finds_unknown_fields() {
        let c = clause("Begins {{ term.start | long_date }}.\n{% if term.strat %}x{% endif %}\n");
        let d = check_clause(&c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "E0212");
        assert_eq!(d[0].line, 6);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `term.start`?"));
    }

    #[test]
    fn ignores_loops_strings_and_vars() {
        let c = clause(
            "{% for term in schools %}{{ term.name }}{% endfor %}{{ vars.any.thing }}{{ \"a.b\" }}{{ 1.5 }}",
        );
        assert!(check_clause(&c).is_empty());
    }
}
