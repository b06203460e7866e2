//! Template variables checked against the profile schema: a typo such as
//! `term.strat` in a branch this profile never takes would otherwise wait for the
//! first city whose profile takes it.
use crate::check::codes;

use crate::diag::{Diagnostic, did_you_mean, line_col};
use crate::library::ClauseVersion;
use crate::profile::Profile;
use crate::template::syntax;
use serde_json::{Map, Value};
use std::path::Path;
use std::sync::OnceLock;

pub const SCHEMA_PROFILE: &str = include_str!("schema_profile.toml");
/// Keys the schema profile cannot set beside others it sets (see the file).
pub const SCHEMA_ALTERNATIVES: &str = include_str!("schema_alternatives.toml");

/// The schema profile as a valid profile: without the lines marked `# shape only`,
/// which set keys of other pricing models that one profile may not combine (the shape
/// of a profile knows them; the template context has every key whatever the model).
pub fn sample_source() -> String {
    SCHEMA_PROFILE
        .lines()
        .filter(|l| !l.ends_with("# shape only"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The shape of the template context, from a profile that sets every key.
fn schema() -> &'static Map<String, Value> {
    static SCHEMA: OnceLock<Map<String, Value>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut ctx = Profile::parse(Path::new("schema_profile.toml"), sample_source())
            .map(|p| crate::template::context_json(&p))
            .unwrap_or_default();
        ctx.insert(
            "clause".into(),
            serde_json::json!({"id": "", "version": "", "title": ""}),
        );
        ctx
    })
}

/// Unknown variable paths used by a clause template, read with the one template
/// scanner: text, comments and raw blocks are not read, loop variables are checked
/// against the elements of what they iterate.
pub fn check_clause(clause: &ClauseVersion) -> Vec<Diagnostic> {
    let schema = schema();
    let mut diags = Vec::new();
    for u in syntax::scan(&clause.body).uses() {
        let Some(root) = &u.root else { continue };
        // What the written root stands for, walked silently: a loop over something
        // unknown is reported where the loop names it.
        let mut node: Option<&Value> = None;
        for (i, part) in root.split('.').enumerate() {
            let (field, element) = match part.strip_suffix("[]") {
                Some(f) => (f, true),
                None => (part, false),
            };
            node = match (i, node) {
                (0, _) if field == "vars" => None,
                (0, _) => schema.get(field),
                (_, Some(Value::Object(map))) => map.get(field),
                _ => None,
            };
            if element {
                node = match node {
                    Some(Value::Array(items)) => items.first(),
                    _ => None,
                };
            }
            if node.is_none() {
                break;
            }
        }
        let Some(mut node) = node else { continue };
        let mut parts = u.written.split('.');
        let mut walked = parts.next().unwrap_or_default().to_string();
        for part in parts {
            let Value::Object(map) = node else { break };
            match map.get(part) {
                Some(next) => {
                    node = next;
                    walked.push('.');
                    walked.push_str(part);
                }
                None => {
                    let (line, col) = line_col(&clause.body, u.span.start);
                    let mut d = Diagnostic::error(
                        codes::E0212,
                        &clause.path,
                        format!("`{}`: `{walked}` has no field `{part}`", u.written),
                    )
                    .at(clause.body_line + line - 1, col);
                    if let Some(s) = did_you_mean(part, map.keys().map(String::as_str)) {
                        d = d.with_help(format!("did you mean `{walked}.{s}`?"));
                    }
                    diags.push(d);
                    break;
                }
            }
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(body: &str) -> ClauseVersion {
        let mut c = ClauseVersion::sample("x", "1.0.0", body);
        c.front.title = "X".into();
        c.body_line = 5;
        c
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

    /// Issue #18: Tera prints a raw block as text, so nothing in it is a variable.
    #[test]
    fn raw_blocks_comments_and_strings_are_not_read() {
        let c = clause(
            "{% raw %}{{ term.strat }}{% endraw %}{# {{ term.strat }} #}{{ \"}} {{ term.strat\" }}",
        );
        assert!(check_clause(&c).is_empty(), "{:?}", check_clause(&c));
    }

    #[test]
    fn loop_variables_are_checked_against_elements() {
        let c = clause(
            "{% for p in funding.schedule %}{{ p.amount | money }}{{ p.amont }}{% endfor %}\n{% for s in schools %}{{ s.name }}{% endfor %}{{ s.nmae }}",
        );
        let d = check_clause(&c);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "`p.amont`: `p` has no field `amont`");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `p.amount`?"));
        assert_eq!((d[0].line, d[0].column), (5, 57));
    }

    #[test]
    fn whitespace_control_and_set() {
        let c = clause("{%- if term.strat -%}x{%- endif %}{% set t = term %}{{ t.ned }}");
        let d = check_clause(&c);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[1].message, "`t.ned`: `t` has no field `ned`");
    }
}
