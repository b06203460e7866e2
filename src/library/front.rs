//! Clause front matter: the `+++` TOML block at the top of a clause file.
use crate::check::codes;

use crate::diag::Diagnostic;
use crate::profile::toml_error;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default = "all_states")]
    pub states: Vec<String>,
    #[serde(default)]
    pub changes: String,
    /// Optional; when given it must agree with the folder name.
    pub id: Option<String>,
    /// Optional; when given it must agree with the file name.
    pub version: Option<String>,
}

fn all_states() -> Vec<String> {
    vec!["*".to_string()]
}

/// Splits a clause file into front matter and body. Returns the body and the 1-based
/// line on which it starts.
pub fn split<'a>(
    path: &Path,
    source: &'a str,
) -> Result<(FrontMatter, &'a str, usize), Diagnostic> {
    let missing = || {
        Diagnostic::error(
            codes::E0201,
            path,
            "a clause file must start with a `+++` line, then TOML front matter, then `+++`",
        )
        .at(1, 1)
    };
    let rest = source
        .strip_prefix("+++\n")
        .or_else(|| source.strip_prefix("+++\r\n"))
        .ok_or_else(missing)?;
    let header_start = source.len() - rest.len();
    let mut offset = 0;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let (end, body_start) = close.ok_or_else(|| {
        Diagnostic::error(
            codes::E0201,
            path,
            "front matter is not closed by a `+++` line",
        )
        .at(1, 1)
    })?;
    let header = &rest[..end];
    let front: FrontMatter = toml::from_str(header).map_err(|e| {
        let mut d = toml_error(path, header, &e).0.remove(0);
        d.code = match d.code {
            "E0103" => codes::E0203.id,
            _ => codes::E0202.id,
        };
        // Lines inside the header are offset by the opening `+++` line.
        if d.line > 0 {
            d.line += 1;
        }
        d
    })?;
    let body = &rest[body_start..];
    let body_line = source[..header_start + body_start].matches('\n').count() + 1;
    Ok((front, body, body_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let src = "+++\ntitle = \"Notices\"\ntags = [\"notices\"]\n+++\nBody {{ x }}\n";
        let (front, body, line) = split(Path::new("c.md"), src).unwrap();
        assert_eq!(front.title, "Notices");
        assert_eq!(front.states, vec!["*"]);
        assert_eq!(body, "Body {{ x }}\n");
        assert_eq!(line, 5);
    }

    #[test]
    fn unknown_key_is_located() {
        let src = "+++\ntitle = \"N\"\ntagz = []\n+++\nBody\n";
        let d = split(Path::new("c.md"), src).unwrap_err();
        assert_eq!(d.code, "E0203");
        assert_eq!(d.line, 3);
        assert!(d.help.unwrap().contains("tags"));
    }

    #[test]
    fn unclosed_is_an_error() {
        let d = split(Path::new("c.md"), "+++\ntitle = \"N\"\n").unwrap_err();
        assert_eq!(d.code, "E0201");
    }
}
