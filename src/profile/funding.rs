//! Money derived from a profile: shares, contract-year prices and the payment schedule.
//! All arithmetic is in whole cents so that schedules add up exactly.

use super::{Billing, Date, RawProfile};
use serde::Serialize;

/// Longest term we derive a schedule for; longer terms are refused at validation.
pub const MAX_YEARS: u32 = 50;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funding {
    /// School and agency share of one year's cost, when cost and share are known.
    pub shares: Option<(i64, i64)>,
    /// Contract years, when the term is known.
    pub years: Vec<ContractYear>,
    /// Every payment the school makes, in order.
    pub schedule: Vec<Payment>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractYear {
    pub year: u32,
    pub start: Date,
    pub end: Date,
    /// Price of the year after increases (prorated by days when the term ends before
    /// the year is over), when the cost is known.
    pub price_cents: Option<i64>,
    /// The term ends before this year is complete; its price is prorated.
    pub prorated: bool,
    pub school_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payment {
    pub due: Date,
    pub cents: Option<i64>,
    pub percent: Option<f64>,
}

pub fn cents(dollars: f64) -> i64 {
    (dollars * 100.0).round() as i64
}

fn share(total: i64, percent: f64) -> i64 {
    (total as f64 * percent / 100.0).round() as i64
}

pub fn derive(raw: &RawProfile) -> Option<Funding> {
    let f = &raw.funding;
    let annual = f.annual_cost.map(cents);
    let school_pct = f.school_share_percent;
    let shares = match (annual, school_pct) {
        (Some(a), Some(p)) => {
            let s = share(a, p);
            Some((s, a - s))
        }
        _ => None,
    };
    let years = match (raw.term.start, raw.term.end) {
        (Some(start), Some(end)) => {
            contract_years(start, end, annual, school_pct, f.annual_increase_percent)
        }
        _ => Vec::new(),
    };
    let schedule = match (&f.billing, &f.installments) {
        (Billing::Installments, Some(list)) => {
            let total: Option<i64> = years
                .iter()
                .map(|y| y.school_cents)
                .sum::<Option<i64>>()
                .filter(|_| !years.is_empty())
                .or(shares.map(|s| s.0).filter(|_| years.is_empty()));
            let percents: Vec<f64> = list.iter().map(|i| i.percent).collect();
            let amounts = total.map(|t| split_by_percent(t, &percents));
            list.iter()
                .enumerate()
                .map(|(i, inst)| Payment {
                    due: inst.due,
                    cents: amounts.as_ref().map(|a| a[i]),
                    percent: Some(inst.percent),
                })
                .collect()
        }
        (billing, _) => periodic(&years, *billing, f.months.unwrap_or(12)),
    };
    Some(Funding {
        shares,
        years,
        schedule,
    })
}

fn contract_years(
    start: Date,
    end: Date,
    annual: Option<i64>,
    school_pct: Option<f64>,
    increase: Option<f64>,
) -> Vec<ContractYear> {
    let mut years = Vec::new();
    let mut year_start = start;
    let mut k = 0u32;
    while year_start <= end && k < MAX_YEARS {
        let next = start.add_months(12 * (k + 1));
        let full_end = next.and_then(Date::previous_day).unwrap_or(end);
        let year_end = full_end.min(end);
        // A term shorter than a year (a school year) costs the annual price; only a
        // short final year of a multi-year term is prorated.
        let prorated = k > 0 && year_end < full_end;
        let fraction = if prorated {
            (year_start.days_until(year_end) + 1) as f64
                / (year_start.days_until(full_end) + 1) as f64
        } else {
            1.0
        };
        let price = annual.map(|a| {
            let factor = (1.0 + increase.unwrap_or(0.0) / 100.0).powi(k as i32);
            (a as f64 * factor * fraction).round() as i64
        });
        years.push(ContractYear {
            year: k + 1,
            start: year_start,
            end: year_end,
            price_cents: price,
            prorated,
            school_cents: price.zip(school_pct).map(|(p, s)| share(p, s)),
        });
        match next {
            Some(n) => year_start = n,
            None => break,
        }
        k += 1;
    }
    years
}

/// Payments for period billing: per contract year, one payment at the start of each
/// period of service, the year's school share split evenly (leftover cents go to the
/// first payments).
fn periodic(years: &[ContractYear], billing: Billing, months: u32) -> Vec<Payment> {
    let step = match billing {
        Billing::Monthly => 1,
        Billing::Bimonthly => 2,
        Billing::Quarterly => 3,
        Billing::Semester => 6,
        Billing::Annual | Billing::Installments => 12,
    };
    let wanted = months.div_ceil(step).max(1);
    let mut out = Vec::new();
    for y in years {
        let dues: Vec<Date> = (0..wanted)
            .filter_map(|j| y.start.add_months(j * step))
            .filter(|d| *d <= y.end)
            .collect();
        let n = dues.len() as i64;
        for (j, due) in dues.into_iter().enumerate() {
            let cents = y.school_cents.map(|total| {
                let base = total.div_euclid(n);
                let extra = total.rem_euclid(n);
                base + i64::from((j as i64) < extra)
            });
            out.push(Payment {
                due,
                cents,
                percent: None,
            });
        }
    }
    out
}

/// Splits `total` cents by percents so the parts add up exactly (largest remainder).
pub fn split_by_percent(total: i64, percents: &[f64]) -> Vec<i64> {
    let sum: f64 = percents.iter().sum();
    if sum <= 0.0 {
        return vec![0; percents.len()];
    }
    let exact: Vec<f64> = percents.iter().map(|p| total as f64 * p / sum).collect();
    let mut parts: Vec<i64> = exact.iter().map(|e| e.floor() as i64).collect();
    let mut left = total - parts.iter().sum::<i64>();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_adds_up_exactly() {
        assert_eq!(split_by_percent(100, &[50.0, 50.0]), vec![50, 50]);
        assert_eq!(split_by_percent(100, &[33.3, 33.3, 33.4]), vec![33, 33, 34]);
        let parts = split_by_percent(12_740_001, &[33.33, 33.33, 33.34]);
        assert_eq!(parts.iter().sum::<i64>(), 12_740_001);
    }

    #[test]
    fn contract_years_with_increase() {
        let start = Date::new(2022, 1, 3).unwrap();
        let end = Date::new(2024, 6, 30).unwrap();
        let years = contract_years(start, end, Some(10_000_000), Some(50.0), Some(3.0));
        assert_eq!(years.len(), 3);
        assert_eq!(years[0].end, Date::new(2023, 1, 2).unwrap());
        assert_eq!(years[1].price_cents, Some(10_300_000));
        assert!(!years[1].prorated);
        // The third year runs January 3 to June 30, 2024: 180 of 366 days.
        assert!(years[2].prorated);
        assert_eq!(years[2].price_cents, Some(5_217_541));
        assert_eq!(years[2].school_cents, Some(2_608_771));
        assert_eq!(years[2].end, end);
    }

    #[test]
    fn quarterly_schedule_sums_to_the_year() {
        let start = Date::new(2022, 7, 1).unwrap();
        let end = Date::new(2023, 6, 30).unwrap();
        let years = contract_years(start, end, Some(100_001), Some(100.0), None);
        let pays = periodic(&years, Billing::Quarterly, 12);
        assert_eq!(pays.len(), 4);
        assert_eq!(pays.iter().map(|p| p.cents.unwrap()).sum::<i64>(), 100_001);
        assert_eq!(pays[3].due, Date::new(2023, 4, 1).unwrap());
    }

    #[test]
    fn ten_months_monthly() {
        let start = Date::new(2018, 7, 1).unwrap();
        let end = Date::new(2019, 6, 30).unwrap();
        let years = contract_years(start, end, Some(1000), Some(70.0), None);
        let pays = periodic(&years, Billing::Monthly, 10);
        assert_eq!(pays.len(), 10);
        assert_eq!(pays.iter().map(|p| p.cents.unwrap()).sum::<i64>(), 700);
    }
}
