//! Jurisdiction rules (SPEC §4): each `[[require]]` of the profile's state must be met
//! by a tag of some clause in the agreement.
use crate::check::codes;

use crate::diag::Diagnostic;
use crate::library::Library;
use crate::profile::Profile;
use crate::resolve::Plan;

pub fn check_profile(profile: &Profile, plan: &Plan<'_>, lib: &Library) -> Vec<Diagnostic> {
    // The state's rules, and those the agreement's overlay adds (SPEC §4).
    let state = profile.state().as_str();
    let own = crate::library::stack::overlay_for(profile, lib).and_then(|o| o.rules.get(state));
    let all: Vec<_> = lib.rules.get(state).into_iter().chain(own).collect();
    if all.is_empty() {
        return Vec::new();
    }
    let loc = profile.locator();
    let mut diags = Vec::new();
    for rule in all.iter().flat_map(|r| &r.require) {
        let met = plan
            .items
            .iter()
            .any(|i| i.clause.front.tags.contains(&rule.tag));
        if met {
            continue;
        }
        let carrier = lib
            .clauses
            .values()
            .flatten()
            .filter(|c| c.serves(profile.state()) && c.front.tags.contains(&rule.tag))
            .map(|c| c.id.as_str())
            .next();
        let help = match carrier {
            Some(id) => format!(
                "clause `{id}` carries tag `{}`: add it with [clauses] include = [\"{id}\"] or remove it from `exclude`",
                rule.tag
            ),
            None => format!("no clause in the library carries tag `{}`", rule.tag),
        };
        diags.push(
            loc.error(
                codes::E0601,
                &["agreement", "state"],
                format!(
                    "{} ({}): no clause of this agreement has tag `{}`",
                    rule.message, rule.cite, rule.tag
                ),
            )
            .with_help(help),
        );
    }
    diags
}

/// A rule whose tag no clause serving that state has can never be met.
pub fn check_library(lib: &Library) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for rules in lib.rules.values() {
        for rule in &rules.require {
            let exists = lib
                .clauses
                .values()
                .flatten()
                .any(|c| c.serves(&rules.state) && c.front.tags.contains(&rule.tag));
            if !exists {
                let d = Diagnostic::error(
                    codes::E0602,
                    &rules.path,
                    format!(
                        "rule for {} requires tag `{}`, which no clause serving {} has",
                        rules.state, rule.tag, rules.state
                    ),
                );
                let needle = format!("\"{}\"", rule.tag);
                diags.push(match rules.source.find(&needle) {
                    Some(o) => d.at_offset(&rules.source, o),
                    None => d,
                });
            }
        }
    }
    diags
}
