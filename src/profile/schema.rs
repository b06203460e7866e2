//! The profile as written: serde types with unknown keys refused. Every value a draft
//! may leave blank is an `Option`; validation (`validate.rs`) decides what a final
//! profile must have.

use super::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// A base profile whose tables this one inherits (read in `extends.rs`).
    #[serde(default)]
    pub extends: Option<String>,
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
    /// (v2) Attachments after the signatures (see `crate::exhibits`).
    #[serde(default)]
    pub exhibits: Vec<crate::exhibits::RawExhibit>,
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
    /// `articles` (ARTICLE IV, Section 4.1) or `decimal` (4., 4.1).
    #[serde(default)]
    pub numbering: crate::document::Numbering,
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
    /// (v2) Named variants: clause id → variant (`appointment = "agency-selects"`).
    #[serde(default)]
    pub variants: BTreeMap<String, String>,
    /// (v2) Clauses the outline lacks, each placed after or before an outline entry.
    #[serde(default)]
    pub insert: Vec<RawInsert>,
    /// (v2) The overlay folder, relative to the profile; default `<stem>.clauses/`.
    pub local: Option<String>,
}

/// One `[clauses] insert` entry: `{ clause = "canine", after = "duties" }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInsert {
    pub clause: String,
    pub after: Option<String>,
    pub before: Option<String>,
}
