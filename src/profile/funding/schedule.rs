//! The payment schedule: the contract years' amounts as dated payments. Periodic billing
//! pays each period of service at its start (advance) or after it ends (arrears, an
//! invoice the day after the period and payment within the payment terms); installments
//! pay the listed percents on the listed dates. `equal-down` rounding pays equal
//! amounts rounded down to the cent and records the remainder, which is not owed.

use super::{ContractYear, Payment};
use crate::profile::{Billing, BillingTiming, Date, FundingModel, RawProfile, Rounding};

/// Days after an invoice within which it is paid, when the profile does not say.
pub const DEFAULT_PAYMENT_TERMS_DAYS: u32 = 30;

/// The schedule and, with `equal-down` rounding, the cents not owed.
pub(super) fn derive(
    raw: &RawProfile,
    years: &[ContractYear],
    shares: Option<(i64, i64)>,
    service_months: u32,
) -> (Vec<Payment>, Option<i64>) {
    let f = &raw.funding;
    let down = f.installment_rounding == Rounding::EqualDown;
    let actual = f.model == FundingModel::ActualCost;
    match (&f.billing, &f.installments) {
        (Billing::Installments, Some(list)) => {
            // Saturating: fifty years of an absurd price must not overflow (the `money`
            // filter then refuses to print it).
            let total: Option<i64> = years
                .iter()
                .try_fold(0i64, |sum, y| y.school_cents.map(|c| sum.saturating_add(c)))
                .filter(|_| !years.is_empty())
                .or(shares.map(|s| s.0).filter(|_| years.is_empty()))
                .filter(|_| !actual);
            let percents: Vec<f64> = list.iter().map(|i| i.percent).collect();
            let amounts = total.map(|t| {
                if down {
                    percents.iter().map(|p| percent_down(t, *p)).collect()
                } else {
                    split_by_percent(t, &percents)
                }
            });
            let remainder = match (down, total, &amounts) {
                (true, Some(t), Some(a)) => {
                    Some(t.saturating_sub(a.iter().fold(0i64, |s, c| s.saturating_add(*c))))
                }
                _ => None,
            };
            let pays = list
                .iter()
                .enumerate()
                .map(|(i, inst)| Payment {
                    due: inst.due,
                    cents: amounts.as_ref().map(|a| a[i]),
                    percent: Some(inst.percent),
                    period: None,
                })
                .collect();
            (pays, remainder)
        }
        (billing, _) => periodic(raw, years, *billing, service_months),
    }
}

/// `percent` of `total` cents, rounded down to the cent.
fn percent_down(total: i64, percent: f64) -> i64 {
    (total as f64 * percent / 100.0 + 1e-9).floor() as i64
}

/// The months between period starts.
pub fn step_months(billing: Billing) -> u32 {
    match billing {
        Billing::Monthly => 1,
        Billing::Bimonthly => 2,
        Billing::Quarterly => 3,
        Billing::Semester => 6,
        Billing::Annual | Billing::Installments => 12,
    }
}

/// `days` days after `d` (bounded by validation to a year).
pub fn add_days(d: Date, days: u32) -> Option<Date> {
    (0..days).try_fold(d, |d, _| d.next_day())
}

/// Payments for period billing: per contract year, one payment for each period of
/// service, the year's school amount split evenly (with exact rounding, leftover cents
/// go to the first payments).
fn periodic(
    raw: &RawProfile,
    years: &[ContractYear],
    billing: Billing,
    months: u32,
) -> (Vec<Payment>, Option<i64>) {
    let f = &raw.funding;
    let step = step_months(billing);
    let wanted = months.div_ceil(step).max(1);
    let down = f.installment_rounding == Rounding::EqualDown;
    let terms = f.payment_terms_days.unwrap_or(DEFAULT_PAYMENT_TERMS_DAYS);
    let first_start = years.first().map(|y| y.start);
    let mut out = Vec::new();
    let mut remainder = down.then_some(0i64);
    for (k, y) in years.iter().enumerate() {
        let starts: Vec<(u32, Date)> = (0..wanted)
            .filter_map(|j| y.start.add_months(j * step).map(|d| (j, d)))
            .filter(|(_, d)| *d <= y.end)
            .collect();
        let n = starts.len() as i64;
        if let (Some(total), Some(r)) = (y.school_cents, remainder.as_mut()) {
            *r = r.saturating_add(total.rem_euclid(n));
        }
        for (j, (jj, start)) in starts.into_iter().enumerate() {
            let end = start
                .add_months(step)
                .and_then(Date::previous_day)
                .map_or(y.end, |e| e.min(y.end));
            let offset = 12 * k as u32 + jj * step;
            let due = match (f.first_due, f.billing_timing) {
                (Some(first), _) => first.add_months(offset),
                (None, BillingTiming::Advance) => Some(start),
                (None, BillingTiming::Arrears) => end.next_day().and_then(|d| add_days(d, terms)),
            };
            let Some(due) = due.or(first_start) else {
                continue;
            };
            let cents = y.school_cents.map(|total| {
                let base = total.div_euclid(n);
                let extra = total.rem_euclid(n);
                if down {
                    base
                } else {
                    base + i64::from((j as i64) < extra)
                }
            });
            out.push(Payment {
                due,
                cents,
                percent: None,
                period: Some((start, end)),
            });
        }
    }
    (
        out,
        remainder.filter(|_| years.iter().all(|y| y.school_cents.is_some())),
    )
}

/// Splits `total` cents by percents so the parts add up exactly (largest remainder).
pub fn split_by_percent(total: i64, percents: &[f64]) -> Vec<i64> {
    let sum: f64 = percents.iter().sum();
    if sum <= 0.0 {
        return vec![0; percents.len()];
    }
    let exact: Vec<f64> = percents.iter().map(|p| total as f64 * p / sum).collect();
    let mut parts: Vec<i64> = exact.iter().map(|e| e.floor() as i64).collect();
    let mut left = total.saturating_sub(parts.iter().fold(0i64, |s, p| s.saturating_add(*p)));
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for i in order.into_iter().cycle().take(parts.len() * 2) {
        if left <= 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}
