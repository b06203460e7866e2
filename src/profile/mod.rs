//! Profiles: one TOML file per agreement (SPEC §2). Loading parses with spans kept,
//! validates once, and derives the computed values, so later stages never re-check.
//!
//! [`schema`] holds the serde types as written, [`load`] reads and parses (from a file,
//! bytes or text, so unit tests need no files), `validate` checks and derives.

mod extends;
mod funding;
mod load;
mod locate;
pub mod names;
pub mod schema;
mod shape;
mod validate;
mod validate_money;
mod validate_parties;

pub use crate::date::Date;
pub use extends::{Base, base_path};
pub use funding::{ContractYear, Funding, Payment, cents, funded_posts};
pub use load::{MAX_PROFILE_BYTES, toml_error};
pub use locate::Locator;
pub use schema::*;
pub use shape::accepted_keys;
pub use validate::MAX_SCHOOLS;
pub use validate_money::{party_names, payee_index};
pub use validate_parties::{draft_warnings, not_a_name};

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A validated profile with its derived values. `raw` keeps what was written; the
/// source text stays so later stages can point at lines (e.g. a version requirement).
#[derive(Debug, Clone)]
pub struct Profile {
    pub path: PathBuf,
    pub source: String,
    pub id: crate::ids::AgreementId,
    /// `agreement.state`, checked.
    pub state: crate::ids::StateCode,
    pub raw: RawProfile,
    pub funding: Option<Funding>,
    /// Per-clause version requirements, parsed.
    pub versions: BTreeMap<String, semver::VersionReq>,
    /// The profiles this one extends, nearest first (`extends`); empty for most.
    pub bases: Vec<Base>,
}

impl Profile {
    pub fn status(&self) -> Status {
        self.raw.agreement.status
    }

    pub fn state(&self) -> &crate::ids::StateCode {
        &self.state
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
        // Validation bounds each school, so this cannot overflow; saturate regardless.
        let schools = self
            .raw
            .schools
            .iter()
            .fold(0u32, |n, s| n.saturating_add(s.officers));
        self.raw
            .staffing
            .roles
            .iter()
            .fold(schools, |n, r| n.saturating_add(r.count))
    }

    pub fn locator(&self) -> Locator<'_> {
        Locator::new(&self.path, &self.source).with_bases(&self.bases)
    }

    /// sha256 of what the profile says: its own text, and with `extends` each base's
    /// text too, so a change to a shared base changes every agreement built on it.
    pub fn sha256(&self) -> String {
        if self.bases.is_empty() {
            return crate::hash::sha256_hex(self.source.as_bytes());
        }
        let mut all = self.source.clone();
        for b in &self.bases {
            all.push_str("\n\u{0}extends\u{0}\n");
            all.push_str(&b.source);
        }
        crate::hash::sha256_hex(all.as_bytes())
    }
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
