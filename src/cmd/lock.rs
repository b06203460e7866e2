use crate::cli::LockArgs;
use crate::failure::{Failure, Result};
use crate::lock::{LOCK_VERSION, LockFile, to_toml};
use crate::project::Project;

pub fn lock(args: &LockArgs) -> Result {
    let out = &args.out;
    let refused = format!("{} not written", out.display());
    let project = Project::load(
        &super::project_options(&args.library, crate::template::MAX_CLAUSE_OUTPUT),
        &refused,
    )?;
    let found = project.profiles(&super::profile_paths(&args.paths))?;
    if !found.missing.is_empty() {
        return Err(Failure::invalid(found.missing, refused));
    }
    let paths = found.profiles;
    let project = project.with_overlays(&paths, &refused)?;
    let agreements = project.resolve_all(&paths);
    if agreements.len() < paths.len() {
        return Err(Failure::message(format!(
            "{} profile(s) do not resolve; run `mou check` — {refused}",
            paths.len() - agreements.len(),
        )));
    }
    let lock = LockFile {
        version: LOCK_VERSION,
        agreements,
    };
    crate::write::atomic_write(out, to_toml(&lock)?.as_bytes())?;
    if args.verbosity.verbose {
        for (id, locked) in &lock.agreements {
            crate::say!(
                "{id}: {} clause(s) ({})",
                locked.clauses.len(),
                locked.profile
            );
        }
    }
    if !args.verbosity.quiet {
        crate::say!(
            "wrote {} ({} agreements)",
            out.display(),
            lock.agreements.len()
        );
    }
    Ok(())
}
