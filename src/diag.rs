//! One diagnostic type for every stage: loading, resolving, rendering and checking.
//! Library code returns these; only `main` decides how to print them and which exit code
//! follows.

use crate::check::codes::Code;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem with an input, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `E0103`.
    pub code: &'static str,
    pub file: PathBuf,
    /// 1-based; 0 when the problem has no position in the file.
    pub line: usize,
    /// 1-based; 0 when the problem has no position in the file.
    pub column: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The line pointed at, kept when the diagnostic is placed in text held in memory,
    /// so printing it needs no second read of the file.
    #[serde(skip)]
    pub snippet: Option<Box<crate::source::Snippet>>,
    /// The profile whose agreement the problem was found in, when it is not `file`
    /// itself (a clause file that fails for one profile's values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<PathBuf>,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: code.id,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            snippet: None,
            profile: None,
        }
    }

    pub fn warning(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// Places the diagnostic at a byte offset of `source`.
    pub fn at_offset(mut self, source: &str, offset: usize) -> Self {
        let (line, column) = line_col(source, offset);
        self.line = line;
        self.column = column;
        self.snippet = crate::source::Snippet::of_line(source, line, column).map(Box::new);
        self
    }

    /// Places the diagnostic at a byte range of `source`, underlining all of it (as far
    /// as its first line goes).
    pub fn at_span(self, source: &str, span: std::ops::Range<usize>) -> Self {
        let mut d = self.at_offset(source, span.start);
        let end = span.end.min(source.len());
        let width = source
            .get(span.start.min(end)..end)
            .map_or(0, |s| s.chars().count());
        d.snippet = d.snippet.map(|s| Box::new(s.with_width(width)));
        d
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.snippet = None;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// An error shown as a warning: what stops a final agreement, in a draft that may
    /// still build.
    pub fn downgraded(mut self) -> Self {
        if self.severity == Severity::Error {
            self.severity = Severity::Warning;
            self.message
                .push_str(" (a draft builds; a final agreement would not)");
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}[{}]: ", self.code)?;
        write!(f, "{}", display_path(&self.file))?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Paths print with forward slashes and without a leading `./`, the same on every run.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let mut start = offset;
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let before = &source[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    // A byte-order mark is not a character an editor shows: columns count from after it.
    let line_text = &before[line_start..];
    let line_text = line_text.strip_prefix('\u{feff}').unwrap_or(line_text);
    let column = line_text.chars().count() + 1;
    (line, column)
}

/// Several diagnostics from one run of a stage. Used as an error type so a stage can
/// report everything it found, not just the first problem.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate to `word`, when it is close enough to be a useful hint.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 9), (2, 3));
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let src = "\u{feff}monhts = 1\n";
        assert_eq!(line_col(src, 3), (1, 1));
        assert_eq!(line_col(src, 3 + 9), (1, 10));
    }

    #[test]
    fn suggestion() {
        assert_eq!(did_you_mean("tittle", ["title", "outline"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "outline"]), None);
    }
}
