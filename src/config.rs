//! `mou.toml`, the project file (SPEC §4), and project discovery: run from any folder
//! inside a project, `mou` finds the nearest folder above that holds `mou.toml` or
//! `clauses/`, as cargo finds `Cargo.toml`. The file is optional; without it a project
//! is its `clauses/` alone and the command line's defaults stand.
use crate::check::codes;

use crate::diag::Diagnostic;
use crate::render::Format;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The name of the project file.
pub const FILE: &str = "mou.toml";

/// A project file is a few lines; anything larger is the wrong file.
const MAX_CONFIG_BYTES: usize = 64 << 10;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    library: LibrarySection,
    #[serde(default)]
    build: BuildSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LibrarySection {
    #[serde(default)]
    paths: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BuildSection {
    formats: Option<Vec<String>>,
    out: Option<String>,
}

/// A read and checked `mou.toml`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file, and its text (for locating later problems, e.g. a layer cycle).
    pub path: PathBuf,
    pub source: String,
    /// `[library] paths`: each as written, and as a path from the current folder.
    pub libraries: Vec<(String, PathBuf)>,
    /// `[build] formats`, when given.
    pub formats: Option<Vec<Format>>,
    /// `[build] out`, as a path from the current folder.
    pub out: Option<PathBuf>,
}

impl Config {
    /// Places `d` on the first occurrence of `needle` in the file.
    pub fn locate(&self, d: Diagnostic, needle: &str) -> Diagnostic {
        match self.source.find(needle) {
            Some(o) => d.at_offset(&self.source, o),
            None => d,
        }
    }
}

/// The project folder above (or at) the current folder, as a relative path (`""`,
/// `..`, `../..`), so that every path made from it prints as the user would type it.
/// The current folder when no folder above holds `mou.toml` or `clauses/`.
pub fn discover() -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return PathBuf::new();
    };
    let mut up = PathBuf::new();
    for dir in cwd.ancestors() {
        if dir.join(FILE).is_file() || dir.join("clauses").is_dir() {
            return up;
        }
        up.push("..");
    }
    PathBuf::new()
}

/// Reads `mou.toml` in `root` if there is one. Every problem is a located error.
pub fn load(root: &Path) -> Result<Option<Config>, Vec<Diagnostic>> {
    let path = root.join(FILE);
    if !path.exists() {
        return Ok(None);
    }
    let source = crate::source::read_text(&path, MAX_CONFIG_BYTES).map_err(|e| {
        vec![Diagnostic::error(
            codes::E0230,
            &path,
            format!("cannot read the project file: {e}"),
        )]
    })?;
    let file: ConfigFile = toml::from_str(&source).map_err(|e| {
        let mut d = Diagnostic::error(
            codes::E0230,
            &path,
            format!("invalid project file: {}", e.message().trim()),
        )
        .with_help(
            "mou.toml holds [library] paths = [...] and [build] formats = [...], out = \"...\"",
        );
        if let Some(span) = e.span() {
            d = d.at_span(&source, span);
        }
        vec![d]
    })?;
    let mut config = Config {
        path: path.clone(),
        source,
        ..Config::default()
    };
    let mut diags = Vec::new();
    for written in &file.library.paths {
        let dir = root.join(written);
        if !dir.is_dir() {
            diags.push(
                config
                    .locate(
                        Diagnostic::error(
                            codes::E0231,
                            &path,
                            format!("library `{written}` not found"),
                        ),
                        &format!("\"{written}\""),
                    )
                    .with_help("paths in [library] are folders relative to the folder of mou.toml"),
            );
            continue;
        }
        config.libraries.push((written.clone(), dir));
    }
    if let Some(names) = &file.build.formats {
        let mut formats = Vec::new();
        for name in names {
            match Format::from_name(name) {
                Some(f) => formats.push(f),
                None => diags.push(
                    config
                        .locate(
                            Diagnostic::error(
                                codes::E0230,
                                &path,
                                format!("unknown output format \"{name}\""),
                            ),
                            &format!("\"{name}\""),
                        )
                        .with_help(format!(
                            "formats: {}",
                            Format::all()
                                .map(Format::name)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                ),
            }
        }
        config.formats = Some(formats);
    }
    config.out = file.build.out.as_ref().map(|o| root.join(o));
    if diags.is_empty() {
        Ok(Some(config))
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) {
        std::fs::write(dir.join(FILE), text).unwrap();
    }

    #[test]
    fn reads_libraries_formats_and_out() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("vendor/model")).unwrap();
        write(
            tmp.path(),
            "[library]\npaths = [\"vendor/model\"]\n[build]\nformats = [\"md\", \"docx\"]\nout = \"dist\"\n",
        );
        let c = load(tmp.path()).unwrap().unwrap();
        assert_eq!(c.libraries[0].0, "vendor/model");
        assert_eq!(c.formats.unwrap().len(), 2);
        assert_eq!(c.out.unwrap(), tmp.path().join("dist"));
    }

    #[test]
    fn unknown_keys_and_missing_libraries_are_located() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "[build]\nformat = [\"md\"]\n");
        let e = load(tmp.path()).unwrap_err();
        assert_eq!((e[0].code, e[0].line), ("E0230", 2));
        write(tmp.path(), "[library]\npaths = [\"nowhere\"]\n");
        let e = load(tmp.path()).unwrap_err();
        assert_eq!((e[0].code, e[0].line, e[0].column), ("E0231", 2, 10));
        write(tmp.path(), "[build]\nformats = [\"rtf\"]\n");
        assert_eq!(load(tmp.path()).unwrap_err()[0].code, "E0230");
    }

    #[test]
    fn no_file_is_no_config() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(load(tmp.path()).unwrap().is_none());
    }
}
