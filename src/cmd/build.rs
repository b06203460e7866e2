use super::report;
use crate::batch::{BuildOptions, Status, build_all, output_name};
use crate::cli::BuildArgs;
use crate::diag::Severity;
use crate::failure::{Failure, Result};
use crate::manifest::Spill;
use crate::project::Project;
use std::io::IsTerminal;
use std::time::Instant;

pub fn build(args: &BuildArgs) -> Result {
    let started = Instant::now();
    let project = Project::load(
        &super::project_options(&args.library, args.max_clause_output),
        "nothing was built",
    )?;
    let mut paths = project.profiles(&args.paths)?;
    if let Some((k, n)) = args.shard {
        paths = crate::discover::shard(&paths, k, n);
    }
    if paths.is_empty() {
        if args.shard.is_some() {
            if !args.quiet {
                crate::say!("built 0, failed 0: no profiles fall in this shard");
            }
            return Ok(());
        }
        return Err(Failure::message("no profiles (*.toml) found"));
    }
    if args.locked {
        let lock = crate::lock::read(&args.lockfile)?;
        let now = project.resolve_all(&paths);
        let changes = crate::lock::differences(&lock, &now);
        if !changes.is_empty() {
            crate::say!(
                "error: the clause versions chosen differ from {} (--locked); nothing was built:",
                args.lockfile.display()
            );
            for c in &changes {
                crate::say!("  {c}");
            }
            crate::say!("run `mou lock` to accept these changes");
            return Err(Failure::Reported);
        }
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", args.out.display()))?;
    let lock = crate::write::FolderLock::acquire(&args.out, || {
        crate::say!(
            "waiting for another mou build into {} to finish (it holds {})",
            args.out.display(),
            args.out.join(crate::write::LOCK_FILE).display()
        );
    })?;
    if !lock.is_held() {
        crate::say!(
            "warning: cannot lock {} on this file system; two builds into it at once would lose work",
            lock.path().display()
        );
    }
    crate::write::remove_stale_temps(&args.out);
    let mut formats = args.formats.clone();
    formats.sort();
    formats.dedup();
    let opts = BuildOptions {
        formats,
        out: args.out.clone(),
        pdf_standard: args.pdf_standard.into(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(anyhow::Error::from)?;
    let bar = if std::io::stderr().is_terminal() && !args.quiet && paths.len() > 1 {
        let bar = indicatif::ProgressBar::new(paths.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} agreements {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let spill = Spill::new(&args.out).map_err(|e| {
        anyhow::anyhow!(
            "cannot create a temporary file in {}: {e}",
            args.out.display()
        )
    })?;
    let outcomes = pool.install(|| build_all(&paths, &project, &opts, &spill, &tick));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut failed = 0;
    for o in &outcomes {
        if !args.quiet {
            report(&o.warnings);
        } else {
            let errors: Vec<_> = o
                .warnings
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned()
                .collect();
            report(&errors);
        }
        match &o.status {
            Status::Failed(d) => {
                failed += 1;
                report(&d.0);
            }
            Status::Built if args.verbose => {
                let id = o.id.as_deref().unwrap_or_default();
                let files: Vec<String> = opts
                    .formats
                    .iter()
                    .map(|f| args.out.join(output_name(id, *f)).display().to_string())
                    .collect();
                crate::say!("wrote {}", files.join(", "));
            }
            Status::Built => {}
        }
    }
    let built: Vec<(String, _)> = outcomes
        .iter()
        .filter_map(|o| Some((o.id.clone()?, o.entry?)))
        .collect();
    crate::manifest::write(&args.out, built, spill)?;
    drop(lock);
    let built = outcomes.len() - failed;
    if !args.quiet || failed > 0 {
        crate::say!(
            "built {built}, failed {failed} in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
    if failed > 0 {
        return Err(Failure::Reported);
    }
    Ok(())
}
