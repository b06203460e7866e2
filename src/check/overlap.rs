//! Checks across agreements: two agreements of the same school party whose terms
//! overlap and that both cover one school would have that school served, and paid for,
//! twice. Usually a renewal that kept the old term, or a school pasted into the wrong
//! agreement; sometimes real (two agencies share a campus), hence a warning.
use crate::check::codes;

use crate::diag::Diagnostic;
use crate::profile::Profile;
use std::collections::BTreeMap;

fn key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub fn check(profiles: &[&Profile]) -> Vec<Diagnostic> {
    // Profiles by school party, in the order given (sorted paths: repeatable output).
    let mut by_party: BTreeMap<String, Vec<&Profile>> = BTreeMap::new();
    for p in profiles {
        if let Some(name) = &p.raw.school.name {
            by_party.entry(key(name)).or_default().push(p);
        }
    }
    let mut out = Vec::new();
    for group in by_party.values() {
        for (i, later) in group.iter().enumerate() {
            for earlier in &group[..i] {
                let (Some(s1), Some(e1), Some(s2), Some(e2)) = (
                    earlier.raw.term.start,
                    earlier.raw.term.end,
                    later.raw.term.start,
                    later.raw.term.end,
                ) else {
                    continue;
                };
                if s2 > e1 || s1 > e2 {
                    continue;
                }
                for (idx, school) in later.raw.schools.iter().enumerate() {
                    if !earlier
                        .raw
                        .schools
                        .iter()
                        .any(|s| key(&s.name) == key(&school.name))
                    {
                        continue;
                    }
                    out.push(
                        later
                            .locator()
                            .warning(
                                codes::W0163,
                                &["schools", &idx.to_string(), "name"],
                                format!(
                                    "\"{}\" is also covered by {} ({}, term {s1} to {e1}), whose term overlaps this one ({s2} to {e2})",
                                    school.name,
                                    earlier.id,
                                    crate::diag::display_path(&earlier.path),
                                ),
                            )
                            .with_help("start a renewal the day after the old term ends, or remove the school from one agreement"),
                    );
                }
            }
        }
    }
    out
}
