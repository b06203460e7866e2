//! Money derived from a profile: what the school owes in each contract year under the
//! profile's pricing model, and the payment schedule. All arithmetic is in whole cents
//! so that every figure printed is exactly the one the profile implies.
//!
//! `schedule.rs` turns the yearly amounts into dated payments (advance or arrears,
//! installments, rounding); this file prices the contract years.

mod schedule;
#[cfg(test)]
mod tests;

use super::{AmountBasis, Date, FundingModel, RawProfile};
use serde::Serialize;

/// Longest term we derive a schedule for; longer terms are refused at validation.
pub const MAX_YEARS: u32 = 50;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funding {
    /// School and agency share of one year's cost (share model), when cost and share
    /// are known.
    pub shares: Option<(i64, i64)>,
    /// Contract years, when the term is known. With `amount_basis = "term"` the whole
    /// term is one period, priced as a whole.
    pub years: Vec<ContractYear>,
    /// Every payment the school makes, in order.
    pub schedule: Vec<Payment>,
    /// The term is one period shorter than the months of service of a year: never
    /// called a year in the text.
    pub partial: bool,
    /// Months of service the payments cover in a year (in the term, when partial).
    pub service_months: u32,
    /// Officer posts the school pays for, alone or with the agency.
    pub funded_posts: u32,
    /// With `installment_rounding = "equal-down"`: the cents left over by rounding the
    /// installments down, which are not owed.
    pub remainder_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractYear {
    pub year: u32,
    pub start: Date,
    pub end: Date,
    /// Price of the year after increases (prorated by days when the term ends before
    /// the year is over), when the cost is known. Under the fixed and per-officer
    /// models, the school's amount before any stipend.
    pub price_cents: Option<i64>,
    /// The term ends before this year is complete; its price is prorated.
    pub prorated: bool,
    /// What the school owes for the year, stipends included; `None` when unknown (a
    /// value left out, or actual cost, known only when billed).
    pub school_cents: Option<i64>,
    /// Stipends for the year (`stipend_per_officer` × funded posts), included in
    /// `school_cents`.
    pub stipend_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payment {
    pub due: Date,
    pub cents: Option<i64>,
    pub percent: Option<f64>,
    /// The period of service the payment is for (periodic billing).
    pub period: Option<(Date, Date)>,
}

pub fn cents(dollars: f64) -> i64 {
    (dollars * 100.0).round() as i64
}

fn share(total: i64, percent: f64) -> i64 {
    (total as f64 * percent / 100.0).round() as i64
}

/// Posts the school pays for: officers of schools and roles not funded by the agency
/// alone.
pub fn funded_posts(raw: &RawProfile) -> u32 {
    let schools = raw
        .schools
        .iter()
        .filter(|s| s.funded_by.school_pays())
        .fold(0u32, |n, s| n.saturating_add(s.officers));
    raw.staffing
        .roles
        .iter()
        .filter(|r| r.funded_by.school_pays())
        .fold(schools, |n, r| n.saturating_add(r.count))
}

/// Whole months the term touches: January 1 to May 31 is 5, August 9 to June 30 is 11.
pub fn term_months(start: Date, end: Date) -> u32 {
    (1..=12 * MAX_YEARS)
        .find(|m| start.add_months(*m).is_none_or(|d| d > end))
        .unwrap_or(12 * MAX_YEARS)
}

pub fn derive(raw: &RawProfile) -> Option<Funding> {
    let f = &raw.funding;
    let months = f.months.unwrap_or(12);
    let annual = f.annual_cost.map(cents);
    let shares = match (f.model, annual, f.school_share_percent) {
        (FundingModel::Share, Some(a), Some(p)) => {
            let s = share(a, p);
            Some((s, a - s))
        }
        _ => None,
    };
    let posts = funded_posts(raw);
    let (years, partial) = match (raw.term.start, raw.term.end) {
        (Some(start), Some(end)) => {
            let spans = match f.amount_basis {
                AmountBasis::Year => year_spans(start, end),
                AmountBasis::Term => vec![(start, end, end, false)],
            };
            let partial = spans.len() == 1 && term_months(start, end) < months;
            let years = spans
                .into_iter()
                .enumerate()
                .map(|(k, (s, e, full_end, prorated))| {
                    price_year(raw, posts, k as u32, s, e, full_end, prorated)
                })
                .collect();
            (years, partial)
        }
        _ => (Vec::new(), false),
    };
    let service_months = match (f.amount_basis, partial, raw.term.start, raw.term.end) {
        // One payment period runs over the whole term.
        (AmountBasis::Term, _, Some(s), Some(e)) => {
            term_months(s, e).min(if partial { months } else { 12 * MAX_YEARS })
        }
        (_, true, Some(s), Some(e)) => term_months(s, e).min(months),
        _ => months,
    };
    let (schedule, remainder_cents) = schedule::derive(raw, &years, shares, service_months);
    Some(Funding {
        shares,
        years,
        schedule,
        partial,
        service_months,
        funded_posts: posts,
        remainder_cents,
    })
}

/// Contract years of a term: (start, end, end of the full year, prorated). A term
/// shorter than a year (a school year) costs the annual price; only a short final year
/// of a multi-year term is prorated.
fn year_spans(start: Date, end: Date) -> Vec<(Date, Date, Date, bool)> {
    let mut spans = Vec::new();
    let mut year_start = start;
    let mut k = 0u32;
    while year_start <= end && k < MAX_YEARS {
        let next = start.add_months(12 * (k + 1));
        let full_end = next.and_then(Date::previous_day).unwrap_or(end);
        let year_end = full_end.min(end);
        spans.push((year_start, year_end, full_end, k > 0 && year_end < full_end));
        match next {
            Some(n) => year_start = n,
            None => break,
        }
        k += 1;
    }
    spans
}

/// One contract year priced under the profile's model.
fn price_year(
    raw: &RawProfile,
    posts: u32,
    k: u32,
    start: Date,
    end: Date,
    full_end: Date,
    prorated: bool,
) -> ContractYear {
    let f = &raw.funding;
    let fraction = if prorated {
        (start.days_until(end) + 1) as f64 / (start.days_until(full_end) + 1) as f64
    } else {
        1.0
    };
    let factor = (1.0 + f.annual_increase_percent.unwrap_or(0.0) / 100.0).powi(k as i32);
    let scaled = |c: i64| (c as f64 * factor * fraction).round() as i64;
    let (price, base) = match f.model {
        FundingModel::Share => {
            let price = f.annual_cost.map(cents).map(scaled);
            (
                price,
                price.zip(f.school_share_percent).map(|(p, s)| share(p, s)),
            )
        }
        FundingModel::Fixed => {
            let amount = match &f.years {
                // Listed amounts are the deal: neither increased nor prorated.
                Some(list) => list.get(k as usize).map(|d| cents(*d)),
                None => f.school_amount.map(cents).map(scaled),
            };
            (amount, amount)
        }
        FundingModel::PerOfficer => {
            // The rate of the year is rounded to the cent, then multiplied by the posts.
            let rate = f
                .per_officer_amount
                .map(|d| (cents(d) as f64 * factor).round() as i64);
            let amount = rate.map(|r| (r as f64 * f64::from(posts) * fraction).round() as i64);
            (amount, amount)
        }
        FundingModel::ActualCost => {
            let estimate = f.estimated_annual_cost.map(cents).map(scaled);
            (estimate, None)
        }
    };
    let stipend = f
        .stipend_per_officer
        .map(|d| (cents(d) as f64 * f64::from(posts) * fraction).round() as i64);
    let school = match (f.model, base) {
        (FundingModel::ActualCost, _) => None,
        (_, Some(b)) => Some(b.saturating_add(stipend.unwrap_or(0))),
        _ => None,
    };
    ContractYear {
        year: k + 1,
        start,
        end,
        price_cents: price,
        prorated,
        school_cents: school,
        stipend_cents: stipend,
    }
}
