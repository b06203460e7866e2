//! Reading one rules file, `clauses/rules/<STATE>.toml` (SPEC §4). Serde reads the
//! tables (an unknown key or a mistyped value is its located error); each rule is then
//! checked as a whole, because what makes a rule usable (a citation, one target, a
//! window that is not empty) spans several keys. A rule with a problem is reported at
//! its table and left out, so the others still apply.

use crate::check::codes;
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::ids::StateCode;
use crate::library::{Confidence, ProfileCheck, Rule, Rules};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    require: Vec<Spanned<RawRule>>,
    #[serde(default)]
    forbid: Vec<Spanned<RawRule>>,
}

/// A rule as written: every key optional, so a missing one gets its own message.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    tag: Option<String>,
    profile: Option<ProfileCheck>,
    cite: Option<String>,
    message: Option<String>,
    source: Option<String>,
    confidence: Option<Confidence>,
    since: Option<Date>,
    until: Option<Date>,
}

/// Which list a rule is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Require,
    Forbid,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Require => "[[require]]",
            Kind::Forbid => "[[forbid]]",
        }
    }
}

/// Parses and checks the rules of `state` from `source`; `None` when the file is not
/// TOML of the rules format at all. Every problem found is returned.
pub fn parse(path: &Path, state: &str, source: String) -> (Option<Rules>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if StateCode::parse(state).is_none() {
        diags.push(
            Diagnostic::error(
                codes::E0609,
                path,
                format!(
                    "rules file `{state}.toml` is not named for a state: a profile's state never selects it"
                ),
            )
            .with_help("name rules files by the two-letter state code in capitals, e.g. `FL.toml`"),
        );
        return (None, diags);
    }
    let file = match toml::from_str::<RulesFile>(&source) {
        Ok(f) => f,
        Err(e) => {
            diags.extend(crate::profile::toml_error(path, &source, &e).0);
            return (None, diags);
        }
    };
    let mut checked = |raw: Vec<Spanned<RawRule>>, kind: Kind| -> Vec<Rule> {
        raw.into_iter()
            .enumerate()
            .filter_map(|(n, spanned)| {
                let offset = spanned.span().start;
                match rule(spanned.into_inner(), kind, n + 1, offset) {
                    Ok(r) => Some(r),
                    Err((code, message, help)) => {
                        diags.push(
                            Diagnostic::error(code, path, message)
                                .at_offset(&source, offset)
                                .with_help(help),
                        );
                        None
                    }
                }
            })
            .collect()
    };
    let require = checked(file.require, Kind::Require);
    let mut forbid = checked(file.forbid, Kind::Forbid);
    // A tag both required and forbidden: the forbid is reported and left out, so the
    // agreement is not also told that its clause is barred.
    forbid.retain(|f| {
        let tag = f.tag.as_deref().unwrap_or_default();
        let Some(r) = require.iter().find(|r| r.tag.as_deref() == Some(tag)) else {
            return true;
        };
        let (line, _) = crate::diag::line_col(&source, r.offset);
        diags.push(
            Diagnostic::error(
                codes::E0605,
                path,
                format!(
                    "tag `{tag}` is both forbidden and required in {state} (the [[require]] on line {line}): no agreement could meet both"
                ),
            )
            .at_offset(&source, f.offset)
            .with_help("keep the rule the law supports and delete the other"),
        );
        false
    });
    let rules = Rules {
        state: state.to_string(),
        path: path.to_path_buf(),
        source,
        require,
        forbid,
    };
    (Some(rules), diags)
}

type Problem = (codes::Code, String, String);

/// One rule checked as a whole: the `n`th of its list.
fn rule(raw: RawRule, kind: Kind, n: usize, offset: usize) -> Result<Rule, Problem> {
    let which = format!("{} rule {n}", kind.table());
    let text = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let (tag, cite, message) = (text(raw.tag), text(raw.cite), text(raw.message));
    let missing: Vec<&str> = [
        ("cite", cite.is_none()),
        ("message", message.is_none()),
        ("confidence", raw.confidence.is_none()),
    ]
    .into_iter()
    .filter_map(|(k, absent)| absent.then_some(k))
    .collect();
    if !missing.is_empty() {
        let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
        return Err((
            codes::E0603,
            format!("{which} has no {}", keys.join(", no ")),
            "every rule cites its law (`cite = \"Fla. Stat. § 1006.12(1)\"`), says what the agreement must do (`message`) and what it rests on (`confidence = \"statute\"` or \"secondary\")".into(),
        ));
    }
    match (kind, &tag, raw.profile) {
        (Kind::Require, Some(_), None) | (Kind::Forbid, Some(_), None) => {}
        (Kind::Require, None, Some(p)) if !p.is_condition() => {}
        (Kind::Forbid, None, Some(p)) if p.is_condition() => {}
        (Kind::Require, None, Some(_)) => {
            return Err((
                codes::E0604,
                format!("{which} requires a `profile` condition that only a [[forbid]] can bar"),
                "`cross-indemnity` and `collective-bargaining` go in a [[forbid]] rule".into(),
            ));
        }
        (Kind::Require, Some(_), Some(_)) => {
            return Err((
                codes::E0604,
                format!("{which} has both `tag` and `profile`; a rule checks one thing"),
                "split it into two [[require]] rules".into(),
            ));
        }
        (Kind::Require, None, None) => {
            return Err((
                codes::E0604,
                format!("{which} has neither `tag` nor `profile`: it requires nothing"),
                "add `tag = \"…\"` (a clause tag) or `profile = \"every-school-has-officer\"`"
                    .into(),
            ));
        }
        (Kind::Forbid, _, _) => {
            return Err((
                codes::E0604,
                format!(
                    "{which} must name one clause `tag` or one `profile` condition it bars"
                ),
                "a [[forbid]] rule bars a clause tag (`tag = \"…\"`) or a profile condition (`profile = \"cross-indemnity\"` or \"collective-bargaining\")".into(),
            ));
        }
    }
    if let (Some(since), Some(until)) = (raw.since, raw.until)
        && until < since
    {
        return Err((
            codes::E0606,
            format!("{which} applies until {until}, before it starts on {since}: it never applies"),
            "`until` is the last day the rule applies; it must be on or after `since`".into(),
        ));
    }
    Ok(Rule {
        tag,
        profile: raw.profile,
        cite: cite.unwrap_or_default(),
        message: message.unwrap_or_default(),
        source: text(raw.source),
        confidence: raw.confidence.unwrap_or(Confidence::Secondary),
        since: raw.since,
        until: raw.until,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Option<Rules>, Vec<Diagnostic>) {
        parse(Path::new("clauses/rules/FL.toml"), "FL", text.to_string())
    }

    const GOOD: &str = "cite = \"C\"\nmessage = \"M\"\nconfidence = \"statute\"\n";

    #[test]
    fn a_complete_file_reads() {
        let text = format!(
            "[[require]]\ntag = \"a\"\n{GOOD}since = 2023-07-01\n\n[[require]]\nprofile = \"every-school-has-officer\"\n{GOOD}\n[[forbid]]\ntag = \"b\"\n{GOOD}"
        );
        let (rules, diags) = parse_text(&text);
        assert!(diags.is_empty(), "{diags:?}");
        let rules = rules.unwrap();
        assert_eq!(rules.require.len(), 2);
        assert_eq!(rules.require[0].since, Date::new(2023, 7, 1));
        assert_eq!(
            rules.require[1].profile,
            Some(ProfileCheck::EverySchoolHasOfficer)
        );
        assert_eq!(rules.forbid[0].tag.as_deref(), Some("b"));
        assert_eq!(rules.forbid[0].confidence, Confidence::Statute);
    }

    #[test]
    fn each_problem_is_located_at_its_rule() {
        let cases = [
            (
                "[[require]]\ntag = \"a\"\n\n[[require]]\ntag = \"b\"\nmessage = \"M\"\nconfidence = \"statute\"\n",
                "E0603",
                "no `cite`",
                1,
            ),
            (&*format!("[[require]]\n{GOOD}"), "E0604", "neither", 1),
            (
                &*format!("[[require]]\nprofile = \"cross-indemnity\"\n{GOOD}"),
                "E0604",
                "only a [[forbid]] can bar",
                1,
            ),
            (
                &*format!("[[forbid]]\nprofile = \"every-school-has-officer\"\n{GOOD}"),
                "E0604",
                "must name",
                1,
            ),
            (
                &*format!(
                    "[[require]]\ntag = \"a\"\n{GOOD}since = 2026-07-01\nuntil = 2026-06-30\n"
                ),
                "E0606",
                "never applies",
                1,
            ),
            (
                &*format!("[[require]]\ntag = \"a\"\n{GOOD}\n[[forbid]]\ntag = \"a\"\n{GOOD}"),
                "E0605",
                "both forbidden and required",
                6,
            ),
        ];
        for (text, code, excerpt, line) in cases {
            let (_, diags) = parse_text(text);
            let d = diags
                .iter()
                .find(|d| d.code == code)
                .unwrap_or_else(|| panic!("{code} for {text}: {diags:?}"));
            assert!(d.message.contains(excerpt), "{}", d.message);
            assert!(d.line >= line, "{code} at line {} ({text})", d.line);
        }
    }

    #[test]
    fn unknown_keys_and_values_are_toml_errors() {
        let (rules, diags) = parse_text("[[require]]\ntag = \"a\"\nwhen = 1\n");
        assert!(rules.is_none());
        assert_eq!(diags[0].code, "E0103");
        let (_, diags) = parse_text("[[require]]\nprofile = \"all-schools\"\n");
        assert_eq!(diags[0].line, 2, "{diags:?}");
    }

    /// Lines of rule files, in any order and number: whatever they make, reading them
    /// returns diagnostics, never panics, and every kept rule is complete.
    fn lines() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        let parts = vec![
            "[[require]]\n",
            "[[forbid]]\n",
            "[require]\n",
            "tag = \"duties\"\n",
            "tag = \"\"\n",
            "profile = \"every-school-has-officer\"\n",
            "profile = \"nope\"\n",
            "cite = \"C\"\n",
            "message = \"M\"\n",
            "source = \"https://x\"\n",
            "confidence = \"statute\"\n",
            "confidence = \"hearsay\"\n",
            "since = 2026-07-01\n",
            "until = 2025-06-30\n",
            "until = 2026-07-01T00:00:00\n",
            "since = 1\n",
            "# a comment\n",
            "\u{feff}",
            "\"\n",
        ];
        proptest::collection::vec(proptest::sample::select(parts), 0..24).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #[test]
        fn any_file_reads_without_panicking(text in lines()) {
            let (rules, diags) = parse_text(&text);
            for d in &diags {
                proptest::prop_assert!(!d.to_string().is_empty());
            }
            for r in rules.iter().flat_map(|r| r.require.iter().chain(&r.forbid)) {
                proptest::prop_assert!(!r.cite.is_empty() && !r.message.is_empty());
                proptest::prop_assert!(r.tag.is_some() != r.profile.is_some());
                proptest::prop_assert!(r.offset <= text.len());
            }
        }
    }

    #[test]
    fn a_file_not_named_for_a_state_is_refused() {
        let (rules, diags) = parse(Path::new("x/fl.toml"), "fl", String::new());
        assert!(rules.is_none());
        assert_eq!(diags[0].code, "E0609");
    }
}
