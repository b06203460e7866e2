//! One file per subcommand; each returns the exit code it wants.

mod build;
mod check;
mod clauses;
mod diff;
mod lock;
mod new;

pub use build::build;
pub use check::check;
pub use clauses::{clauses_list, clauses_show, used_by};
pub use diff::diff;
pub use lock::lock;
pub use new::new_profile;

use crate::diag::Diagnostic;

/// Prints diagnostics to stderr, rustc-style.
pub fn report(diags: &[Diagnostic]) {
    crate::report::eprint(diags);
}

/// Loads the library and its templates; every problem is fatal for a build.
pub fn load_library(
    root: &std::path::Path,
) -> (
    crate::library::Library,
    crate::template::Engine,
    Vec<Diagnostic>,
) {
    let (lib, mut diags) = crate::library::Library::load(root);
    let (engine, template_diags) = crate::template::Engine::for_library(&lib);
    diags.extend(template_diags);
    (lib, engine, diags)
}
