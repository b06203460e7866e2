//! Prints diagnostics: rustc-style with the source line and a caret (codespan-reporting),
//! colour only on a terminal and never with NO_COLOR; or one JSON object per line.

use crate::diag::{Diagnostic, Severity, display_path};
use crate::source::Snippet;
use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};
use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Text,
    Json,
}

/// Colour is for people: only when stderr is a terminal and NO_COLOR is unset.
pub fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Most bytes of a file read to show the line of a diagnostic that did not keep it.
const MAX_SHOWN_FILE: usize = 4 << 20;

/// Diagnostics as text, in the order given. Each shows only its own line: kept in the
/// diagnostic, or read back through the bounded reader of [`crate::source`].
pub fn to_text(diags: &[Diagnostic]) -> String {
    let config = Config::default();
    let mut out = String::new();
    for d in diags {
        let snippet = d.snippet.as_deref().cloned().or_else(|| line_from_file(d));
        let shown_column = snippet.as_ref().map(|s| s.column);
        let mut files = SimpleFiles::new();
        let report = match snippet {
            Some(snippet) if d.line > 0 => {
                // Blank lines stand for the ones before, so codespan numbers the line
                // as in the file without holding the file.
                let mut source = "\n".repeat(d.line - 1);
                source.push_str(&printable(&snippet.text));
                let mut range = span(&source, d.line, snippet.column);
                if snippet.width > 0 {
                    let end: usize = source[range.start..]
                        .chars()
                        .take(snippet.width)
                        .map(char::len_utf8)
                        .sum();
                    range.end = range.start + end;
                }
                let id = files.add(display_path(&d.file), source);
                base(d).with_labels(vec![Label::primary(id, range)])
            }
            _ => {
                // No position to show: name the file in the message.
                let mut r = base(d);
                r.message = format!("{}: {}", display_path(&d.file), printable(&d.message));
                r
            }
        };
        let mut one = String::new();
        if term::emit_to_string(&mut one, &config, &files, &report).is_err() {
            out.push_str(&printable(&d.to_string()));
            out.push('\n');
            continue;
        }
        // A clipped line shows the column within the clip; the header names the
        // column in the file.
        if let Some(shown) = shown_column.filter(|c| *c != d.column) {
            let file = display_path(&d.file);
            let clipped = format!("{file}:{}:{shown}", d.line);
            one = one.replacen(&clipped, &format!("{file}:{}:{}", d.line, d.column), 1);
        }
        out.push_str(&one);
    }
    out
}

fn line_from_file(d: &Diagnostic) -> Option<Snippet> {
    if d.line == 0 {
        return None;
    }
    let bytes = crate::source::read_bytes(&d.file, MAX_SHOWN_FILE).ok()?;
    Snippet::of_line(&String::from_utf8_lossy(&bytes), d.line, d.column)
}

/// Control characters (a terminal escape sequence in a profile value, a NUL) are shown
/// escaped, never sent to the terminal as they are.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn base(d: &Diagnostic) -> Report<usize> {
    let r = match d.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    };
    let mut r = r.with_code(d.code).with_message(printable(&d.message));
    if let Some(help) = &d.help {
        r = r.with_notes(vec![format!("help: {}", printable(help))]);
    }
    r
}

/// Byte range of the token at a 1-based line and column.
fn span(source: &str, line: usize, column: usize) -> std::ops::Range<usize> {
    let start_of_line: usize = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let text = source[start_of_line.min(source.len())..]
        .lines()
        .next()
        .unwrap_or("");
    let col_byte: usize = text
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let start = (start_of_line + col_byte).min(source.len());
    let rest = &source[start..];
    let token = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '=' | ',' | ']' | '}'))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    start..start + token.max(rest.chars().next().map_or(0, char::len_utf8))
}

/// Warnings of a batch counted by code, for a summary in place of thousands of lines.
#[derive(Default)]
pub struct Tally {
    /// code → (count, agreements, the first place it was found)
    codes: std::collections::BTreeMap<&'static str, (usize, usize, String)>,
}

impl Tally {
    pub fn add(&mut self, profile: &std::path::Path, warnings: &[Diagnostic]) {
        let mut seen = std::collections::BTreeSet::new();
        for d in warnings {
            let e = self.codes.entry(d.code).or_insert_with(|| {
                let at = if d.line > 0 {
                    format!("{}:{}:{}", display_path(&d.file), d.line, d.column)
                } else {
                    display_path(&d.file)
                };
                (0, 0, format!("{at} (for {})", display_path(profile)))
            });
            e.0 += 1;
            if seen.insert(d.code) {
                e.1 += 1;
            }
        }
    }

    /// One line per code, then how to see each warning; nothing when there were none.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .codes
            .iter()
            .map(|(code, (n, agreements, first))| {
                let name = crate::check::codes::name(code).unwrap_or("");
                format!(
                    "warning[{code}] {name}: {n} in {agreements} agreement(s), first at {first}"
                )
            })
            .collect();
        if !out.is_empty() {
            out.push(
                "see each warning with --warnings=all, or `mou check --format json`".to_string(),
            );
        }
        out
    }
}

/// One JSON object per diagnostic, one per line.
pub fn to_json_lines(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let mut obj = serde_json::json!({
            "severity": d.severity,
            "code": d.code,
            "file": display_path(&d.file),
            "line": d.line,
            "column": d.column,
            "message": d.message,
        });
        if let Some(help) = &d.help {
            obj["help"] = serde_json::Value::from(help.as_str());
        }
        if let Some(profile) = &d.profile {
            obj["profile"] = serde_json::Value::from(display_path(profile));
        }
        out.push_str(&obj.to_string());
        out.push('\n');
    }
    out
}

/// Prints to stderr (text) in colour where appropriate.
pub fn eprint(diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    if use_color() {
        let writer = codespan_reporting::term::termcolor::StandardStream::stderr(
            codespan_reporting::term::termcolor::ColorChoice::Auto,
        );
        let mut lock = writer.lock();
        for d in diags {
            let text = to_text(std::slice::from_ref(d));
            let _ = write_colored(&mut lock, d, &text);
        }
    } else {
        let _ = std::io::stderr()
            .lock()
            .write_all(to_text(diags).as_bytes());
    }
}

fn write_colored(
    w: &mut impl codespan_reporting::term::termcolor::WriteColor,
    d: &Diagnostic,
    text: &str,
) -> std::io::Result<()> {
    use codespan_reporting::term::termcolor::{Color, ColorSpec};
    let color = match d.severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
    };
    let (head, tail) = text.split_once('\n').unwrap_or((text, ""));
    w.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
    writeln!(w, "{head}")?;
    w.reset()?;
    write!(w, "{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::codes;

    #[test]
    fn span_covers_the_token() {
        let src = "a = 1\nmonhts = 10\n";
        assert_eq!(span(src, 2, 1), 6..12);
        assert_eq!(&src[span(src, 2, 10)], "10");
    }

    #[test]
    fn text_shows_source_line_and_caret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, "a = 1\nmonhts = 10\n").unwrap();
        let d = Diagnostic::error(codes::E0103, &path, "unknown field `monhts`")
            .at(2, 1)
            .with_help("did you mean `months`?");
        let text = to_text(&[d]);
        assert!(
            text.starts_with("error[E0103]: unknown field `monhts`"),
            "{text}"
        );
        assert!(text.contains("p.toml:2:1"), "{text}");
        assert!(text.contains("monhts = 10"), "{text}");
        assert!(text.contains("^^^^^^"), "{text}");
        assert!(text.contains("= help: did you mean `months`?"), "{text}");
    }

    #[test]
    fn text_shows_only_the_line_and_escapes_control_characters() {
        let src = format!(
            "a = 1\nname = \"\u{1b}[2J{}\"\nsecret = 2\n",
            "x".repeat(3000)
        );
        let d = Diagnostic::error(codes::E0103, "p.toml", "bad \u{1b}[2J value").at_offset(&src, 6);
        let text = to_text(&[d]);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("\\u{1b}[2J"), "{text}");
        assert!(!text.contains("secret"), "{text}");
        assert!(text.len() < 1000, "a long line is clipped: {text}");
        assert!(text.contains("p.toml:2:1"), "{text}");
        // Far into a long line, the header still names the column in the file.
        let far = src.find("xxxxx").unwrap() + 2000;
        let d = Diagnostic::error(codes::E0103, "p.toml", "far").at_offset(&src, far);
        let text = to_text(std::slice::from_ref(&d));
        assert!(
            text.contains(&format!("p.toml:2:{}", d.column)),
            "{} in {text}",
            d.column
        );
    }

    #[test]
    fn json_lines() {
        let d = Diagnostic::warning(codes::W0501, "p.toml", "short notice").at(3, 4);
        let text = to_json_lines(&[d]);
        let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(v["severity"], "warning");
        assert_eq!(v["line"], 3);
        assert!(v.get("help").is_none());
    }
}
