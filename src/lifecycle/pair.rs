//! The two agreements an amendment stands between, built as `mou build` builds them.
//!
//! The agreement as amended keeps the date of the agreement it amends: an amendment
//! changes terms, not the day the agreement was made, so NEW is assembled a second time
//! with OLD's `agreement.date` (its own date is the amendment's). Everything else —
//! the text, the numbers, the money — is NEW's.

use crate::check::codes;
use crate::diag::Diagnostic;
use crate::document::{Block, Document, Signatory};
use crate::failure::Result;
use crate::profile::Profile;
use crate::project::Project;
use std::path::Path;

pub struct Pair {
    pub old_profile: Profile,
    pub new_profile: Profile,
    /// The agreement being amended.
    pub old: Document,
    /// NEW as the amended agreement reads: NEW's terms, OLD's date of execution.
    pub amended: Document,
    /// NEW as its own profile builds it: the amendment's date and signatories.
    pub new: Document,
}

/// Loads and assembles both profiles; fails when they are not agreements between the
/// same parties.
pub fn load(project: &Project, old_path: &Path, new_path: &Path) -> Result<Pair> {
    let old_profile = Profile::from_file(old_path)?;
    let new_profile = Profile::from_file(new_path)?;
    let old = crate::assemble::assemble(&old_profile, &project.library, &project.engine)?;
    let new = crate::assemble::assemble(&new_profile, &project.library, &project.engine)?;
    let (old, new) = (old.document, new.document);
    if old.parties != new.parties {
        return Err(parties_differ(&old, &new, &new_profile).into());
    }
    let source = with_date(&new_profile.source, old_profile.raw.agreement.date);
    let amended = if source == new_profile.source {
        new.clone()
    } else {
        let p = Profile::parse(&new_profile.path, source)?;
        crate::assemble::assemble(&p, &project.library, &project.engine)?.document
    };
    Ok(Pair {
        old_profile,
        new_profile,
        old,
        amended,
        new,
    })
}

fn parties_differ(old: &Document, new: &Document, profile: &Profile) -> Diagnostic {
    // Point at the first party whose name differs.
    let keys: &[&str] = match old
        .parties
        .iter()
        .zip(&new.parties)
        .position(|(a, b)| a != b)
    {
        Some(0) => &["school", "name"],
        Some(1) => &["agency", "name"],
        _ => &["parties"],
    };
    let mut d = profile.locator().error(
        codes::E0800,
        keys,
        format!(
            "not the same agreement: the agreement amended is between {}, this one between {}",
            old.parties.join(" and "),
            new.parties.join(" and ")
        ),
    );
    d.help = Some(
        "an amendment changes an agreement between the same parties; for new parties, write a new agreement".into(),
    );
    d
}

/// The profile text with `agreement.date` set to `date` (removed when `None`), every
/// other line as written. Unchanged when the text cannot be edited (it parsed as a
/// profile, so this does not happen).
fn with_date(source: &str, date: Option<crate::date::Date>) -> String {
    let Ok(mut doc) = source.parse::<toml_edit::DocumentMut>() else {
        return source.to_string();
    };
    let Some(agreement) = doc.get_mut("agreement").and_then(|a| a.as_table_like_mut()) else {
        return source.to_string();
    };
    match date {
        Some(d) => {
            let value: toml_edit::Value = match d.to_string().parse::<toml_edit::Datetime>() {
                Ok(dt) => dt.into(),
                Err(_) => return source.to_string(),
            };
            agreement.insert("date", toml_edit::Item::Value(value));
        }
        None => {
            agreement.remove("date");
        }
    }
    doc.to_string()
}

/// The signature blocks of an agreement: the parties' signatories with their roles.
pub fn signatures(doc: &Document) -> Vec<Signatory> {
    doc.articles
        .iter()
        .flat_map(|a| &a.blocks)
        .filter_map(|b| match b {
            Block::Signatures(s) => Some(s.clone()),
            _ => None,
        })
        .flatten()
        .map(|mut s| {
            s.date = None;
            s
        })
        .collect()
}

/// Each party as the recitals name it, with its short name: the school, the agency
/// ("the" where its name takes it), then any other party.
pub fn party_names(profile: &Profile, doc: &Document) -> Vec<(String, String)> {
    crate::profile::party_names(&profile.raw)
        .into_iter()
        .zip(&doc.parties)
        .enumerate()
        .map(|(i, ((_, short), shown))| {
            let name = if i == 0 {
                shown.clone()
            } else {
                crate::profile::names::with_article(shown)
            };
            (name, short)
        })
        .collect()
}
