use super::report;
use crate::batch::{BuildOptions, Status, build_all, output_name};
use crate::cli::{BuildArgs, WarningsArg};
use crate::diag::Severity;
use crate::diag::display_path;
use crate::failure::{Failure, Result};
use crate::incremental::{Previous, RunKey};
use crate::manifest::Spill;
use crate::project::Project;
use crate::render::Format;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

pub fn build(args: &BuildArgs) -> Result {
    let started = Instant::now();
    let mut project = Project::open(&super::project_options(
        &args.output.library,
        args.max_clause_output,
    ));
    let found = project.profiles(&super::profile_paths(&args.paths))?;
    project.add_overlays(&found.profiles);
    if project.has_errors() {
        // The same problems `check` reports: the library's, then paths that name nothing.
        let mut diags = project.diagnostics;
        diags.extend(found.missing);
        return Err(Failure::invalid(
            diags,
            "the clause library has errors; nothing was built",
        ));
    }
    let missing = found.missing;
    // `-o`, else `[build] out` of mou.toml, else `out`.
    let out_dir = args
        .output
        .out
        .clone()
        .or_else(|| project.config.as_ref().and_then(|c| c.out.clone()))
        .unwrap_or_else(|| "out".into());
    let mut paths = found.profiles;
    if let Some((k, n)) = args.shard {
        paths = crate::discover::shard(&paths, k, n);
    }
    if paths.is_empty() && !missing.is_empty() {
        report(&missing);
        for d in &missing {
            crate::say!("failed: {}", display_path(&d.file));
        }
        crate::say!("built 0, failed {}", missing.len());
        return Err(Failure::Reported);
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
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out_dir.display()))?;
    let lock = crate::write::FolderLock::acquire(&out_dir, || {
        if !args.quiet {
            crate::say!(
                "waiting for another mou build into {} to finish",
                out_dir.display()
            );
        }
    })?;
    if !lock.is_held() {
        crate::say!(
            "warning: cannot lock {} on this file system; two builds into it at once would lose work",
            lock.path().display()
        );
    }
    let stop = stop_on_signals()?;
    crate::write::remove_stale_temps(&out_dir);
    let mut formats = args
        .output
        .formats
        .clone()
        .or_else(|| project.config.as_ref().and_then(|c| c.formats.clone()))
        .unwrap_or_else(|| vec![Format::MD, Format::PDF]);
    formats.sort();
    formats.dedup();
    let pdf_standard = args.output.pdf_standard.into();
    let opts = BuildOptions {
        run_key: RunKey::new(
            &formats,
            pdf_standard,
            args.output.esign_anchors,
            crate::batch::source_date(),
            args.max_clause_output,
            project.config.as_ref(),
            &project.library,
        ),
        formats,
        out: out_dir.clone(),
        pdf_standard,
        esign_anchors: args.output.esign_anchors,
        previous: (!args.force).then(|| Previous::read(&out_dir)),
        keep_inputs: false,
        keep_documents: false,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs(args.output.jobs, paths.len(), args.quiet))
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
    let spill = Spill::new(&out_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create a temporary file in {}: {e}",
            out_dir.display()
        )
    })?;
    let outcomes = pool.install(|| build_all(&paths, &project, &opts, &spill, &stop, &tick));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    // A path that names nothing is reported with the rest and counted as failed.
    report(&missing);
    let mut failed: Vec<String> = missing.iter().map(|d| display_path(&d.file)).collect();
    let mut not_started = 0;
    let mut up_to_date = 0;
    let warnings = match (args.quiet, args.warnings) {
        (true, _) => WarningsArg::None,
        (false, Some(w)) => w,
        (false, None) if outcomes.len() > 20 => WarningsArg::Summary,
        (false, None) => WarningsArg::All,
    };
    let mut tally = crate::report::Tally::default();
    for o in &outcomes {
        let (errors, warns): (Vec<_>, Vec<_>) = o
            .warnings
            .iter()
            .cloned()
            .partition(|d| d.severity == Severity::Error);
        report(&errors);
        match warnings {
            WarningsArg::All => report(&warns),
            WarningsArg::Summary => tally.add(&o.path, &warns),
            WarningsArg::None => {}
        }
        match &o.status {
            Status::Failed(d) => {
                failed.push(display_path(&o.path));
                report(&d.0);
            }
            Status::NotStarted => not_started += 1,
            Status::UpToDate => up_to_date += 1,
            Status::Built if args.verbose => {
                let id = o.id.as_deref().unwrap_or_default();
                let files: Vec<String> = opts
                    .formats
                    .iter()
                    .map(|f| out_dir.join(output_name(id, *f)).display().to_string())
                    .collect();
                crate::say!("wrote {}", files.join(", "));
            }
            Status::Built => {}
        }
    }
    for line in tally.lines() {
        crate::say!("{line}");
    }
    let entries: Vec<(String, _)> = outcomes
        .iter()
        .filter_map(|o| Some((o.id.clone()?, o.entry?)))
        .collect();
    if let Some(kept) = crate::manifest::write(&out_dir, entries, spill)? {
        crate::say!(
            "warning: {} could not be read as a manifest ({}); kept it as {} and wrote a new one with this run's agreements",
            out_dir.join("manifest.json").display(),
            kept.reason,
            kept.path.display()
        );
    }
    // Under the lock every temporary file here is this run's or a killed run's.
    crate::write::remove_stale_temps(&out_dir);
    drop(lock);
    let built = outcomes.len() + missing.len() - failed.len() - not_started - up_to_date;
    let signal = stop.load(Ordering::SeqCst);
    if !args.quiet || !failed.is_empty() || signal != 0 {
        for path in &failed {
            crate::say!("failed: {path}");
        }
        let stopped = match signal {
            0 => String::new(),
            s => format!(
                ", not started {not_started} (interrupted by {})",
                signal_name(s)
            ),
        };
        let skipped = match up_to_date {
            0 => String::new(),
            n => format!(", up to date {n}"),
        };
        crate::say!(
            "built {built}, failed {}{skipped}{stopped} in {:.2} s",
            failed.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if signal != 0 {
        return Err(Failure::Interrupted(signal as i32));
    }
    if !failed.is_empty() {
        return Err(Failure::Reported);
    }
    Ok(())
}

/// SIGINT and SIGTERM, handled once the output folder is locked. The first sets the
/// returned flag to its number: the batch starts no further agreement, finishes those
/// in flight (each is replaced whole), writes the manifest of what it built, removes
/// its temporary files and exits with 128 + the number (130, 143: the shells'
/// convention for "stopped by a signal", so a script tells it from a failed profile,
/// exit 1). A second signal ends the process at once with that status, as a SIGKILL
/// would: every file whole, old or new, and the manifest valid but not updated.
pub(super) fn stop_on_signals() -> Result<Arc<AtomicUsize>> {
    let stop = Arc::new(AtomicUsize::new(0));
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::flag;
        let armed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        for signal in [SIGINT, SIGTERM] {
            // In this order: the first signal finds the shutdown disarmed, then arms it.
            flag::register_conditional_shutdown(signal, 128 + signal, Arc::clone(&armed))?;
            flag::register(signal, Arc::clone(&armed))?;
            flag::register_usize(signal, Arc::clone(&stop), signal as usize)?;
        }
    }
    Ok(stop)
}

fn signal_name(signal: usize) -> String {
    match signal {
        2 => "SIGINT".to_string(),
        15 => "SIGTERM".to_string(),
        n => format!("signal {n}"),
    }
}

/// How many agreements build at once: `-j N`, where 0 (or no `-j`) means one per core.
/// At most 4 per core, with a warning (a build is CPU-bound: more threads only add
/// memory and contention, and `-j 100000` would start 100,000 threads), and at most one
/// per profile.
pub(super) fn jobs(asked: Option<usize>, profiles: usize, quiet: bool) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = cores.saturating_mul(4);
    let jobs = match asked {
        None | Some(0) => cores,
        Some(n) if n > cap => {
            if !quiet {
                crate::say!(
                    "warning: -j {n} is more than 4 jobs per core ({cores} cores); using {cap}"
                );
            }
            cap
        }
        Some(n) => n,
    };
    jobs.min(profiles).max(1)
}
