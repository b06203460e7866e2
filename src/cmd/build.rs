use super::{load_library, report};
use crate::batch::{BuildOptions, build_all, discover, output_name, shard};
use crate::cli::BuildArgs;
use crate::diag::{Diagnostic, Severity};
use crate::manifest::Spill;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

pub fn build(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let (lib, mut engine, lib_diags) = load_library(&args.library);
    engine.set_output_limit(args.max_clause_output);
    if lib_diags.iter().any(Diagnostic::is_error) {
        report(&lib_diags);
        crate::say!("error: the clause library has errors; nothing was built");
        return Ok(ExitCode::from(1));
    }
    let mut paths = match discover(&args.paths) {
        Ok(p) => p,
        Err(d) => {
            report(&[d]);
            return Ok(ExitCode::from(1));
        }
    };
    if let Some((k, n)) = args.shard {
        paths = shard(&paths, k, n);
    }
    if paths.is_empty() {
        if args.shard.is_some() {
            if !args.quiet {
                crate::say!("built 0, failed 0: no profiles fall in this shard");
            }
            return Ok(ExitCode::SUCCESS);
        }
        crate::say!("error: no profiles (*.toml) found");
        return Ok(ExitCode::from(1));
    }
    if args.locked {
        let lock = crate::lock::read(&args.lockfile)?;
        let now = crate::lock::resolve_all(&paths, &lib);
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
            return Ok(ExitCode::from(1));
        }
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", args.out.display()))?;
    crate::write::remove_stale_temps(&args.out);
    let mut formats = args.formats.clone();
    formats.sort();
    formats.dedup();
    let opts = BuildOptions {
        formats,
        out: args.out.clone(),
        pdf_standard: args.pdf_standard,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()?;
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
    let outcomes = pool.install(|| build_all(&paths, &lib, &engine, &opts, &spill, &tick));
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
        match &o.result {
            Err(d) => {
                failed += 1;
                report(&d.0);
            }
            Ok(_) if args.verbose => {
                let id = o.id.as_deref().unwrap_or_default();
                let files: Vec<String> = opts
                    .formats
                    .iter()
                    .map(|f| args.out.join(output_name(id, *f)).display().to_string())
                    .collect();
                crate::say!("wrote {}", files.join(", "));
            }
            Ok(_) => {}
        }
    }
    let built: Vec<(String, _)> = outcomes
        .iter()
        .filter_map(|o| Some((o.id.clone()?, *o.result.as_ref().ok()?)))
        .collect();
    crate::manifest::write(&args.out, built, spill)?;
    let built = outcomes.len() - failed;
    if !args.quiet || failed > 0 {
        crate::say!(
            "built {built}, failed {failed} in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
