//! One file per subcommand. Each turns its arguments into library options once and
//! returns a [`crate::failure::Result`]; `main` alone chooses the exit code.

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

mod amend;
mod build;
mod calendar;
mod check;
mod clauses;
mod diff;
mod lock;
mod man;
mod new;
mod renew;
mod review;
mod rules;
mod watch;

pub use amend::amend;
pub use build::build;
pub use calendar::calendar;
pub use check::check;
pub use clauses::{clauses_list, clauses_show, used_by};
pub use diff::diff;
pub use lock::lock;
pub use man::man;
pub use new::new_profile;
pub use renew::renew;
pub use review::review;
pub use rules::{rules_list, rules_show, rules_table};
pub use watch::{serve, watch};

use crate::diag::Diagnostic;
use crate::project::ProjectOptions;
use std::path::Path;

/// Prints diagnostics to stderr, rustc-style.
pub fn report(diags: &[Diagnostic]) {
    crate::report::eprint(diags);
}

/// The command line's project flags as the library's options: the one place they meet.
///
/// The default library `clauses`, when the current folder has none, is the project's,
/// found above as cargo finds its manifest ([`crate::config::discover`]).
fn project_options(library: &Path, max_clause_output: usize) -> ProjectOptions {
    let library = if library == Path::new(DEFAULT_LIBRARY) && !library.is_dir() {
        crate::config::discover().join(DEFAULT_LIBRARY)
    } else {
        library.to_path_buf()
    };
    ProjectOptions {
        library,
        max_clause_output,
    }
}

const DEFAULT_LIBRARY: &str = "clauses";
const DEFAULT_PROFILES: &str = "profiles";

/// The profile paths given, except that the default `profiles`, when the current
/// folder has none, is the project's (as for the library).
fn profile_paths(paths: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    match paths {
        [only] if only == Path::new(DEFAULT_PROFILES) && !only.exists() => {
            vec![crate::config::discover().join(DEFAULT_PROFILES)]
        }
        _ => paths.to_vec(),
    }
}
