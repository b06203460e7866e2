//! `mou check`: the whole pipeline short of writing files, reporting every problem
//! found in the library and in each profile.

pub mod codes;
mod consistency;
mod rules;
pub mod schema;
pub mod terms;

use crate::assemble::assemble_plan;
use crate::diag::Diagnostic;
use crate::library::Library;
use crate::profile::Profile;
use crate::project::Project;
use crate::resolve::plan;
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
    let profile = match Profile::from_file(path) {
        Ok(p) => p,
        Err(d) => return d.0,
    };
    let mut out = consistency::check(&profile);
    let plan = match plan(&profile, lib) {
        Ok(p) => p,
        Err(d) => {
            out.extend(d);
            return out;
        }
    };
    out.extend(plan.warnings.iter().cloned());
    out.extend(rules::check_profile(&profile, &plan, lib));
    match assemble_plan(&profile, &plan, engine) {
        Ok(a) => {
            out.extend(a.warnings);
            // The PDF writer refuses what its font cannot set (E0403); `check` says so
            // before a build does.
            if let Some(u) = crate::render::pdf::unprintable(&a.document) {
                out.push(crate::render::write_diagnostic(
                    crate::render::Format::PDF,
                    &anyhow::Error::new(u),
                    &profile.path,
                    &profile.source,
                ));
            }
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
        }
        Err(d) => out.extend(d.0),
    }
    out
}

/// Checks the library and every profile; diagnostics in a stable order.
pub fn check(paths: &[PathBuf], project: &Project) -> Vec<Diagnostic> {
    let (lib, engine) = (&project.library, &project.engine);
    let mut out = project.diagnostics.clone();
    out.extend(check_library(lib));
    let terms = terms::library_terms(lib);
    let dups = crate::discover::duplicate_ids(paths);
    let per_profile: Vec<Vec<Diagnostic>> = paths
        .par_iter()
        .map(|p| {
            let mut d = check_profile(p, lib, engine, &terms);
            if let Some(dup) = dups.get(p) {
                d.insert(0, dup.clone());
            }
            // Every problem found through a profile names it, for JSON consumers that
            // group by agreement (a clause error's `file` is the clause).
            for diag in &mut d {
                diag.profile = Some(p.clone());
            }
            d
        })
        .collect();
    out.extend(per_profile.into_iter().flatten());
    // The same library problem reported through several profiles is one problem.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|d| seen.insert((d.file.clone(), d.line, d.column, d.code, d.message.clone())));
    out
}
