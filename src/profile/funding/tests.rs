//! Hand-computed figures for each pricing model: every expected amount below was worked
//! out on paper from the profile lines above it, not read back from the code.

use super::schedule::split_by_percent;
use super::*;
use crate::profile::Profile;
use std::path::Path;

const HEAD: &str = r#"[agreement]
state = "WA"
date = 2023-06-01
status = "final"

[school]
name = "Mead School District"
signatory = { name = "Dana Ellis", title = "Superintendent" }
notice_address = ["2323 East Farwell Road", "Mead, WA 99021"]

[agency]
name = "Spokane County Sheriff's Office"
kind = "sheriff"
signatory = { name = "Sam Ortiz", title = "Sheriff" }
notice_address = ["1100 West Mallon Avenue", "Spokane, WA 99260"]

[[schools]]
name = "Mead High School"
level = "high"
officers = 2

[[schools]]
name = "Northwood Middle School"
level = "middle"
funded_by = "agency"

[insurance]
per_occurrence_limit = 1000000
aggregate_limit = 2000000
"#;

fn profile(term: &str, funding: &str) -> Profile {
    let src =
        format!("{HEAD}\n[term]\n{term}\ntermination_notice_days = 30\n\n[funding]\n{funding}\n");
    Profile::parse(Path::new("p.toml"), src).unwrap_or_else(|e| panic!("{:#?}", e.0))
}

const ONE_YEAR: &str = "start = 2023-07-01\nend = 2024-06-30";

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn amounts(f: &Funding) -> Vec<i64> {
    f.schedule.iter().map(|p| p.cents.unwrap()).collect()
}

fn dues(f: &Funding) -> Vec<Date> {
    f.schedule.iter().map(|p| p.due).collect()
}

#[test]
fn share_with_increase_and_a_prorated_last_year() {
    // Tacoma: $468,000 a year, half each, 3% a year, January 3, 2022 to June 30, 2024.
    let p = profile(
        "start = 2022-01-03\nend = 2024-06-30",
        "annual_cost = 468000.00\nschool_share_percent = 50\nmonths = 12\nbilling = \"quarterly\"\nannual_increase_percent = 3.0",
    );
    let f = p.funding.unwrap();
    assert_eq!(f.shares, Some((23_400_000, 23_400_000)));
    assert_eq!(f.years.len(), 3);
    assert_eq!(f.years[0].end, d(2023, 1, 2));
    // 468,000 x 1.03 = 482,040; x 1.03 again = 496,501.20.
    assert_eq!(f.years[1].price_cents, Some(48_204_000));
    assert!(!f.years[1].prorated);
    // The third year runs January 3 to June 30, 2024: 180 of 366 days of 496,501.20,
    // which is 244,180.92 (49,650,120 x 180 / 366 = 24,418,091.8); half is 122,090.46.
    assert!(f.years[2].prorated);
    assert_eq!(f.years[2].price_cents, Some(24_418_092));
    assert_eq!(f.years[2].school_cents, Some(12_209_046));
    // Quarterly: four payments a year of a quarter of the school's share.
    assert_eq!(f.schedule.len(), 4 + 4 + 2);
    assert_eq!(f.schedule[0].cents, Some(5_850_000));
    assert_eq!(f.schedule[4].cents, Some(6_025_500));
    assert_eq!(f.schedule[8].cents, Some(6_104_523));
    assert_eq!(f.schedule[9].cents, Some(6_104_523));
    assert_eq!(f.schedule[9].due, d(2024, 4, 3));
    assert_eq!(f.schedule[9].period, Some((d(2024, 4, 3), d(2024, 6, 30))));
}

#[test]
fn share_ten_months_monthly_adds_up_to_the_cent() {
    let p = profile(
        ONE_YEAR,
        "annual_cost = 100001.00\nschool_share_percent = 70\nmonths = 10\nbilling = \"monthly\"",
    );
    let f = p.funding.unwrap();
    // 70% of $100,001.00 is $70,000.70: ten payments of $7,000.07.
    assert_eq!(amounts(&f), vec![700_007; 10]);
    assert_eq!(f.schedule[9].due, d(2024, 4, 1));
    assert!(!f.partial);
}

#[test]
fn fixed_yearly_contribution_paid_quarterly() {
    let p = profile(
        ONE_YEAR,
        "model = \"fixed\"\nschool_amount = 72000.00\nmonths = 12\nbilling = \"quarterly\"",
    );
    let f = p.funding.unwrap();
    assert_eq!(f.years[0].school_cents, Some(7_200_000));
    assert_eq!(amounts(&f), vec![1_800_000; 4]);
    assert_eq!(
        dues(&f),
        vec![d(2023, 7, 1), d(2023, 10, 1), d(2024, 1, 1), d(2024, 4, 1)]
    );
    assert_eq!(
        f.schedule[1].period,
        Some((d(2023, 10, 1), d(2023, 12, 31)))
    );
}

#[test]
fn per_officer_counts_the_posts_the_school_funds_and_adds_stipends() {
    // Two posts at Mead High (shared); the Northwood post is the agency's alone.
    let p = profile(
        ONE_YEAR,
        "model = \"per-officer\"\nper_officer_amount = 36910.00\nstipend_per_officer = 2000.00\nmonths = 10\nbilling = \"semester\"",
    );
    let f = p.funding.unwrap();
    assert_eq!(f.funded_posts, 2);
    // 2 x 36,910.00 = 73,820.00, plus 2 x 2,000.00 in stipends = 77,820.00.
    assert_eq!(f.years[0].stipend_cents, Some(400_000));
    assert_eq!(f.years[0].school_cents, Some(7_782_000));
    // Ten months by semester: two payments, July 1 and January 1.
    assert_eq!(amounts(&f), vec![3_891_000, 3_891_000]);
    assert_eq!(dues(&f), vec![d(2023, 7, 1), d(2024, 1, 1)]);
}

#[test]
fn per_officer_increase_rounds_the_rate_then_multiplies() {
    let p = profile(
        "start = 2023-07-01\nend = 2025-06-30",
        "model = \"per-officer\"\nper_officer_amount = 36910.00\nannual_increase_percent = 3\nbilling = \"annual\"",
    );
    let f = p.funding.unwrap();
    // 36,910.00 x 1.03 = 38,017.30 a post; two posts: 76,034.60.
    assert_eq!(amounts(&f), vec![7_382_000, 7_603_460]);
}

#[test]
fn explicit_amounts_for_three_contract_years() {
    let p = profile(
        "start = 2023-07-01\nend = 2026-06-30",
        "model = \"fixed\"\nyears = [207078.08, 210128.24, 213310.85]\nbilling = \"annual\"",
    );
    let f = p.funding.unwrap();
    let school: Vec<i64> = f.years.iter().map(|y| y.school_cents.unwrap()).collect();
    assert_eq!(school, vec![20_707_808, 21_012_824, 21_331_085]);
    assert_eq!(amounts(&f), school);
    assert_eq!(dues(&f), vec![d(2023, 7, 1), d(2024, 7, 1), d(2025, 7, 1)]);
    // 207,078.08 + 210,128.24 + 213,310.85 = 630,517.17.
    assert_eq!(amounts(&f).iter().sum::<i64>(), 63_051_717);
}

#[test]
fn five_month_term_is_one_partial_period_priced_for_the_term() {
    let p = profile(
        "start = 2026-01-05\nend = 2026-05-29",
        "model = \"fixed\"\nschool_amount = 30000.00\namount_basis = \"term\"\nmonths = 10\nbilling = \"monthly\"",
    );
    let f = p.funding.unwrap();
    assert!(f.partial);
    assert_eq!(f.service_months, 5);
    assert_eq!(f.years.len(), 1);
    // $30,000.00 over five monthly payments: $6,000.00 each.
    assert_eq!(amounts(&f), vec![600_000; 5]);
    assert_eq!(f.schedule[4].due, d(2026, 5, 5));
    assert_eq!(f.schedule[4].period, Some((d(2026, 5, 5), d(2026, 5, 29))));
}

#[test]
fn ten_installments_rounded_down_leave_seven_cents_unowed() {
    let list: Vec<String> = (0..10)
        .map(|i| {
            let (y, m) = if i < 5 { (2023, 8 + i) } else { (2024, i - 4) };
            format!("{{ due = {y}-{m:02}-01, percent = 10 }}")
        })
        .collect();
    let p = profile(
        ONE_YEAR,
        &format!(
            "model = \"fixed\"\nschool_amount = 12345.67\nbilling = \"installments\"\ninstallment_rounding = \"equal-down\"\ninstallments = [{}]",
            list.join(", ")
        ),
    );
    let f = p.funding.unwrap();
    // 10% of $12,345.67 is $1,234.567, rounded down to $1,234.56; ten of them are
    // $12,345.60, seven cents short.
    assert_eq!(amounts(&f), vec![123_456; 10]);
    assert_eq!(f.remainder_cents, Some(7));
    assert_eq!(f.schedule[9].due, d(2024, 5, 1));
}

#[test]
fn actual_cost_quarterly_in_arrears_with_a_cap() {
    let p = profile(
        ONE_YEAR,
        "model = \"actual-cost\"\nschool_share_percent = 100\nestimated_annual_cost = 140000\nnot_to_exceed = 150000\nmonths = 12\nbilling = \"quarterly\"\nbilling_timing = \"arrears\"\npayment_terms_days = 45",
    );
    let f = p.funding.unwrap();
    // Each quarter is invoiced the day after it ends and paid within 45 days:
    // October 1 + 45 = November 15; January 1 + 45 = February 15; April 1 + 45 =
    // May 16 (30 days of April); July 1 + 45 = August 15.
    assert_eq!(
        dues(&f),
        vec![
            d(2023, 11, 15),
            d(2024, 2, 15),
            d(2024, 5, 16),
            d(2024, 8, 15)
        ]
    );
    let periods: Vec<(Date, Date)> = f.schedule.iter().map(|p| p.period.unwrap()).collect();
    assert_eq!(
        periods,
        vec![
            (d(2023, 7, 1), d(2023, 9, 30)),
            (d(2023, 10, 1), d(2023, 12, 31)),
            (d(2024, 1, 1), d(2024, 3, 31)),
            (d(2024, 4, 1), d(2024, 6, 30)),
        ]
    );
    // Amounts are the actual cost, known when billed.
    assert!(f.schedule.iter().all(|p| p.cents.is_none()));
    assert_eq!(f.years[0].price_cents, Some(14_000_000));
    for p in &f.schedule {
        assert!(p.due > p.period.unwrap().1, "arrears fall after the period");
    }
}

#[test]
fn first_due_moves_a_derived_schedule() {
    let p = profile(
        ONE_YEAR,
        "model = \"fixed\"\nschool_amount = 60000\nbilling = \"quarterly\"\nfirst_due = 2023-10-31",
    );
    let f = p.funding.unwrap();
    assert_eq!(
        dues(&f),
        vec![
            d(2023, 10, 31),
            d(2024, 1, 31),
            d(2024, 4, 30),
            d(2024, 7, 31)
        ]
    );
}

#[test]
fn split_adds_up_exactly() {
    assert_eq!(split_by_percent(100, &[50.0, 50.0]), vec![50, 50]);
    assert_eq!(split_by_percent(100, &[33.3, 33.3, 33.4]), vec![33, 33, 34]);
    let parts = split_by_percent(12_740_001, &[33.33, 33.33, 33.34]);
    assert_eq!(parts.iter().sum::<i64>(), 12_740_001);
}

#[test]
fn term_months_counts_months_touched() {
    assert_eq!(term_months(d(2026, 1, 5), d(2026, 5, 29)), 5);
    assert_eq!(term_months(d(2022, 8, 9), d(2023, 6, 30)), 11);
    assert_eq!(term_months(d(2023, 7, 1), d(2024, 6, 30)), 12);
}

#[test]
fn absurd_prices_saturate_instead_of_overflowing() {
    // $1,000,000,000,000 doubling each year for 48 years: far past i64 cents. The
    // schedule saturates (and the `money` filter refuses to print it) rather than
    // panicking on overflow.
    let p = profile(
        "start = 2023-07-01\nend = 2071-06-30",
        "annual_cost = 1e12\nschool_share_percent = 100\nannual_increase_percent = 100\nbilling = \"installments\"\ninstallments = [{ due = 2023-11-01, percent = 50 }, { due = 2024-05-01, percent = 50 }]",
    );
    let f = p.funding.unwrap();
    assert_eq!(f.years.len(), 48);
    assert!(amounts(&f).iter().all(|c| *c > 0));
}
