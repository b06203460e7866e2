//! Likely mistakes in the money of an agreement that are legal to write: payments due
//! before the agreement is signed, arrears invoices due before the period they bill,
//! a `years` list that does not fit the term, a short term priced by the year.
use crate::check::codes;

use crate::diag::Diagnostic;
use crate::profile::{AmountBasis, Billing, BillingTiming, FundingModel, Profile};

pub fn check(profile: &Profile) -> Vec<Diagnostic> {
    let r = &profile.raw;
    let f = &r.funding;
    let loc = profile.locator();
    let mut out = Vec::new();
    let Some(funding) = &profile.funding else {
        return out;
    };
    if let Some(signed) = r.agreement.date
        && f.first_due.is_none()
    {
        let installments = f.billing == Billing::Installments;
        let early: Vec<usize> = funding
            .schedule
            .iter()
            .enumerate()
            .filter(|(_, p)| p.due < signed)
            .map(|(i, _)| i)
            .collect();
        if let Some(&first) = early.first() {
            let pay = &funding.schedule[first];
            let idx = first.to_string();
            let keys: Vec<&str> = if installments {
                vec!["funding", "installments", &idx, "due"]
            } else {
                vec!["funding", "billing"]
            };
            out.push(
                loc.warning(
                    codes::W0190,
                    &keys,
                    format!(
                        "{} of the payment schedule {} due before the agreement's date ({signed}), the first on {}",
                        if early.len() == 1 { "one payment".to_string() } else { format!("{} payments", early.len()) },
                        if early.len() == 1 { "is" } else { "are" },
                        pay.due
                    ),
                )
                .with_help(if installments {
                    "move the installment after the agreement's date, or correct `agreement.date`".to_string()
                } else {
                    "say when payments start with `first_due = …` under [funding], or correct the term".to_string()
                }),
            );
        }
    }
    if f.billing_timing == BillingTiming::Arrears
        && let Some((i, pay, end)) = funding.schedule.iter().enumerate().find_map(|(i, p)| {
            p.period
                .filter(|(_, end)| p.due <= *end)
                .map(|(_, e)| (i, p, e))
        })
    {
        out.push(
            loc.warning(
                codes::W0191,
                &["funding", if f.first_due.is_some() { "first_due" } else { "billing_timing" }],
                format!(
                    "payment {} is billed in arrears but due {}, before the period it pays for ends ({end})",
                    i + 1,
                    pay.due
                ),
            )
            .with_help("set `first_due` after the end of the first period, or remove it"),
        );
    }
    if f.model == FundingModel::Fixed
        && let Some(list) = &f.years
        && !funding.years.is_empty()
        && list.len() != funding.years.len()
    {
        out.push(
            loc.warning(
                codes::W0192,
                &["funding", "years"],
                format!(
                    "`years` lists {} {}, but the term has {} contract {}",
                    list.len(),
                    if list.len() == 1 { "amount" } else { "amounts" },
                    funding.years.len(),
                    if funding.years.len() == 1 {
                        "year"
                    } else {
                        "years"
                    }
                ),
            )
            .with_help("list one amount for each contract year, in order"),
        );
    }
    if funding.partial && f.amount_basis == AmountBasis::Year && f.model != FundingModel::ActualCost
    {
        out.push(
            loc.warning(
                codes::W0193,
                &["term", "end"],
                format!(
                    "the term is shorter than the {} months of service of a year, but the amounts are per contract year",
                    f.months.unwrap_or(12)
                ),
            )
            .with_help("set amount_basis = \"term\" under [funding] if the amounts are for the term"),
        );
    }
    out
}
