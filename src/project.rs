//! The project every command works on: the clause library, loaded once with its
//! templates compiled, and the operations commands share (which profiles, assemble
//! one, resolve all). As mdBook's `MDBook::load(..)`, commands are thin functions over
//! it. The library stack and `mou.toml` (overlays, vendored libraries) plug in here:
//! the layers below the overlays are read when the project opens, the overlays of the
//! agreements a command works on when it knows them ([`Project::add_overlays`]).

use crate::assemble::Assembled;
use crate::diag::{Diagnostic, Diagnostics};
use crate::failure::{Failure, Result};
use crate::library::Library;
use crate::lock::Locked;
use crate::profile::Profile;
use crate::template::Engine;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How to open a project: what the command line or a caller says.
#[derive(Debug, Clone)]
pub struct ProjectOptions {
    /// The clause library folder.
    pub library: PathBuf,
    /// Most bytes one rendered clause may have.
    pub max_clause_output: usize,
}

impl ProjectOptions {
    pub fn new(library: impl Into<PathBuf>) -> ProjectOptions {
        ProjectOptions {
            library: library.into(),
            max_clause_output: crate::template::MAX_CLAUSE_OUTPUT,
        }
    }
}

pub struct Project {
    /// The project's root: the folder holding the library, absolute. Paths that outputs
    /// record (the manifest's profile paths) are relative to it, so they are the same
    /// wherever a command runs and however a path was typed.
    pub root: PathBuf,
    pub library: Library,
    pub engine: Engine,
    /// What loading the library found: warnings, and errors when opened with
    /// [`Project::open`].
    pub diagnostics: Vec<Diagnostic>,
    /// `mou.toml`, when the project has one.
    pub config: Option<crate::config::Config>,
    /// The layers below the overlays, top down: (as written, folder).
    layers: Vec<(String, PathBuf)>,
}

impl Project {
    /// Loads the library and compiles its templates, keeping every problem found in
    /// [`Project::diagnostics`]: for commands that report a broken library rather than
    /// stop at it (`check`, `clauses list`).
    pub fn open(opts: &ProjectOptions) -> Project {
        let holder = holder_of(&opts.library);
        let mut diagnostics = Vec::new();
        let config = match crate::config::load(&holder) {
            Ok(c) => c,
            Err(d) => {
                diagnostics.extend(d);
                None
            }
        };
        let mut layers = vec![(
            crate::diag::display_path(&opts.library),
            opts.library.clone(),
        )];
        if let Some(c) = &config {
            layers.extend(c.libraries.iter().cloned());
            diagnostics.extend(crate::library::stack::cycles(&layers, |name, msg| {
                c.locate(
                    crate::library::stack::cycle_error(&c.path, msg),
                    &format!("\"{name}\""),
                )
            }));
        }
        let shared = if diagnostics.is_empty() {
            &layers[1..]
        } else {
            &[][..]
        };
        let (library, load_diags) = crate::library::stack::load(&opts.library, shared);
        diagnostics.extend(load_diags);
        let (mut engine, template_diags) = Engine::for_library(&library);
        diagnostics.extend(template_diags);
        engine.set_output_limit(opts.max_clause_output);
        Project {
            root: root_of(&opts.library),
            library,
            engine,
            diagnostics,
            config,
            layers,
        }
    }

    /// Reads the overlay folder and the exhibit files of each profile in `paths` (SPEC
    /// §2, §4) and registers their templates with the engine, all in one batch. What
    /// is wrong in an overlay or an exhibit file is kept with it
    /// (`Library::overlay_problems`) and fails only the agreements that use it. A
    /// profile that does not parse is skipped here: loading it reports why.
    pub fn add_overlays(&mut self, paths: &[PathBuf]) {
        #[derive(serde::Deserialize, Default)]
        struct Clauses {
            local: Option<String>,
        }
        #[derive(serde::Deserialize, Default)]
        struct Exhibit {
            file: Option<String>,
        }
        #[derive(serde::Deserialize, Default)]
        struct Just {
            #[serde(default)]
            clauses: Clauses,
            #[serde(default)]
            exhibits: Vec<Exhibit>,
        }
        let mut dirs: std::collections::BTreeSet<PathBuf> = Default::default();
        let mut files = Vec::new();
        for path in paths {
            // Only these keys are read; a profile that names neither needs no parse.
            let text = crate::source::read_text(path, crate::profile::MAX_PROFILE_BYTES).ok();
            let just = text
                .filter(|t| t.contains("local") || t.contains("exhibits"))
                .and_then(|t| toml::from_str::<Just>(&t).ok())
                .unwrap_or_default();
            let local = just.clauses.local;
            if let Some(dir) = crate::library::stack::overlay_dir(path, local.as_deref())
                && dir.is_dir()
            {
                dirs.insert(dir);
            }
            for file in just.exhibits.into_iter().filter_map(|e| e.file) {
                if let Ok(at) = crate::exhibits::file_path(path, &file)
                    && !self.library.exhibit_files.contains_key(&at)
                    && !files.iter().any(|(p, _)| *p == at)
                {
                    let read = crate::exhibits::read_file(path, &at);
                    files.push((at, read));
                }
            }
        }
        let mut loaded = Vec::new();
        for dir in dirs {
            if self.library.overlays.contains_key(&dir) {
                continue;
            }
            let shown = crate::diag::display_path(&dir);
            let mut layers = self.layers.clone();
            layers.insert(0, (shown.clone(), dir.clone()));
            let cycle = crate::library::stack::cycles(&layers, |_, msg| {
                crate::library::stack::cycle_error(&dir, msg)
            });
            if !cycle.is_empty() {
                self.library.overlay_problems.insert(dir, cycle);
                continue;
            }
            let (overlay, diags) = crate::library::stack::load_overlay(&dir, &shown);
            if !diags.is_empty() {
                self.library.overlay_problems.insert(dir.clone(), diags);
            }
            loaded.push((dir, overlay));
        }
        if loaded.is_empty() && files.is_empty() {
            return;
        }
        let exhibits = files.iter().filter_map(|(_, r)| r.as_ref().ok());
        let diags = self.engine.add_overlays(
            loaded
                .iter()
                .flat_map(|(_, o)| o.all_versions())
                .chain(exhibits),
        );
        // A problem in one agreement's overlay or exhibit file fails that agreement
        // (resolve reports it), not the batch.
        for d in diags {
            let owner = loaded
                .iter()
                .map(|(dir, _)| dir)
                .find(|dir| d.file.starts_with(dir))
                .or_else(|| files.iter().map(|(f, _)| f).find(|f| d.file == **f));
            match owner {
                Some(key) => self
                    .library
                    .overlay_problems
                    .entry(key.clone())
                    .or_default()
                    .push(d),
                None => self.diagnostics.push(d),
            }
        }
        self.library.overlays.extend(loaded);
        self.library.exhibit_files.extend(files);
    }

    /// [`Project::open`], failing when the library has an error: a build never uses
    /// a library that is partly broken. `refused` says what was not done
    /// ("nothing was built").
    pub fn load(opts: &ProjectOptions, refused: &str) -> Result<Project> {
        let project = Project::open(opts);
        if project.has_errors() {
            return Err(Failure::invalid(
                project.diagnostics,
                format!("the clause library has errors; {refused}"),
            ));
        }
        Ok(project)
    }

    /// [`Project::add_overlays`], failing as [`Project::load`] does when an overlay
    /// has an error.
    pub fn with_overlays(mut self, paths: &[PathBuf], refused: &str) -> Result<Project> {
        self.add_overlays(paths);
        if self.has_errors() {
            return Err(Failure::invalid(
                self.diagnostics,
                format!("the clause library has errors; {refused}"),
            ));
        }
        Ok(self)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The profiles `paths` name (files as given, folders searched for `*.toml`) and a
    /// diagnostic for each path that names nothing.
    pub fn profiles(&self, paths: &[PathBuf]) -> Result<crate::discover::Found> {
        crate::discover::discover(paths).map_err(Failure::from)
    }

    /// One profile, loaded and assembled into its Document.
    pub fn assemble(&self, path: &Path) -> std::result::Result<Assembled, Diagnostics> {
        let profile = Profile::from_file(path)?;
        crate::assemble::assemble(&profile, &self.library, &self.engine)
    }

    /// What each profile resolves to now (id → clause versions), for the lock file and
    /// `used-by`. Profiles that do not load or resolve are left out.
    pub fn resolve_all(&self, paths: &[PathBuf]) -> BTreeMap<String, Locked> {
        crate::lock::resolve_all(paths, &self.library)
    }
}

/// The folder holding `library`, as a path from the current folder (`mou.toml` is
/// read there).
fn holder_of(library: &Path) -> PathBuf {
    match (library.file_name(), library.parent()) {
        (Some(_), Some(p)) if !p.as_os_str().is_empty() => p.to_path_buf(),
        (Some(_), _) => PathBuf::from("."),
        (None, _) => library.join(".."),
    }
}

/// The folder holding `library`, absolute and with symbolic links resolved (the
/// library folder itself is not resolved: a linked library keeps its project). The
/// current folder when that cannot be found.
fn root_of(library: &Path) -> PathBuf {
    let holder = match (library.file_name(), library.parent()) {
        (Some(_), Some(p)) if !p.as_os_str().is_empty() => p.to_path_buf(),
        (Some(_), _) => PathBuf::from("."),
        // `.`, `..` or `/`: the folder above.
        (None, _) => library.join(".."),
    };
    holder
        .canonicalize()
        .or_else(|_| std::env::current_dir())
        .unwrap_or_default()
}
