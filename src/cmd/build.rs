use super::{load_library, report};
use crate::batch::{BuildOptions, build_all, discover, write_manifest};
use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use std::process::ExitCode;
use std::time::Instant;

pub fn build(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let (lib, engine, lib_diags) = load_library(&args.library);
    if lib_diags.iter().any(Diagnostic::is_error) {
        report(&lib_diags);
        eprintln!("error: the clause library has errors; nothing was built");
        return Ok(ExitCode::from(1));
    }
    let paths = match discover(&args.paths) {
        Ok(p) => p,
        Err(d) => {
            report(&[d]);
            return Ok(ExitCode::from(1));
        }
    };
    if paths.is_empty() {
        eprintln!("error: no profiles (*.toml) found");
        return Ok(ExitCode::from(1));
    }
    std::fs::create_dir_all(&args.out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", args.out.display()))?;
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
    let outcomes = pool.install(|| build_all(&paths, &lib, &engine, &opts));
    let mut failed = 0;
    for o in &outcomes {
        report(&o.warnings);
        if let Err(d) = &o.result {
            failed += 1;
            report(&d.0);
        }
    }
    write_manifest(&args.out, &outcomes)?;
    let built = outcomes.len() - failed;
    eprintln!(
        "built {built}, failed {failed} in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
