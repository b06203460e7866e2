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
    /// Extension options one or both parties may exercise (`term.extensions`).
    Options,
}

/// When the agreement takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Effective {
    /// On `term.start`.
    #[default]
    Start,
    /// When the last party signs.
    Execution,
    /// When the agreement is filed (as some states require of interlocal contracts).
    Filing,
}

/// Who may exercise an extension option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExercisedBy {
    School,
    Agency,
    Either,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Indemnity {
    #[default]
    Mutual,
    Agency,
    School,
    /// Each party answers for its own acts; no cross-indemnity.
    #[serde(rename = "each-own")]
    EachOwn,
    /// No indemnity at all: the insurance text only.
    None,
}

/// What a signatory does on the signature page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SignRole {
    /// Signs for the party.
    #[default]
    Signs,
    /// Attests the signature (a clerk or secretary).
    Attests,
    /// Approves the agreement as to form (an attorney).
    ApprovesAsToForm,
    /// Signs the preaudit certificate a state requires of a finance officer.
    Preaudit,
}

/// What a further party (`[[parties]]`) does in the agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartyRole {
    /// Pays for, or receives payment for, the program.
    Funder,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Overtime {
    School,
    Agency,
    #[default]
    None,
    /// The school pays `overtime_share_percent` of overtime, the agency the rest.
    Shared,
}

/// How the school's payment is priced (SPEC §2 `funding.model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum FundingModel {
    /// A percent of a stated annual cost (v1).
    #[default]
    Share,
    /// A stated sum each contract year (or for the term).
    Fixed,
    /// A stated sum for each officer post the school pays for.
    PerOfficer,
    /// A percent of the cost actually incurred, billed after the fact.
    ActualCost,
}

/// Whether amounts are per contract year or for the whole term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AmountBasis {
    #[default]
    Year,
    Term,
}

/// Payments due at the start of the period served, or invoiced after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BillingTiming {
    #[default]
    Advance,
    Arrears,
}

/// How installment amounts are rounded to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Rounding {
    /// The amounts add up exactly to the sum owed.
    #[default]
    Exact,
    /// Equal amounts rounded down to the cent; the remainder is not owed.
    EqualDown,
}

/// Who pays for an officer post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FundedBy {
    #[default]
    Shared,
    School,
    Agency,
}

impl FundedBy {
    /// The school pays for the post, alone or with the agency.
    pub fn school_pays(self) -> bool {
        self != FundedBy::Agency
    }
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
    /// Required only when an insurance clause is in the agreement.
    pub insurance: Option<RawInsurance>,
    /// Further parties: a county that funds a sheriff's program, for one.
    #[serde(default)]
    pub parties: Vec<RawExtraParty>,
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

/// One person on the signature page, with what that person does there.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSignatory {
    pub name: Option<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub role: SignRole,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    pub name: Option<String>,
    pub short_name: Option<String>,
    /// v1 shorthand for one person who signs; `signatories` is the list form.
    pub signatory: Option<Signatory>,
    pub signatories: Option<Vec<RawSignatory>>,
    /// The act approving the agreement (a resolution or ordinance).
    pub authorization: Option<String>,
    pub notice_address: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgency {
    pub name: Option<String>,
    pub kind: AgencyKind,
    /// v1: the agency is the party and belongs to this government.
    pub government: Option<String>,
    /// v2: `name` is the legal entity, which acts through this department.
    pub department: Option<String>,
    pub short_name: Option<String>,
    pub collective_bargaining: Option<String>,
    pub signatory: Option<Signatory>,
    pub signatories: Option<Vec<RawSignatory>>,
    pub authorization: Option<String>,
    pub notice_address: Option<Vec<String>>,
}

/// A further party (`[[parties]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExtraParty {
    pub name: String,
    pub short_name: Option<String>,
    pub role: PartyRole,
    pub notice_address: Option<Vec<String>>,
    pub signatory: Option<Signatory>,
    pub signatories: Option<Vec<RawSignatory>>,
    pub authorization: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchool {
    pub name: String,
    pub level: Level,
    #[serde(default = "one")]
    pub officers: u32,
    #[serde(default)]
    pub funded_by: FundedBy,
    /// The agency may withdraw this post on notice.
    #[serde(default)]
    pub may_withdraw: bool,
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
    pub supervisor_rank: Option<String>,
    /// The regular workweek of an officer, in hours.
    pub hours_per_week: Option<u32>,
    /// The duty day, as free text.
    pub duty_hours: Option<String>,
    /// Posts not tied to one school row.
    #[serde(default)]
    pub roles: Vec<RawRole>,
}

/// A post of `[[staffing.roles]]`: a title, how many, and (for a part-time post) its
/// hours a year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub title: String,
    #[serde(default = "one")]
    pub count: u32,
    /// Absent: a full-time post.
    pub hours_per_year: Option<u32>,
    #[serde(default)]
    pub schools: Vec<String>,
    #[serde(default)]
    pub funded_by: FundedBy,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub start: Option<Date>,
    pub end: Option<Date>,
    #[serde(default)]
    pub effective: Effective,
    #[serde(default)]
    pub renewal: Renewal,
    /// With `renewal = "automatic"`: notice of non-renewal this many days before the end.
    pub renewal_notice_days: Option<u32>,
    /// With `renewal = "options"`.
    pub extensions: Option<RawExtensions>,
    pub termination_notice_days: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExtensions {
    pub count: u32,
    pub years: u32,
    pub exercised_by: ExercisedBy,
    pub notice_days: Option<u32>,
    pub condition: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFunding {
    #[serde(default)]
    pub model: FundingModel,
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
    pub school_amount: Option<f64>,
    pub per_officer_amount: Option<f64>,
    pub estimated_annual_cost: Option<f64>,
    pub stipend_per_officer: Option<f64>,
    pub not_to_exceed: Option<f64>,
    pub years: Option<Vec<f64>>,
    #[serde(default)]
    pub amount_basis: AmountBasis,
    #[serde(default)]
    pub billing_timing: BillingTiming,
    pub payment_terms_days: Option<u32>,
    pub first_due: Option<Date>,
    pub payee: Option<String>,
    pub overtime_share_percent: Option<f64>,
    pub event_hourly_rate: Option<f64>,
    #[serde(default)]
    pub installment_rounding: Rounding,
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
