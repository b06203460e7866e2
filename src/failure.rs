//! How a command fails. Commands return these; only `main` prints them and turns them
//! into exit codes (0 success, 1 an input or the library failed, 2 a usage error,
//! 128 + N a build stopped by signal N), so no command picks a number and every usage
//! error is 2 wherever it is found.

use crate::diag::Diagnostic;

#[derive(Debug)]
pub enum Failure {
    /// The command line asks for something that cannot be done as asked (exit 2).
    Usage(String),
    /// Inputs are wrong: the diagnostics say where, the message what was not done
    /// (exit 1).
    Invalid {
        diagnostics: Vec<Diagnostic>,
        message: Option<String>,
    },
    /// The command has already said everything (a batch with failed agreements, `check`
    /// finding errors, `diff --exit-code` finding differences): exit 1, print nothing.
    Reported,
    /// Anything else: a file that cannot be written, a lock file that cannot be read
    /// (exit 1).
    Other(anyhow::Error),
    /// Stopped by signal N (SIGINT, SIGTERM) after saying what was done: exit 128 + N,
    /// the shells' convention (130, 143).
    Interrupted(i32),
}

impl Failure {
    /// Diagnostics with a closing message (`nothing was built`).
    pub fn invalid(diagnostics: Vec<Diagnostic>, message: impl Into<String>) -> Failure {
        Failure::Invalid {
            diagnostics,
            message: Some(message.into()),
        }
    }

    /// A plain message, no diagnostics.
    pub fn message(message: impl Into<String>) -> Failure {
        Failure::invalid(Vec::new(), message)
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Invalid { .. } | Failure::Reported | Failure::Other(_) => 1,
            Failure::Interrupted(signal) => u8::try_from(128 + signal).unwrap_or(1),
        }
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure::Invalid {
            diagnostics,
            message: None,
        }
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure::from(vec![d])
    }
}

impl From<crate::diag::Diagnostics> for Failure {
    fn from(d: crate::diag::Diagnostics) -> Failure {
        Failure::from(d.0)
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Other(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::Other(e.into())
    }
}

/// What a command returns.
pub type Result<T = ()> = std::result::Result<T, Failure>;
