//! One file per subcommand; each returns the exit code it wants.

/// Writes a line to stderr. A closed stderr (`mou … 2>&1 | head`) is not worth a
/// panic: the message is dropped.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Writes a line to stdout, ignoring a closed pipe.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Writes text to stdout as it is, ignoring a closed pipe.
#[macro_export]
macro_rules! out_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

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
