//! Every input file is read here: regular files only (a FIFO would hang the run,
//! `/dev/zero` would never end), never more than a limit, and as UTF-8. Diagnostics keep
//! the one line they point at ([`Snippet`]), clipped around the column, so printing an
//! error never re-reads or quotes more of a file than the offending line.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read as a source.
#[derive(Debug)]
pub enum SourceError {
    Io(std::io::Error),
    /// A folder, FIFO, socket or device.
    NotRegular,
    /// More than `limit` bytes.
    TooLarge {
        limit: usize,
    },
    /// Not UTF-8: where the first bad byte is, and the text read lossily (for a
    /// located diagnostic).
    NotUtf8 {
        offset: usize,
        lossy: String,
    },
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceError::Io(e) => write!(f, "{e}"),
            SourceError::NotRegular => f.write_str("not a regular file"),
            SourceError::TooLarge { limit } => write!(
                f,
                "file is larger than the limit of {} ({limit} bytes)",
                human(*limit)
            ),
            SourceError::NotUtf8 { .. } => f.write_str("file is not valid UTF-8"),
        }
    }
}

impl std::error::Error for SourceError {}

fn human(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// The bytes of a regular file of at most `limit` bytes. Reads at most one byte past
/// the limit, so a huge file is refused without being loaded.
pub fn read_bytes(path: &Path, limit: usize) -> Result<Vec<u8>, SourceError> {
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(SourceError::Io)?;
    if !meta.is_file() {
        return Err(SourceError::NotRegular);
    }
    let file = std::fs::File::open(path).map_err(SourceError::Io)?;
    // And after: the path may have been swapped in between.
    if !file.metadata().map_err(SourceError::Io)?.is_file() {
        return Err(SourceError::NotRegular);
    }
    let mut bytes = Vec::with_capacity((meta.len() as usize).min(limit) + 1);
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(SourceError::Io)?;
    if bytes.len() > limit {
        return Err(SourceError::TooLarge { limit });
    }
    Ok(bytes)
}

/// The text of a regular UTF-8 file of at most `limit` bytes. A leading byte-order
/// mark is kept: callers that parse (TOML) strip it themselves.
pub fn read_text(path: &Path, limit: usize) -> Result<String, SourceError> {
    text_from_bytes(read_bytes(path, limit)?)
}

pub fn text_from_bytes(bytes: Vec<u8>) -> Result<String, SourceError> {
    String::from_utf8(bytes).map_err(|e| SourceError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
        lossy: String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Characters of a source line shown on each side of the column: a minified
/// one-megabyte line prints as a short window, not whole.
const SNIPPET_REACH: usize = 80;

/// The line a diagnostic points at, as printed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The line's text, clipped to about [`SNIPPET_REACH`] characters either side of
    /// the column, with `…` where it was cut.
    pub text: String,
    /// 1-based column, in characters, within `text`.
    pub column: usize,
    /// Characters to underline from the column; 0 when unknown (the printer then
    /// underlines the token there).
    pub width: usize,
}

impl Snippet {
    /// Line `line` (1-based) of `source`, clipped around `column` (1-based, in
    /// characters).
    pub fn of_line(source: &str, line: usize, column: usize) -> Option<Snippet> {
        let text = source.split('\n').nth(line.checked_sub(1)?)?;
        let text = text.strip_suffix('\r').unwrap_or(text);
        // Columns count from after a byte-order mark (see `diag::line_col`).
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Some(Snippet::clip(text, column))
    }

    /// Underlines `width` characters from the column, no further than the line shows.
    pub fn with_width(mut self, width: usize) -> Snippet {
        let shown = self.text.chars().count() + 1 - self.column.min(self.text.chars().count() + 1);
        self.width = width.min(shown);
        self
    }

    fn clip(text: &str, column: usize) -> Snippet {
        let chars = text.chars().count();
        let col = column.max(1) - 1;
        let from = col.saturating_sub(SNIPPET_REACH);
        let to = (col + SNIPPET_REACH).min(chars);
        if from == 0 && to == chars {
            return Snippet {
                text: text.to_string(),
                column: column.max(1),
                width: 0,
            };
        }
        let mut clipped = String::new();
        if from > 0 {
            clipped.push('…');
        }
        clipped.extend(text.chars().skip(from).take(to - from));
        if to < chars {
            clipped.push('…');
        }
        Snippet {
            text: clipped,
            column: col - from + 1 + usize::from(from > 0),
            width: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_bytes(dir.path(), 10),
            Err(SourceError::NotRegular)
        ));
        #[cfg(unix)]
        assert!(matches!(
            read_bytes(Path::new("/dev/zero"), 10),
            Err(SourceError::NotRegular)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("p.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here: nothing to test against
        }
        assert!(matches!(
            read_bytes(&fifo, 10),
            Err(SourceError::NotRegular)
        ));
    }

    #[test]
    fn limit_and_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, b"0123456789").unwrap();
        assert_eq!(read_text(&p, 10).unwrap(), "0123456789");
        assert!(matches!(
            read_text(&p, 9),
            Err(SourceError::TooLarge { limit: 9 })
        ));
        std::fs::write(&p, b"ab\xffcd").unwrap();
        match read_text(&p, 10) {
            Err(SourceError::NotUtf8 { offset, .. }) => assert_eq!(offset, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn snippets_are_one_line_clipped_around_the_column() {
        let src = "a = 1\r\nmonhts = 10\n";
        let s = Snippet::of_line(src, 1, 1).unwrap();
        assert_eq!((s.text.as_str(), s.column), ("a = 1", 1));
        let s = Snippet::of_line(src, 2, 10).unwrap();
        assert_eq!((s.text.as_str(), s.column), ("monhts = 10", 10));
        assert!(Snippet::of_line(src, 4, 1).is_none());
        let long = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let s = Snippet::of_line(&long, 1, 5001).unwrap();
        assert!(
            s.text.chars().count() <= 2 * SNIPPET_REACH + 2,
            "{}",
            s.text
        );
        assert_eq!(s.text.chars().nth(s.column - 1), Some('X'));
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
    }
}
