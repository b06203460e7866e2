//! Values that are legal but rarely intended: warnings, not errors.
use crate::check::codes;

use crate::diag::Diagnostic;
use crate::profile::{Overtime, Profile};

pub fn check(profile: &Profile) -> Vec<Diagnostic> {
    let r = &profile.raw;
    let loc = profile.locator();
    let mut out = crate::profile::draft_warnings(profile);
    if let Some(days) = r.term.termination_notice_days
        && !(7..=180).contains(&days)
    {
        out.push(loc.warning(
            codes::W0501,
            &["term", "termination_notice_days"],
            format!(
                "termination notice of {days} days is {} than usual (7 to 180 days)",
                if days < 7 { "shorter" } else { "longer" }
            ),
        ));
    }
    if r.funding.school_share_percent == Some(100.0) && r.funding.overtime == Overtime::Agency {
        out.push(
            loc.warning(
                codes::W0502,
                &["funding", "overtime"],
                "the school pays 100% of the program but the agency pays overtime",
            )
            .with_help("check who pays overtime: \"school\", \"agency\" or \"none\""),
        );
    }
    for key in ["per_occurrence_limit", "aggregate_limit"] {
        let value = match key {
            "per_occurrence_limit" => r.insurance.as_ref().and_then(|i| i.per_occurrence_limit),
            _ => r.insurance.as_ref().and_then(|i| i.aggregate_limit),
        };
        if let Some(v) = value
            && v < 1_000_000.0
        {
            out.push(loc.warning(
                codes::W0503,
                &["insurance", key],
                format!(
                    "insurance {} of {} is below $1,000,000",
                    key.replace('_', " "),
                    crate::template::words::money((v * 100.0).round() as i64, false)
                ),
            ));
        }
    }
    if let (Some(list), Some(start), Some(end)) =
        (&r.funding.installments, r.term.start, r.term.end)
    {
        for (i, inst) in list.iter().enumerate() {
            if inst.due > end || inst.due < start {
                out.push(loc.warning(
                    codes::W0504,
                    &["funding", "installments", &i.to_string(), "due"],
                    format!(
                        "installment {} is due {} but the term runs {start} to {end}",
                        i + 1,
                        inst.due
                    ),
                ));
            }
        }
    }
    out
}
