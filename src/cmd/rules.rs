//! `mou rules list` and `mou rules show STATE`: the jurisdiction rules of the library,
//! with their citations, sources and what each rests on, so counsel can see what
//! `check` checks (and what it does not) without reading TOML. The table of
//! `docs/rules.md` is made here too, so the documentation cannot drift from the files.

use crate::cli::Verbosity;
use crate::failure::{Failure, Result};
use crate::library::{Confidence, Library, Rule, Rules};
use crate::project::Project;
use std::fmt::Write as _;
use std::path::Path;

fn open(library: &Path, v: Verbosity) -> Project {
    let project = Project::open(&super::project_options(
        library,
        crate::template::MAX_CLAUSE_OUTPUT,
    ));
    let shown: Vec<_> = project
        .diagnostics
        .iter()
        .filter(|d| !v.quiet || d.is_error())
        .cloned()
        .collect();
    super::report(&shown);
    project
}

fn confidence(c: Confidence) -> &'static str {
    match c {
        Confidence::Statute => "statute",
        Confidence::Secondary => "secondary",
    }
}

/// Every rule of a state, requirements first.
fn all(rules: &Rules) -> impl Iterator<Item = (&'static str, &Rule)> {
    let require = rules.require.iter().map(|r| ("require", r));
    require.chain(rules.forbid.iter().map(|r| ("forbid", r)))
}

/// The citations of a state's rules (a `cite` may hold several, `; ` between them),
/// each once, in file order.
fn citations(rules: &Rules) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for part in all(rules).flat_map(|(_, r)| r.cite.split("; ")) {
        let part = part.trim();
        if !part.is_empty() && !out.contains(&part) {
            out.push(part);
        }
    }
    out
}

/// `statute` when every rule rests on statute text, `secondary` when none does, else
/// how many of each.
fn confidence_summary(rules: &Rules) -> String {
    let total = all(rules).count();
    let statute = all(rules)
        .filter(|(_, r)| r.confidence == Confidence::Statute)
        .count();
    match statute {
        0 => "secondary".into(),
        n if n == total => "statute".into(),
        n => format!("{n} statute, {} secondary", total - n),
    }
}

/// What a rule checks, in words: `requires tag `duties``.
fn target(kind: &str, rule: &Rule) -> String {
    match (&rule.tag, rule.profile) {
        (Some(tag), _) => format!("{kind}s tag `{tag}`"),
        (None, Some(check)) => format!(
            "{kind}s profile {} `{}`",
            if check.is_condition() {
                "condition"
            } else {
                "check"
            },
            crate::profile::serde_name(&check)
        ),
        (None, None) => kind.to_string(),
    }
}

fn window(rule: &Rule) -> Option<String> {
    match (rule.since, rule.until) {
        (None, None) => None,
        (Some(s), None) => Some(format!("agreements dated on or after {s}")),
        (None, Some(u)) => Some(format!("agreements dated on or before {u}")),
        (Some(s), Some(u)) => Some(format!("agreements dated {s} to {u}")),
    }
}

pub fn rules_list(library: &Path, v: Verbosity) -> Result {
    let project = open(library, v);
    let mut out = String::new();
    for (state, rules) in &project.library.rules {
        let n = all(rules).count();
        let _ = writeln!(
            out,
            "{state}  {n:>2} rule{}  {:<22}  {}",
            if n == 1 { " " } else { "s" },
            confidence_summary(rules),
            citations(rules).join("; ")
        );
    }
    crate::out_raw!("{out}");
    if v.verbose {
        crate::say!("{} state(s) with rules", project.library.rules.len());
    }
    done(&project)
}

pub fn rules_show(library: &Path, state: &str, v: Verbosity) -> Result {
    let project = open(library, v);
    let wanted = state.trim().to_ascii_uppercase();
    let Some(rules) = project.library.rules.get(&wanted) else {
        let states: Vec<&str> = project.library.rules.keys().map(String::as_str).collect();
        return Err(Failure::Usage(format!(
            "no jurisdiction rules for {wanted}: its law is not checked; states with rules: {}",
            states.join(", ")
        )));
    };
    let mut out = String::new();
    let n = all(rules).count();
    let _ = writeln!(
        out,
        "{wanted}: {n} rule{} ({})",
        if n == 1 { "" } else { "s" },
        crate::diag::display_path(&rules.path)
    );
    for (i, (kind, rule)) in all(rules).enumerate() {
        let _ = writeln!(out, "\n{}. {}", i + 1, target(kind, rule));
        let _ = writeln!(out, "   cite:       {}", rule.cite);
        let _ = writeln!(out, "   confidence: {}", confidence(rule.confidence));
        let _ = writeln!(
            out,
            "   source:     {}",
            rule.source.as_deref().unwrap_or("(none recorded)")
        );
        if let Some(w) = window(rule) {
            let _ = writeln!(out, "   applies to: {w}");
        }
        let _ = writeln!(out, "   {}", rule.message);
    }
    crate::out_raw!("{out}");
    done(&project)
}

fn done(project: &Project) -> Result {
    if project.has_errors() {
        return Err(Failure::Reported);
    }
    Ok(())
}

/// The Markdown table of `docs/rules.md`: one row per state, with its rules' count,
/// citations and confidence, and the dates from which any of them apply.
pub fn rules_table(lib: &Library) -> String {
    let mut out = String::from(
        "| State | Rules | Citations | Confidence | Applies from |\n|:--|--:|:--|:--|:--|\n",
    );
    for (state, rules) in &lib.rules {
        let since = applies_from(rules);
        let cites: Vec<String> = citations(rules)
            .iter()
            .map(|c| c.replace('|', "\\|"))
            .collect();
        let _ = writeln!(
            out,
            "| {state} | {} | {} | {} | {} |",
            all(rules).count(),
            cites.join("; "),
            confidence_summary(rules),
            since
        );
    }
    out
}

/// From when a state's rules apply: `always`, one date when every rule starts then,
/// else each start with the rules that have none.
fn applies_from(rules: &Rules) -> String {
    let mut starts: Vec<String> = all(rules)
        .map(|(_, r)| r.since.map_or("always".to_string(), |d| d.to_string()))
        .collect();
    // "always" first, then the dates in order.
    starts.sort_by_key(|s| (s != "always", s.clone()));
    starts.dedup();
    match starts.as_slice() {
        [one] => one.clone(),
        many => format!("{} (by rule)", many.join("; ")),
    }
}
