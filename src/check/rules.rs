//! Jurisdiction rules (SPEC §4) applied to one agreement: each `[[require]]` of the
//! profile's state must be met (by a tag of some clause in the agreement, or by a
//! profile value), no clause may carry a tag a `[[forbid]]` names, and a rule applies
//! only to agreements dated in its `since`/`until` window. A state without a rules
//! file is said to be unchecked rather than passed in silence.
use crate::check::codes;

use crate::date::Date;
use crate::diag::Diagnostic;
use crate::library::{Library, ProfileCheck, Rule};
use crate::profile::{Indemnity, Profile};
use crate::resolve::Plan;

/// The day that places an agreement in a rule's window: its date, else the start of
/// its term. `None` (a draft with neither) puts it in every window, so a draft is
/// shown every rule that might apply to it.
pub fn agreement_day(profile: &Profile) -> Option<Date> {
    profile.raw.agreement.date.or(profile.raw.term.start)
}

/// Whether `rule` applies to an agreement of `day`. `since` and `until` both count as
/// inside the window.
pub fn applies(rule: &Rule, day: Option<Date>) -> bool {
    let Some(day) = day else {
        return true;
    };
    rule.since.is_none_or(|s| day >= s) && rule.until.is_none_or(|u| day <= u)
}

pub fn check_profile(profile: &Profile, plan: &Plan<'_>, lib: &Library) -> Vec<Diagnostic> {
    let state = profile.state().as_str();
    let loc = profile.locator();
    let mut diags = Vec::new();
    let general = lib.rules.get(state);
    if general.is_none() {
        diags.push(
            loc.warning(
                codes::W0604,
                &["agreement", "state"],
                format!("no jurisdiction rules for {state}: its law is not checked"),
            )
            .with_help(format!(
                "`mou rules list` shows the states that have rules; add clauses/rules/{state}.toml (docs/rules.md) to check {state}'s law"
            )),
        );
    }
    // The state's rules, and those the agreement's overlay adds (SPEC §4).
    let own = crate::library::stack::overlay_for(profile, lib).and_then(|o| o.rules.get(state));
    let day = agreement_day(profile);
    for rules in general.into_iter().chain(own) {
        for rule in rules.require.iter().filter(|r| applies(r, day)) {
            if let Some(tag) = &rule.tag {
                diags.extend(missing_tag(profile, plan, lib, rule, tag));
            } else if let Some(check) = rule.profile {
                diags.extend(profile_value(profile, rule, check));
            }
        }
        for rule in rules.forbid.iter().filter(|r| applies(r, day)) {
            if let Some(check) = rule.profile {
                diags.extend(forbidden_condition(profile, plan, rule, check));
                continue;
            }
            let Some(tag) = &rule.tag else { continue };
            for item in plan
                .items
                .iter()
                .filter(|i| i.clause.front.tags.contains(tag))
            {
                let c = item.clause;
                diags.push(
                loc.error(
                    codes::E0607,
                    &["agreement", "state"],
                    format!(
                        "{} ({}): clause `{}` ({}) has tag `{tag}`, which the law of {state} bars",
                        rule.message, rule.cite, c.id, c.version
                    ),
                )
                .with_help(format!(
                    "leave it out with [clauses] exclude = [\"{}\"], or use a version of it without tag `{tag}` (`mou clauses list`)",
                    c.id
                )),
            );
            }
        }
    }
    diags
}

/// A required tag that no clause of the agreement carries.
fn missing_tag(
    profile: &Profile,
    plan: &Plan<'_>,
    lib: &Library,
    rule: &Rule,
    tag: &str,
) -> Option<Diagnostic> {
    let tag = tag.to_string();
    if plan
        .items
        .iter()
        .any(|i| i.clause.front.tags.contains(&tag))
    {
        return None;
    }
    let carrier = lib
        .clauses
        .values()
        .flatten()
        .filter(|c| c.serves(profile.state()) && c.front.tags.contains(&tag))
        .map(|c| c.id.as_str())
        .next();
    let help = match carrier {
        Some(id) => format!(
            "clause `{id}` carries tag `{tag}`: add it with [clauses] include = [\"{id}\"] or remove it from `exclude`"
        ),
        None => format!("no clause in the library carries tag `{tag}`"),
    };
    Some(
        profile
            .locator()
            .error(
                codes::E0601,
                &["agreement", "state"],
                format!(
                    "{} ({}): no clause of this agreement has tag `{tag}`",
                    rule.message, rule.cite
                ),
            )
            .with_help(help),
    )
}

/// A condition a `[[forbid]]` bars, found in the agreement: an error at the value.
fn forbidden_condition(
    profile: &Profile,
    plan: &Plan<'_>,
    rule: &Rule,
    check: ProfileCheck,
) -> Option<Diagnostic> {
    let state = profile.state().as_str();
    let loc = profile.locator();
    let (path, found, help): (&[&str], String, &str) = match check {
        ProfileCheck::CrossIndemnity => {
            let indemnity = profile
                .raw
                .insurance
                .as_ref()
                .map(|i| i.indemnity)
                .unwrap_or_default();
            let shifts = !matches!(indemnity, Indemnity::EachOwn | Indemnity::None);
            let article = plan
                .items
                .iter()
                .find(|i| i.clause.front.tags.iter().any(|t| t == "indemnity"))?;
            if !shifts {
                return None;
            }
            (
                &["insurance", "indemnity"],
                format!(
                    "clause `{}` makes one party indemnify the other (insurance.indemnity = \"{}\")",
                    article.clause.id,
                    crate::profile::serde_name(&indemnity)
                ),
                "set `indemnity = \"each-own\"` in [insurance] (each party answers for its own acts) or \"none\"",
            )
        }
        ProfileCheck::CollectiveBargaining => {
            let named = profile.raw.agency.collective_bargaining.as_deref()?;
            (
                &["agency", "collective_bargaining"],
                format!("the agreement relies on a collective bargaining agreement (\"{named}\")"),
                "remove `collective_bargaining` from [agency]",
            )
        }
        ProfileCheck::EverySchoolHasOfficer => return None,
    };
    Some(
        loc.error(
            codes::E0607,
            path,
            format!(
                "{} ({}): {found}, which the law of {state} bars",
                rule.message, rule.cite
            ),
        )
        .with_help(help),
    )
}

/// A profile value a rule requires, checked; each failure at the value.
fn profile_value(profile: &Profile, rule: &Rule, check: ProfileCheck) -> Vec<Diagnostic> {
    let loc = profile.locator();
    match check {
        ProfileCheck::EverySchoolHasOfficer => profile
            .raw
            .schools
            .iter()
            .enumerate()
            .filter(|(_, s)| s.officers == 0)
            .map(|(i, s)| {
                let index = i.to_string();
                loc.error(
                    codes::E0608,
                    &["schools", &index, "officers"],
                    format!(
                        "{} ({}): school \"{}\" has no officer of its own (officers = 0)",
                        rule.message, rule.cite, s.name
                    ),
                )
                .with_help("station at least one officer there: `officers = 1`")
            })
            .collect(),
        // Conditions a [[forbid]] bars; a rule file never requires them (E0604).
        ProfileCheck::CrossIndemnity | ProfileCheck::CollectiveBargaining => Vec::new(),
    }
}

/// Rules the library can never satisfy or that look mistyped: a required tag that no
/// clause serving the state has (an error: no agreement could meet it), a forbidden
/// tag that no clause anywhere has (a warning: the rule bars nothing, perhaps a typo).
pub fn check_library(lib: &Library) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let carried = |tag: &str, state: Option<&str>| {
        lib.clauses
            .values()
            .flatten()
            .any(|c| state.is_none_or(|s| c.serves(s)) && c.front.tags.iter().any(|t| t == tag))
    };
    for rules in lib.rules.values() {
        for rule in &rules.require {
            let Some(tag) = &rule.tag else { continue };
            if !carried(tag, Some(&rules.state)) {
                diags.push(
                    Diagnostic::error(
                        codes::E0602,
                        &rules.path,
                        format!(
                            "rule for {} requires tag `{tag}`, which no clause serving {} has",
                            rules.state, rules.state
                        ),
                    )
                    .at_offset(&rules.source, tag_offset(&rules.source, rule, tag)),
                );
            }
        }
        for rule in &rules.forbid {
            let Some(tag) = &rule.tag else { continue };
            if !carried(tag, None) {
                diags.push(
                    Diagnostic::warning(
                        codes::W0603,
                        &rules.path,
                        format!(
                            "rule for {} forbids tag `{tag}`, which no clause of the library has: it bars nothing",
                            rules.state
                        ),
                    )
                    .at_offset(&rules.source, tag_offset(&rules.source, rule, tag))
                    .with_help("check the spelling against the `tags` of the clause the law bars"),
                );
            }
        }
    }
    diags
}

/// Where a rule writes its tag: the first `"tag"` after the rule's table starts (the
/// table itself if the text is not found, e.g. written with single quotes).
fn tag_offset(source: &str, rule: &Rule, tag: &str) -> usize {
    let needle = format!("\"{tag}\"");
    source
        .get(rule.offset..)
        .and_then(|rest| rest.find(&needle))
        .map_or(rule.offset, |o| rule.offset + o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Confidence;

    fn rule(since: Option<&str>, until: Option<&str>) -> Rule {
        Rule {
            tag: Some("t".into()),
            profile: None,
            cite: "C".into(),
            message: "M".into(),
            source: None,
            confidence: Confidence::Statute,
            since: since.and_then(Date::parse),
            until: until.and_then(Date::parse),
            offset: 0,
        }
    }

    #[test]
    fn windows_include_both_ends_and_an_undated_agreement() {
        let day = |s| Date::parse(s);
        let r = rule(Some("2026-07-01"), Some("2027-06-30"));
        assert!(!applies(&r, day("2026-06-30")));
        assert!(applies(&r, day("2026-07-01")));
        assert!(applies(&r, day("2027-06-30")));
        assert!(!applies(&r, day("2027-07-01")));
        assert!(applies(&r, None));
        assert!(applies(&rule(None, None), day("1990-01-01")));
        assert!(applies(&rule(Some("2023-07-01"), None), day("2099-12-31")));
    }
}
