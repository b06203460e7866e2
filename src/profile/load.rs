//! Reading a profile: bounded read, UTF-8, TOML with spans, then validation. Parsing
//! takes text ([`Profile::parse`]), so tests and the fuzzer need no files.
use crate::check::codes;

use super::validate::validate;
use super::{Profile, RawProfile};
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::ids::{AgreementId, StateCode};
use std::collections::BTreeMap;
use std::path::Path;

/// Profiles larger than this are refused before parsing.
pub const MAX_PROFILE_BYTES: usize = 1 << 20;

impl Profile {
    /// Reads and loads a profile file (a regular file of at most 1 MiB).
    pub fn from_file(path: &Path) -> Result<Profile, Diagnostics> {
        use crate::source::SourceError;
        match crate::source::read_bytes(path, MAX_PROFILE_BYTES) {
            Ok(bytes) => Profile::from_bytes(path, bytes),
            Err(SourceError::TooLarge { .. }) => Err(too_large(path).into()),
            Err(e) => {
                Err(
                    Diagnostic::error(codes::E0001, path, format!("cannot read profile: {e}"))
                        .into(),
                )
            }
        }
    }

    /// Loads a profile from the bytes of its file: size limit, UTF-8, then [`Profile::parse`].
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Profile, Diagnostics> {
        if bytes.len() > MAX_PROFILE_BYTES {
            return Err(too_large(path).into());
        }
        let source = crate::source::text_from_bytes(bytes).map_err(|e| match e {
            crate::source::SourceError::NotUtf8 { offset, lossy } => {
                Diagnostic::error(codes::E0003, path, "profile is not valid UTF-8")
                    .at_offset(&lossy, offset)
            }
            e => Diagnostic::error(codes::E0001, path, format!("cannot read profile: {e}")),
        })?;
        Profile::parse(path, source)
    }

    /// Loads a profile from text; `path` is used for messages and the default id.
    pub fn parse(path: &Path, source: String) -> Result<Profile, Diagnostics> {
        let (raw, bases) = if super::extends::names_base(&source) {
            let (raw, bases) = parse_extending(path, &source)?;
            (raw, bases)
        } else {
            (parse_alone(path, &source)?, Vec::new())
        };
        let id_text = match &raw.agreement.id {
            Some(id) => id.clone(),
            None => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let mut diags = Vec::new();
        let id = AgreementId::parse(&id_text).unwrap_or_else(|| {
            diags.push(invalid_id(path, &source, &raw, &id_text));
            AgreementId::stand_in()
        });
        let state = &raw.agreement.state;
        let state = StateCode::parse(state).unwrap_or_else(|| {
            diags.push(super::Locator::new(path, &source).error(
                codes::E0111,
                &["agreement", "state"],
                format!(
                    "expected a two-letter upper-case state code such as \"CT\", found \"{}\"",
                    state.escape_default()
                ),
            ));
            StateCode::stand_in()
        });
        let mut profile = Profile {
            path: path.to_path_buf(),
            state,
            source,
            id,
            raw,
            funding: None,
            versions: BTreeMap::new(),
            bases,
        };
        validate(&mut profile, &mut diags);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Diagnostics(diags));
        }
        Ok(profile)
    }
}

/// A profile that extends nothing: serde, then (when it refuses) every problem of shape.
fn parse_alone(path: &Path, source: &str) -> Result<RawProfile, Diagnostics> {
    toml::from_str(source).map_err(|e| {
        let first = toml_error(path, source, &e);
        if first.0.iter().any(|d| d.code == "E0101") {
            return first; // not TOML: nothing to walk
        }
        // serde stops at the first problem; report every one of its kind at once.
        let mut all = super::shape::problems(path, source);
        for d in first.0 {
            if !all.iter().any(|a| (a.line, a.column) == (d.line, d.column)) {
                all.push(d);
            }
        }
        Diagnostics(all)
    })
}

/// A profile with `extends`: its own file and each base checked for shape on their own
/// (so each problem is located in its file), then the merged tables deserialized.
fn parse_extending(
    path: &Path,
    source: &str,
) -> Result<(RawProfile, Vec<super::extends::Base>), Diagnostics> {
    let own = toml::from_str::<toml::Table>(source).map_err(|e| toml_error(path, source, &e))?;
    let shape = super::shape::problems(path, source);
    if !shape.is_empty() {
        return Err(Diagnostics(shape));
    }
    let Some((merged, bases)) = super::extends::resolve(path, source, own)? else {
        return Ok((parse_alone(path, source)?, Vec::new()));
    };
    let raw = toml::Value::Table(merged)
        .try_into::<RawProfile>()
        .map_err(|e| {
            let names: Vec<String> = bases
                .iter()
                .map(|b| crate::diag::display_path(&b.path))
                .collect();
            let mut d = toml_error(path, "", &e);
            for diag in &mut d.0 {
                diag.help = Some(format!(
                    "found in this profile merged with {}",
                    names.join(", ")
                ));
            }
            d
        })?;
    Ok((raw, bases))
}

fn invalid_id(path: &Path, source: &str, raw: &RawProfile, id: &str) -> Diagnostic {
    let what = if raw.agreement.id.is_some() {
        "agreement.id"
    } else {
        "the file name"
    };
    super::Locator::new(path, source)
        .error(
            codes::E0110,
            &["agreement", "id"],
            format!(
                "invalid agreement id \"{}\" (from {what}): use lower-case letters, digits and '-'",
                id.escape_default()
            ),
        )
        .with_help("set `id = \"city-year\"` under [agreement]")
}

fn too_large(path: &Path) -> Diagnostic {
    Diagnostic::error(
        codes::E0002,
        path,
        format!("profile is larger than the limit of 1 MiB ({MAX_PROFILE_BYTES} bytes)"),
    )
}

/// Turns a toml/serde error into a located diagnostic, adding "did you mean" to unknown
/// keys and the valid choices to unknown variants.
pub fn toml_error(path: &Path, source: &str, e: &toml::de::Error) -> Diagnostics {
    let message = e.message().trim().to_string();
    let (code, help) = classify(&message);
    let mut d = Diagnostic::error(code, path, message);
    if let Some(span) = e.span() {
        d = d.at_span(source, span);
    }
    if let Some(help) = help {
        d = d.with_help(help);
    }
    d.into()
}

fn classify(message: &str) -> (codes::Code, Option<String>) {
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.starts_with("unknown field") {
        let help = ticked
            .first()
            .and_then(|word| did_you_mean(word, ticked.iter().skip(1).copied()))
            .map(|s| format!("did you mean `{s}`?"));
        (codes::E0103, help)
    } else if message.starts_with("unknown variant") {
        let found = ticked.first().copied().unwrap_or_default();
        let choices = ticked.iter().skip(1).copied();
        let help = match did_you_mean(found, choices.clone()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "valid values: {}",
                choices
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        (codes::E0104, Some(help))
    } else if message.starts_with("missing field") {
        (codes::E0105, None)
    } else if message.starts_with("invalid type") || message.contains("expected a date") {
        (codes::E0102, None)
    } else {
        (codes::E0101, None)
    }
}
