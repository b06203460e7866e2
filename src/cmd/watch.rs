//! `mou watch` and `mou serve`: build, then rebuild what each saved change touches
//! (see [`crate::watch`]), until SIGINT or SIGTERM. The log (each change, each
//! rebuild's summary) goes to stdout, diagnostics to stderr as `check` prints them.
//! A failed agreement keeps its last good files: a build replaces an agreement's
//! files only when all of them were written.

use super::report;
use crate::batch::{BuildOptions, Outcome, Status, build_all};
use crate::cli::{ServeArgs, WatchArgs};
use crate::diag::{Diagnostic, display_path};
use crate::failure::{Failure, Result};
use crate::incremental::{Previous, RunKey};
use crate::manifest::Spill;
use crate::project::Project;
use crate::render::Format;
use crate::serve::{Page, PageStatus, Site};
use crate::watch::scope::{Deps, Layout, Scope, scope};
use crate::watch::{Watcher, absolute};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

pub fn watch(args: &WatchArgs) -> Result {
    Session::new(args, None)?.run()
}

pub fn serve(args: &ServeArgs) -> Result {
    let site = Arc::new(Site::default());
    let addr = crate::serve::start(args.port, Arc::clone(&site)).map_err(Failure::message)?;
    crate::out!("serving on http://{addr}/");
    Session::new(&args.watch, Some(site))?.run()
}

struct Session<'a> {
    args: &'a WatchArgs,
    site: Option<Arc<Site>>,
    watcher: Watcher,
    /// `None` until the library loads without errors.
    project: Option<Project>,
    layout: Layout,
    deps: Deps,
    /// Each profile found, absolute → as found (relative paths stay relative in
    /// messages and in the manifest).
    profiles: BTreeMap<PathBuf, PathBuf>,
    out: PathBuf,
    stop: Arc<AtomicUsize>,
    pool: rayon::ThreadPool,
}

impl<'a> Session<'a> {
    fn new(args: &'a WatchArgs, site: Option<Arc<Site>>) -> Result<Session<'a>> {
        let stop = super::build::stop_on_signals()?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(super::build::jobs(args.output.jobs, usize::MAX, args.quiet))
            .build()
            .map_err(anyhow::Error::from)?;
        Ok(Session {
            args,
            site,
            watcher: Watcher::new()?,
            project: None,
            layout: Layout::default(),
            deps: Deps::default(),
            profiles: BTreeMap::new(),
            out: PathBuf::new(),
            stop,
            pool,
        })
    }

    fn run(mut self) -> Result {
        let everything = Scope {
            reload: true,
            all: true,
            ..Scope::default()
        };
        self.cycle(&everything)?;
        crate::out!(
            "watching {} profile(s) and the library; Ctrl-C stops",
            self.profiles.len()
        );
        let quiet = Duration::from_millis(self.args.debounce);
        while let Some(batch) = self.watcher.next_batch(quiet, &self.stop) {
            for p in &batch.problems {
                crate::say!("warning: watching files: {p}");
            }
            self.watcher.forget(&batch.paths);
            let s = scope(&batch.paths, &self.layout, &self.deps);
            if s.is_empty() {
                self.watch_folders();
                continue;
            }
            self.cycle(&s)?;
        }
        crate::out!("stopped");
        Ok(())
    }

    /// Rebuilds what `s` asks for and reports it.
    fn cycle(&mut self, s: &Scope) -> Result {
        let started = Instant::now();
        if !s.changed.is_empty() {
            let shown: Vec<String> = s.changed.iter().take(3).map(|p| self.shown(p)).collect();
            let more = match s.changed.len() {
                n if n > 3 => format!(" and {} more", n - 3),
                _ => String::new(),
            };
            crate::out!("changed: {}{more}", shown.join(", "));
        }
        if s.reload || self.project.is_none() {
            let project = Project::open(&super::project_options(
                &self.args.output.library,
                self.args.max_clause_output,
            ));
            self.project = None;
            self.layout_library(&project);
            self.watch_folders();
            if project.has_errors() {
                report(&project.diagnostics);
                crate::out!(
                    "the clause library has errors; nothing was built (save a fix to build again)"
                );
                let errors: Vec<Diagnostic> = project
                    .diagnostics
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect();
                if let Some(site) = &self.site {
                    site.update(|st| st.library = errors);
                }
                return Ok(());
            }
            self.project = Some(project);
        }
        let Some(project) = self.project.as_mut() else {
            return Ok(());
        };
        let found = project.profiles(&super::profile_paths(&self.args.paths))?;
        report(&found.missing);
        let now: BTreeMap<PathBuf, PathBuf> = found
            .profiles
            .iter()
            .map(|p| (absolute(p), p.clone()))
            .collect();
        for (gone, shown) in &self.profiles {
            if !now.contains_key(gone) {
                crate::out!(
                    "removed: {} (its files in {} stay)",
                    display_path(shown),
                    display_path(&self.out)
                );
                self.deps.forget(gone);
            }
        }
        let candidates: Vec<PathBuf> = now
            .iter()
            .filter(|(abs, _)| {
                s.all || s.profiles.contains(*abs) || !self.profiles.contains_key(*abs)
            })
            .map(|(_, p)| p.clone())
            .collect();
        self.profiles = now;
        let all: Vec<PathBuf> = self.profiles.values().cloned().collect();
        project.add_overlays(if s.reload { &all } else { &candidates });
        let overlays: Vec<PathBuf> = project.library.overlays.keys().cloned().collect();
        self.layout_profiles(&overlays);
        let Some(project) = self.project.as_ref() else {
            return Ok(());
        };
        let outcomes = self.build(project, &all, &candidates)?;
        let count = |f: fn(&Status) -> bool| outcomes.iter().filter(|o| f(&o.status)).count();
        let failed = count(|s| matches!(s, Status::Failed(_))) + found.missing.len();
        let built = count(|s| matches!(s, Status::Built));
        let up_to_date = count(|s| matches!(s, Status::UpToDate));
        // A profile removed, and nothing else: nothing was asked of the build.
        let asked = !outcomes.is_empty() || failed > 0 || s.changed.is_empty();
        for o in &outcomes {
            if let Some(inputs) = &o.inputs {
                let files = inputs.files.iter().map(|f| absolute(f)).collect();
                self.deps.record(absolute(&o.path), files);
            }
        }
        self.watch_folders();
        // The pages first: once the summary is out, they show this rebuild.
        if self.site.is_some() {
            self.publish(outcomes, found.missing);
        }
        if asked {
            crate::out!(
                "built {built}, failed {failed}, up to date {up_to_date} in {:.2} s",
                started.elapsed().as_secs_f64()
            );
        }
        Ok(())
    }

    /// Builds `candidates` of the profiles `all` under the output folder's lock, writes
    /// the manifest and prints every diagnostic.
    fn build(
        &self,
        project: &Project,
        all: &[PathBuf],
        candidates: &[PathBuf],
    ) -> Result<Vec<Outcome>> {
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let out = &self.out;
        std::fs::create_dir_all(out)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
        let lock = crate::write::FolderLock::acquire(out, || {
            crate::say!(
                "waiting for another mou build into {} to finish",
                out.display()
            );
        })?;
        crate::write::remove_stale_temps(out);
        let formats = self.formats(project);
        let pdf_standard = self.args.output.pdf_standard.into();
        let opts = BuildOptions {
            run_key: RunKey::new(
                &formats,
                pdf_standard,
                self.args.output.esign_anchors,
                crate::batch::source_date(),
                self.args.max_clause_output,
                project.config.as_ref(),
                &project.library,
            ),
            formats,
            out: out.clone(),
            pdf_standard,
            esign_anchors: self.args.output.esign_anchors,
            previous: Some(Previous::read(out)),
            keep_inputs: true,
            keep_documents: self.site.is_some(),
        };
        // An id taken by two profiles fails both, as in `build`; asked of every
        // profile, since the other may not be a candidate.
        let dups = crate::discover::duplicate_ids(all);
        let (dup, fresh): (Vec<PathBuf>, Vec<PathBuf>) = candidates
            .iter()
            .cloned()
            .partition(|p| dups.contains_key(p));
        let spill = Spill::new(out).map_err(|e| {
            anyhow::anyhow!("cannot create a temporary file in {}: {e}", out.display())
        })?;
        let stop = &*self.stop;
        let mut outcomes = self
            .pool
            .install(|| build_all(&fresh, project, &opts, &spill, stop, &|| {}));
        outcomes.extend(dup.iter().map(|p| Outcome {
            path: p.clone(),
            id: None,
            status: Status::Failed(dups[p].clone().into()),
            entry: None,
            warnings: Vec::new(),
            inputs: None,
            document: None,
        }));
        for o in &outcomes {
            if !self.args.quiet {
                report(&o.warnings);
            }
            if let Status::Failed(d) = &o.status {
                report(&d.0);
                crate::out!("failed: {}", display_path(&o.path));
            }
        }
        let entries: Vec<(String, _)> = outcomes
            .iter()
            .filter_map(|o| Some((o.id.clone()?, o.entry?)))
            .collect();
        if let Some(kept) = crate::manifest::write(out, entries, spill)? {
            crate::say!(
                "warning: {} could not be read as a manifest ({}); kept it as {}",
                out.join("manifest.json").display(),
                kept.reason,
                kept.path.display()
            );
        }
        crate::write::remove_stale_temps(out);
        drop(lock);
        Ok(outcomes)
    }

    /// `-f`, else `[build] formats` of mou.toml, else md,pdf.
    fn formats(&self, project: &Project) -> Vec<Format> {
        let mut formats = self
            .args
            .output
            .formats
            .clone()
            .or_else(|| project.config.as_ref().and_then(|c| c.formats.clone()))
            .unwrap_or_else(|| vec![Format::MD, Format::PDF]);
        formats.sort();
        formats.dedup();
        formats
    }

    /// Where the library, `mou.toml` and the output folder are.
    fn layout_library(&mut self, project: &Project) {
        let library =
            super::project_options(&self.args.output.library, self.args.max_clause_output).library;
        self.out = self
            .args
            .output
            .out
            .clone()
            .or_else(|| project.config.as_ref().and_then(|c| c.out.clone()))
            .unwrap_or_else(|| "out".into());
        self.layout.out = absolute(&self.out);
        let library = absolute(&library);
        self.layout.config = match &project.config {
            Some(c) => absolute(&c.path),
            None => library
                .parent()
                .map(|p| p.join("mou.toml"))
                .unwrap_or_else(|| PathBuf::from("mou.toml")),
        };
        self.layout.library = std::iter::once(library)
            .chain(
                project
                    .config
                    .iter()
                    .flat_map(|c| c.libraries.iter().map(|(_, p)| absolute(p))),
            )
            .collect();
        // Every PATH, also one missing now: it may come back.
        self.layout.roots = super::profile_paths(&self.args.paths)
            .iter()
            .map(|p| absolute(p))
            .collect();
    }

    /// The profiles found and their overlay folders.
    fn layout_profiles(&mut self, overlays: &[PathBuf]) {
        self.layout.profiles = self.profiles.keys().cloned().collect();
        for dir in overlays {
            let dir = absolute(dir);
            if !self.layout.library.contains(&dir) {
                self.layout.library.push(dir);
            }
        }
    }

    /// Watches the library, `mou.toml`'s folder, the profile folders, and the folder
    /// of every file an agreement was built from.
    fn watch_folders(&mut self) {
        let mut wanted: Vec<(PathBuf, bool)> = Vec::new();
        wanted.extend(self.layout.library.iter().map(|d| (d.clone(), true)));
        if let Some(dir) = self.layout.config.parent() {
            wanted.push((dir.to_path_buf(), false));
        }
        for p in super::profile_paths(&self.args.paths) {
            if p.is_dir() {
                wanted.push((absolute(&p), true));
            } else if let Some(dir) = absolute(&p).parent() {
                wanted.push((dir.to_path_buf(), false));
            }
        }
        let files: BTreeSet<PathBuf> = self.deps.files().into_iter().cloned().collect();
        wanted.extend(
            files
                .iter()
                .filter_map(|f| f.parent())
                .map(|d| (d.to_path_buf(), false)),
        );
        for (dir, deep) in wanted {
            if let Err(e) = self.watcher.watch(&dir, deep) {
                crate::say!("warning: {e:#}");
            }
        }
    }

    /// `path` (absolute) as the user would write it: relative to the current folder
    /// when inside it.
    fn shown(&self, path: &std::path::Path) -> String {
        let here = absolute(std::path::Path::new("."));
        display_path(path.strip_prefix(&here).unwrap_or(path))
    }

    /// Gives the preview server what this cycle found. An agreement that failed keeps
    /// its last good Document; one up to date that the server has no Document for yet
    /// is assembled for it (as its build would, without writing).
    fn publish(&self, outcomes: Vec<Outcome>, missing: Vec<Diagnostic>) {
        let Some(site) = &self.site else { return };
        let Some(project) = &self.project else { return };
        let known: BTreeSet<PathBuf> = site.with(|st| {
            st.pages
                .iter()
                .filter(|(_, p)| p.document.is_some())
                .map(|(k, _)| k.clone())
                .collect()
        });
        let need: Vec<PathBuf> = outcomes
            .iter()
            .filter(|o| matches!(o.status, Status::UpToDate) && !known.contains(&o.path))
            .map(|o| o.path.clone())
            .collect();
        let prepared: BTreeMap<PathBuf, Page> = self.pool.install(|| {
            need.par_iter()
                .filter_map(|p| Some((p.clone(), prepare(p, project)?)))
                .collect()
        });
        let profiles: BTreeSet<PathBuf> = self.profiles.values().cloned().collect();
        let out = self.out.clone();
        site.update(|st| {
            st.library.clear();
            st.out = out;
            st.pages.retain(|p, _| profiles.contains(p));
            for o in outcomes {
                let page = st.pages.entry(o.path.clone()).or_default();
                page.shown = display_path(&o.path);
                if o.id.is_some() {
                    page.id = o.id;
                }
                match o.status {
                    Status::Built => {
                        page.status = PageStatus::Built;
                        page.diagnostics = o.warnings;
                        page.document = o.document;
                    }
                    Status::Failed(d) => {
                        page.status = PageStatus::Failed;
                        page.diagnostics = d.0;
                        page.diagnostics.extend(o.warnings);
                    }
                    Status::UpToDate => {
                        page.status = PageStatus::UpToDate;
                        if let Some(p) = prepared.get(&o.path) {
                            page.diagnostics = p.diagnostics.clone();
                            page.document = p.document.clone();
                        }
                    }
                    Status::NotStarted => {}
                }
            }
            for d in missing {
                let page = st.pages.entry(d.file.clone()).or_default();
                page.shown = display_path(&d.file);
                page.status = PageStatus::Failed;
                page.diagnostics = vec![d];
            }
        });
    }
}

/// The Document and warnings of an up-to-date agreement, for the preview.
fn prepare(path: &std::path::Path, project: &Project) -> Option<Page> {
    let profile = crate::profile::Profile::from_file(path).ok()?;
    let plan = crate::resolve::plan(&profile, &project.library).ok()?;
    let (a, warnings) = crate::batch::checked(&profile, &plan, project).ok()?;
    Some(Page {
        id: Some(profile.id.to_string()),
        shown: display_path(path),
        status: PageStatus::UpToDate,
        diagnostics: warnings,
        document: Some(Arc::new(a.document)),
    })
}
