//! The project every command works on: the clause library, loaded once with its
//! templates compiled, and the operations commands share (which profiles, assemble
//! one, resolve all). As mdBook's `MDBook::load(..)`, commands are thin functions over
//! it. The library stack and `mou.toml` (overlays, vendored libraries) plug in here.

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
}

impl Project {
    /// Loads the library and compiles its templates, keeping every problem found in
    /// [`Project::diagnostics`]: for commands that report a broken library rather than
    /// stop at it (`check`, `clauses list`).
    pub fn open(opts: &ProjectOptions) -> Project {
        let (library, mut diagnostics) = Library::load(&opts.library);
        let (mut engine, template_diags) = Engine::for_library(&library);
        diagnostics.extend(template_diags);
        engine.set_output_limit(opts.max_clause_output);
        Project {
            root: root_of(&opts.library),
            library,
            engine,
            diagnostics,
        }
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
