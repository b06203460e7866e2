use super::report;
use crate::cli::Verbosity;
use crate::failure::{Failure, Result};
use crate::project::Project;
use std::io::Write;
use std::path::{Path, PathBuf};

fn open(library: &Path, v: Verbosity) -> Project {
    let project = Project::open(&super::project_options(
        library,
        crate::template::MAX_CLAUSE_OUTPUT,
    ));
    if v.quiet {
        let errors: Vec<_> = project
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        report(&errors);
    } else {
        report(&project.diagnostics);
    }
    if v.verbose {
        crate::say!(
            "library {}: {} clause(s), {} version(s)",
            library.display(),
            project.library.clauses.len(),
            project
                .library
                .clauses
                .values()
                .map(Vec::len)
                .sum::<usize>()
        );
    }
    project
}

/// A library with errors still lists and shows what loaded, then fails.
fn done(project: &Project) -> Result {
    if project.has_errors() {
        return Err(Failure::Reported);
    }
    Ok(())
}

/// `mou clauses list [PROFILES]`: the library's clauses, each with its layer, then
/// the overlay clauses of the profiles named, each overlay under its folder.
pub fn clauses_list(library: &Path, profiles: &[PathBuf], v: Verbosity) -> Result {
    let mut project = open(library, v);
    if !profiles.is_empty() {
        let found = project.profiles(profiles)?;
        report(&found.missing);
        let before = project.diagnostics.len();
        project.add_overlays(&found.profiles);
        report(&project.diagnostics[before..]);
        let problems: Vec<_> = project
            .library
            .overlay_problems
            .values()
            .flatten()
            .cloned()
            .collect();
        report(&problems);
        if problems.iter().any(|d| d.is_error()) {
            return Err(Failure::Reported);
        }
    }
    let mut out = std::io::stdout().lock();
    list(&mut out, &project.library)?;
    for (dir, overlay) in &project.library.overlays {
        writeln!(out, "\noverlay {}:", crate::diag::display_path(dir))?;
        list(&mut out, overlay)?;
    }
    done(&project)
}

/// Each id with its layer and newest title, then its versions and variants.
fn list(out: &mut impl Write, lib: &crate::library::Library) -> Result {
    let ids: std::collections::BTreeSet<&String> =
        lib.clauses.keys().chain(lib.variants.keys()).collect();
    for id in ids {
        let standard = lib.versions(id);
        let variants = lib.variants.get(id.as_str());
        let any = standard
            .last()
            .or_else(|| variants.and_then(|v| v.values().next()?.last()));
        let (title, layer) = any
            .map(|c| (c.front.title.as_str(), c.layer.describe()))
            .unwrap_or_default();
        writeln!(out, "{id:<26} {title}  [{layer}]")?;
        for c in standard {
            writeln!(
                out,
                "  {:<10} states {:<8} {}",
                c.version.to_string(),
                c.front.states.join(","),
                c.front.summary
            )?;
        }
        for (name, versions) in variants.into_iter().flatten() {
            for c in versions {
                writeln!(
                    out,
                    "  {:<10} states {:<8} variant {name}: {}",
                    c.version.to_string(),
                    c.front.states.join(","),
                    c.front.summary
                )?;
            }
        }
    }
    Ok(())
}

pub fn clauses_show(library: &Path, spec: &str, v: Verbosity) -> Result {
    let project = open(library, v);
    let c = project.library.find(spec).map_err(Failure::message)?;
    let text = crate::source::read_text(&c.path, crate::library::MAX_CLAUSE_BYTES)
        .map_err(|e| Failure::message(format!("cannot read {}: {e}", c.path.display())))?;
    crate::out_raw!("{text}");
    done(&project)
}

/// `mou clauses used-by ID[@VERSION]`: the profiles a clause change would touch.
pub fn used_by(library: &Path, spec: &str, paths: &[PathBuf], v: Verbosity) -> Result {
    let project = open(library, v);
    let (id, version) = match spec.split_once('@') {
        Some((id, v)) => (id, Some(v)),
        None => (spec, None),
    };
    // `ID/VARIANT`: only agreements that use that variant; `ID`: those that use the
    // standard text. An agreement whose overlay replaces the clause is not touched by
    // a change to the library's.
    let (id, variant) = match id.split_once('/') {
        Some((id, v)) => (id, Some(v)),
        None => (id, None),
    };
    project.library.find(spec).map_err(Failure::message)?;
    let found = project.profiles(&super::profile_paths(paths))?;
    report(&found.missing);
    let paths = found.profiles;
    let mut project = project;
    project.add_overlays(&paths);
    let resolved = project.resolve_all(&paths);
    let mut out = std::io::stdout().lock();
    for (agreement, locked) in &resolved {
        if let Some(c) = locked.clauses.iter().find(|c| {
            c.id == id
                && version.is_none_or(|v| v == c.version)
                && variant == c.variant.as_deref()
                && c.layer != "overlay"
        }) {
            writeln!(
                out,
                "{agreement}\t{}@{}\t{}",
                match &c.variant {
                    Some(v) => format!("{}/{v}", c.id),
                    None => c.id.clone(),
                },
                c.version,
                locked.profile
            )?;
        }
    }
    if resolved.len() < paths.len() && !v.quiet {
        crate::say!(
            "warning: {} profile(s) do not resolve and were not considered; run `mou check`",
            paths.len() - resolved.len()
        );
    }
    if !found.missing.is_empty() {
        return Err(Failure::Reported);
    }
    Ok(())
}
