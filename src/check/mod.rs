//! `mou check`: the whole pipeline short of writing files, reporting every problem
//! found in the library and in each profile.

pub mod codes;
mod consistency;
mod money;
mod overlap;
pub mod rule_file;
pub mod rules;
pub mod schema;
pub mod terms;
mod typed_refs;

use crate::assemble::{Assembled, assemble_plan};
use crate::diag::Diagnostic;
use crate::library::Library;
use crate::profile::Profile;
use crate::project::Project;
use crate::resolve::{Plan, plan};
use crate::template::Engine;
use rayon::prelude::*;
use std::path::PathBuf;

/// Problems of the library itself, independent of any profile.
pub fn check_library(lib: &Library) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = lib
        .all_versions()
        .chain(lib.overlays.values().flat_map(Library::all_versions))
        .chain(lib.exhibit_files.values().filter_map(|r| r.as_ref().ok()))
        .flat_map(schema::check_clause)
        .collect();
    out.extend(
        lib.clauses
            .values()
            .flatten()
            .flat_map(typed_refs::check_clause),
    );
    out.extend(rules::check_library(lib));
    out
}

/// Every problem of one profile: loading, resolving, rendering, rules, defined terms
/// and consistency.
pub fn check_profile(
    path: &std::path::Path,
    lib: &Library,
    engine: &Engine,
    terms: &[String],
) -> Vec<Diagnostic> {
    check_loaded(path, lib, engine, terms).0
}

/// [`check_profile`], and the profile when it loaded (for checks across profiles).
fn check_loaded(
    path: &std::path::Path,
    lib: &Library,
    engine: &Engine,
    terms: &[String],
) -> (Vec<Diagnostic>, Option<Profile>) {
    let profile = match Profile::from_file(path) {
        Ok(p) => p,
        Err(d) => return (d.0, None),
    };
    let out = check_after_load(&profile, lib, engine, terms);
    (out, Some(profile))
}

fn check_after_load(
    profile: &Profile,
    lib: &Library,
    engine: &Engine,
    terms: &[String],
) -> Vec<Diagnostic> {
    let mut out = consistency::check(profile);
    out.extend(money::check(profile));
    let plan = match plan(profile, lib) {
        Ok(p) => p,
        Err(d) => {
            out.extend(d);
            return out;
        }
    };
    match assemble_plan(profile, &plan, engine) {
        Ok(a) => {
            out.extend(after_assembly(profile, &plan, &a, lib));
            let place = |id: &str| {
                plan.items.iter().find(|i| i.clause.id == id).map(|i| {
                    (
                        i.clause.path.clone(),
                        i.clause.body.clone(),
                        i.clause.body_line,
                    )
                })
            };
            out.extend(terms::check(&a.document, terms, &place, &profile.path));
            // The PDF writer refuses what its font cannot set (E0403); `check` says so
            // before a build does (a build without PDF is not stopped by it).
            if let Some(u) = crate::render::pdf::unprintable(&a.document) {
                out.push(crate::render::write_diagnostic(
                    crate::render::Format::PDF,
                    &anyhow::Error::new(u),
                    &profile.path,
                    &profile.source,
                ));
            }
        }
        Err(d) => {
            out.extend(plan.warnings.iter().cloned());
            out.extend(rules::check_profile(profile, &plan, lib));
            out.extend(d.0);
        }
    }
    out
}

/// What `check` finds in an agreement once it is assembled, short of the warnings
/// about defined terms: the plan's warnings and the state's rules. `build` asks
/// the same question of a final agreement, so what `check` calls an error never
/// builds as final.
pub fn after_assembly(
    profile: &Profile,
    plan: &Plan<'_>,
    a: &Assembled,
    lib: &Library,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = plan.warnings.to_vec();
    out.extend(rules::check_profile(profile, plan, lib));
    out.extend(a.warnings.iter().cloned());
    out
}

/// Checks the library and every profile; diagnostics in a stable order.
pub fn check(paths: &[PathBuf], project: &Project) -> Vec<Diagnostic> {
    let (lib, engine) = (&project.library, &project.engine);
    let mut out = project.diagnostics.clone();
    out.extend(check_library(lib));
    let terms = terms::library_terms(lib);
    let dups = crate::discover::duplicate_ids(paths);
    let checked: Vec<(Vec<Diagnostic>, Option<Profile>)> = paths
        .par_iter()
        .map(|p| {
            let (mut d, profile) = check_loaded(p, lib, engine, &terms);
            if let Some(dup) = dups.get(p) {
                d.insert(0, dup.clone());
            }
            // Every problem found through a profile names it, for JSON consumers that
            // group by agreement (a clause error's `file` is the clause).
            for diag in &mut d {
                diag.profile = Some(p.clone());
            }
            (d, profile)
        })
        .collect();
    let loaded: Vec<&Profile> = checked.iter().filter_map(|(_, p)| p.as_ref()).collect();
    let across = overlap::check(&loaded);
    out.extend(checked.iter().flat_map(|(d, _)| d.iter().cloned()));
    out.extend(across);
    // The same library problem reported through several profiles is one problem.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|d| seen.insert((d.file.clone(), d.line, d.column, d.code, d.message.clone())));
    out
}
