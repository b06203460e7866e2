//! Profiles: one TOML file per agreement (SPEC §2). Loading parses with spans kept,
//! validates once, and derives the computed values, so later stages never re-check.

mod date;
mod funding;
mod locate;

pub use date::Date;
pub use funding::{ContractYear, Funding, Payment};
pub use locate::Locator;

use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Profiles larger than this are refused before parsing.
pub const MAX_PROFILE_BYTES: usize = 1 << 20;
/// More schools than this are refused.
pub const MAX_SCHOOLS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Draft,
    Final,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AgencyKind {
    #[default]
    Police,
    Sheriff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Elementary,
    Middle,
    High,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Renewal {
    #[default]
    None,
    Annual,
    Automatic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Indemnity {
    #[default]
    Mutual,
    Agency,
    School,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Overtime {
    School,
    Agency,
    #[default]
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Billing {
    Installments,
    Monthly,
    Bimonthly,
    Quarterly,
    Semester,
    #[default]
    Annual,
}

/// The profile exactly as written. Every value a draft may leave blank is an `Option`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub agreement: RawAgreement,
    pub school: RawParty,
    pub agency: RawAgency,
    pub schools: Vec<RawSchool>,
    #[serde(default)]
    pub staffing: RawStaffing,
    pub term: RawTerm,
    pub funding: RawFunding,
    pub insurance: RawInsurance,
    #[serde(default)]
    pub clauses: RawClauses,
    #[serde(default)]
    pub vars: toml::Table,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgreement {
    pub id: Option<String>,
    pub title: Option<String>,
    pub outline: Option<String>,
    pub state: String,
    pub date: Option<Date>,
    pub status: Status,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    pub name: Option<String>,
    pub short_name: Option<String>,
    #[serde(default)]
    pub signatory: Signatory,
    pub notice_address: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgency {
    pub name: Option<String>,
    pub kind: AgencyKind,
    pub government: Option<String>,
    pub short_name: Option<String>,
    #[serde(default)]
    pub signatory: Signatory,
    pub notice_address: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchool {
    pub name: String,
    pub level: Level,
    #[serde(default = "one")]
    pub officers: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStaffing {
    pub officer_title: Option<String>,
    pub abbreviation: Option<String>,
    #[serde(default)]
    pub supervisors: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub start: Option<Date>,
    pub end: Option<Date>,
    #[serde(default)]
    pub renewal: Renewal,
    pub termination_notice_days: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFunding {
    pub annual_cost: Option<f64>,
    pub school_share_percent: Option<f64>,
    pub months: Option<u32>,
    #[serde(default)]
    pub overtime: Overtime,
    pub overtime_hourly_rate: Option<f64>,
    #[serde(default)]
    pub billing: Billing,
    pub installments: Option<Vec<RawInstallment>>,
    pub annual_increase_percent: Option<f64>,
    #[serde(default)]
    pub refund_unused: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstallment {
    pub due: Date,
    pub percent: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInsurance {
    #[serde(default)]
    pub indemnity: Indemnity,
    pub per_occurrence_limit: Option<f64>,
    pub aggregate_limit: Option<f64>,
    pub annual_premium: Option<f64>,
    pub insurer: Option<String>,
    #[serde(default)]
    pub additional_insured: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClauses {
    #[serde(default)]
    pub versions: BTreeMap<String, String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A validated profile with its derived values. `raw` keeps what was written; the
/// source text stays so later stages can point at lines (e.g. a version requirement).
#[derive(Debug, Clone)]
pub struct Profile {
    pub path: PathBuf,
    pub source: String,
    pub id: String,
    pub raw: RawProfile,
    pub funding: Option<Funding>,
    /// Per-clause version requirements, parsed.
    pub versions: BTreeMap<String, semver::VersionReq>,
}

impl Profile {
    pub fn status(&self) -> Status {
        self.raw.agreement.status
    }

    pub fn state(&self) -> &str {
        &self.raw.agreement.state
    }

    pub fn outline(&self) -> &str {
        self.raw.agreement.outline.as_deref().unwrap_or("mou")
    }

    pub fn title(&self) -> &str {
        self.raw
            .agreement
            .title
            .as_deref()
            .unwrap_or("School Resource Officer Agreement")
    }

    pub fn officers(&self) -> u32 {
        self.raw.schools.iter().map(|s| s.officers).sum()
    }

    pub fn locator(&self) -> Locator<'_> {
        Locator::new(&self.path, &self.source)
    }

    /// Reads and loads a profile file (a regular file of at most 1 MiB).
    pub fn from_file(path: &Path) -> Result<Profile, Diagnostics> {
        use crate::source::SourceError;
        match crate::source::read_bytes(path, MAX_PROFILE_BYTES) {
            Ok(bytes) => Profile::from_bytes(path, bytes),
            Err(SourceError::TooLarge { .. }) => Err(too_large(path).into()),
            Err(e) => {
                Err(Diagnostic::error("E0001", path, format!("cannot read profile: {e}")).into())
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
                Diagnostic::error("E0003", path, "profile is not valid UTF-8")
                    .at_offset(&lossy, offset)
            }
            e => Diagnostic::error("E0001", path, format!("cannot read profile: {e}")),
        })?;
        Profile::parse(path, source)
    }

    /// Loads a profile from text; `path` is used for messages and the default id.
    pub fn parse(path: &Path, source: String) -> Result<Profile, Diagnostics> {
        let raw: RawProfile = toml::from_str(&source).map_err(|e| toml_error(path, &source, &e))?;
        let id = match &raw.agreement.id {
            Some(id) => id.clone(),
            None => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let mut profile = Profile {
            path: path.to_path_buf(),
            source,
            id,
            raw,
            funding: None,
            versions: BTreeMap::new(),
        };
        let mut diags = Vec::new();
        validate(&mut profile, &mut diags);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Diagnostics(diags));
        }
        Ok(profile)
    }
}

fn too_large(path: &Path) -> Diagnostic {
    Diagnostic::error(
        "E0002",
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
        d = d.at_offset(source, span.start);
    }
    if let Some(help) = help {
        d = d.with_help(help);
    }
    d.into()
}

fn classify(message: &str) -> (&'static str, Option<String>) {
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.starts_with("unknown field") {
        let help = ticked
            .first()
            .and_then(|word| did_you_mean(word, ticked.iter().skip(1).copied()))
            .map(|s| format!("did you mean `{s}`?"));
        ("E0103", help)
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
        ("E0104", Some(help))
    } else if message.starts_with("missing field") {
        ("E0105", None)
    } else if message.starts_with("invalid type") || message.contains("expected a date") {
        ("E0102", None)
    } else {
        ("E0101", None)
    }
}

fn validate(p: &mut Profile, diags: &mut Vec<Diagnostic>) {
    let loc = Locator::new(&p.path, &p.source);
    let raw = &p.raw;

    let id_ok = !p.id.is_empty()
        && p.id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !p.id.starts_with('-');
    if !id_ok {
        let what = if raw.agreement.id.is_some() {
            "agreement.id"
        } else {
            "the file name"
        };
        diags.push(
            loc.error(
                "E0110",
                &["agreement", "id"],
                format!(
                    "invalid agreement id \"{}\" (from {what}): use lower-case letters, digits and '-'",
                    p.id.escape_default()
                ),
            )
            .with_help("set `id = \"city-year\"` under [agreement]"),
        );
    }

    let state = &raw.agreement.state;
    if state.len() != 2 || !state.bytes().all(|b| b.is_ascii_uppercase()) {
        diags.push(loc.error(
            "E0111",
            &["agreement", "state"],
            format!(
                "expected a two-letter upper-case state code such as \"CT\", found \"{state}\""
            ),
        ));
    }
    if let Some(outline) = &raw.agreement.outline
        && !is_simple_name(outline)
    {
        diags.push(loc.error(
            "E0110",
            &["agreement", "outline"],
            format!("invalid outline name \"{outline}\": use letters, digits, '-' and '_'"),
        ));
    }

    if raw.schools.is_empty() {
        diags.push(loc.error(
            "E0112",
            &["schools"],
            "the agreement must list at least one school under [[schools]]",
        ));
    }
    if raw.schools.len() > MAX_SCHOOLS {
        diags.push(loc.error(
            "E0113",
            &["schools"],
            format!(
                "{} schools listed; the limit is {MAX_SCHOOLS}",
                raw.schools.len()
            ),
        ));
    }
    let mut seen = BTreeMap::new();
    for (i, s) in raw.schools.iter().enumerate() {
        let idx = i.to_string();
        if s.name.trim().is_empty() {
            diags.push(loc.error("E0112", &["schools", &idx, "name"], "school name is empty"));
        }
        if let Some(first) = seen.insert(s.name.trim().to_lowercase(), i) {
            diags.push(loc.error(
                "E0114",
                &["schools", &idx, "name"],
                format!(
                    "school \"{}\" is listed twice (entries {} and {})",
                    s.name,
                    first + 1,
                    i + 1
                ),
            ));
        }
    }

    if let (Some(start), Some(end)) = (raw.term.start, raw.term.end)
        && end <= start
    {
        diags.push(loc.error(
            "E0120",
            &["term", "end"],
            format!("term ends ({end}) on or before it starts ({start})"),
        ));
    }
    if raw.term.termination_notice_days == Some(0) {
        diags.push(loc.error(
            "E0121",
            &["term", "termination_notice_days"],
            "termination notice must be at least one day",
        ));
    }

    let f = &raw.funding;
    for (key, value) in [
        ("annual_cost", f.annual_cost),
        ("overtime_hourly_rate", f.overtime_hourly_rate),
    ] {
        if let Some(v) = value
            && !(v.is_finite() && (0.0..=1e12).contains(&v))
        {
            diags.push(loc.error(
                "E0130",
                &["funding", key],
                format!("expected an amount of dollars between 0 and 1,000,000,000,000, found {v}"),
            ));
        }
    }
    if let Some(share) = f.school_share_percent
        && !(0.0..=100.0).contains(&share)
    {
        diags.push(loc.error(
            "E0131",
            &["funding", "school_share_percent"],
            format!("expected a percent from 0 to 100, found {share}"),
        ));
    }
    if let Some(months) = f.months
        && !(1..=12).contains(&months)
    {
        diags.push(loc.error(
            "E0132",
            &["funding", "months"],
            format!("expected 1 to 12 months of service a year, found {months}"),
        ));
    }
    if let Some(inc) = f.annual_increase_percent
        && !(0.0..=100.0).contains(&inc)
    {
        diags.push(loc.error(
            "E0131",
            &["funding", "annual_increase_percent"],
            format!("expected a percent from 0 to 100, found {inc}"),
        ));
    }
    match (&f.billing, &f.installments) {
        (Billing::Installments, None) => diags.push(loc.error(
            "E0133",
            &["funding", "billing"],
            "billing = \"installments\" needs an `installments` list",
        )),
        (Billing::Installments, Some(list)) => {
            if list.is_empty() {
                diags.push(loc.error(
                    "E0133",
                    &["funding", "installments"],
                    "the installments list is empty",
                ));
            }
            let mut total = 0.0;
            for (i, inst) in list.iter().enumerate() {
                if !(inst.percent > 0.0 && inst.percent <= 100.0) {
                    diags.push(loc.error(
                        "E0131",
                        &["funding", "installments", &i.to_string(), "percent"],
                        format!(
                            "expected a percent above 0 and at most 100, found {}",
                            inst.percent
                        ),
                    ));
                }
                total += inst.percent;
                if i > 0 && inst.due <= list[i - 1].due {
                    diags.push(loc.error(
                        "E0134",
                        &["funding", "installments", &i.to_string(), "due"],
                        format!(
                            "installment {} is due {} but must come after installment {} ({})",
                            i + 1,
                            inst.due,
                            i,
                            list[i - 1].due
                        ),
                    ));
                }
            }
            if !list.is_empty() && (total - 100.0).abs() > 1e-6 {
                diags.push(loc.error(
                    "E0135",
                    &["funding", "installments"],
                    format!("installment percents add up to {total}, not 100"),
                ));
            }
        }
        (_, Some(_)) => diags.push(
            loc.error(
                "E0133",
                &["funding", "installments"],
                format!(
                    "installments are given but billing is \"{}\"",
                    serde_name(&f.billing)
                ),
            )
            .with_help("set billing = \"installments\" or remove the list"),
        ),
        _ => {}
    }

    let ins = &raw.insurance;
    for (key, value) in [
        ("per_occurrence_limit", ins.per_occurrence_limit),
        ("aggregate_limit", ins.aggregate_limit),
        ("annual_premium", ins.annual_premium),
    ] {
        if let Some(v) = value
            && !(v.is_finite() && (0.0..=1e12).contains(&v))
        {
            diags.push(loc.error(
                "E0130",
                &["insurance", key],
                format!("expected an amount of dollars between 0 and 1,000,000,000,000, found {v}"),
            ));
        }
    }
    if let (Some(per), Some(agg)) = (ins.per_occurrence_limit, ins.aggregate_limit)
        && agg < per
    {
        diags.push(loc.error(
            "E0136",
            &["insurance", "aggregate_limit"],
            format!(
                "aggregate limit ({agg}) is below the per-occurrence limit ({per}); it must be at least as large"
            ),
        ));
    }

    for (clause, req) in &raw.clauses.versions {
        match semver::VersionReq::parse(req) {
            Ok(r) => {
                p.versions.insert(clause.clone(), r);
            }
            Err(e) => diags.push(loc.error(
                "E0140",
                &["clauses", "versions", clause],
                format!("invalid version requirement \"{req}\" for clause `{clause}`: {e}"),
            )),
        }
    }

    if !diags.iter().any(Diagnostic::is_error) {
        p.funding = funding::derive(&p.raw);
    }
}

fn is_simple_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The lower-case name serde uses for a unit enum variant.
pub fn serde_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests;
