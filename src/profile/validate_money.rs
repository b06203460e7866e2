//! Checks of `[funding]`, `[staffing]` and the money side of `[[schools]]`, each problem
//! located at its key: amounts and percents in range, values that belong to another
//! pricing model, a payee that is no party, roles and hours that cannot be.
use crate::check::codes;

use super::*;
use crate::diag::Diagnostic;

/// The most officers one `[[staffing.roles]]` entry may count (as one school may).
pub const MAX_ROLE_COUNT: u32 = validate::MAX_OFFICERS_PER_SCHOOL;
/// The most days within which an invoice may be payable.
pub const MAX_PAYMENT_TERMS_DAYS: u32 = 365;

/// The parties a profile names, each as (name, short name as printed): the school, the
/// agency, then each `[[parties]]` entry.
pub use super::names::all_parties as party_names;

/// The party a `payee` names, by its index in [`party_names`]: the name or the short
/// name, without case and with or without a leading "the".
pub fn payee_index(raw: &RawProfile, payee: &str) -> Option<usize> {
    let norm = |s: &str| {
        let s = s.trim().to_lowercase();
        s.strip_prefix("the ").map(str::to_string).unwrap_or(s)
    };
    let want = norm(payee);
    party_names(raw).iter().position(|(name, short)| {
        name.as_deref().is_some_and(|n| norm(n) == want) || norm(short) == want
    })
}

fn amount_error(loc: &Locator, keys: &[&str], v: f64) -> Option<Diagnostic> {
    (!(v.is_finite() && (0.0..=1e12).contains(&v))).then(|| {
        loc.error(
            codes::E0130,
            keys,
            format!("expected an amount of dollars between 0 and 1,000,000,000,000, found {v}"),
        )
    })
}

fn percent_error(loc: &Locator, key: &str, v: f64) -> Option<Diagnostic> {
    (!(0.0..=100.0).contains(&v)).then(|| {
        loc.error(
            codes::E0131,
            &["funding", key],
            format!("expected a percent from 0 to 100, found {v}"),
        )
    })
}

pub(super) fn validate(raw: &RawProfile, loc: &Locator, diags: &mut Vec<Diagnostic>) {
    let f = &raw.funding;
    for (key, value) in [
        ("annual_cost", f.annual_cost),
        ("overtime_hourly_rate", f.overtime_hourly_rate),
        ("school_amount", f.school_amount),
        ("per_officer_amount", f.per_officer_amount),
        ("estimated_annual_cost", f.estimated_annual_cost),
        ("stipend_per_officer", f.stipend_per_officer),
        ("not_to_exceed", f.not_to_exceed),
        ("event_hourly_rate", f.event_hourly_rate),
    ] {
        if let Some(d) = value.and_then(|v| amount_error(loc, &["funding", key], v)) {
            diags.push(d);
        }
    }
    for (i, v) in f.years.iter().flatten().enumerate() {
        if let Some(d) = amount_error(loc, &["funding", "years", &i.to_string()], *v) {
            diags.push(d);
        }
    }
    for (key, value) in [
        ("school_share_percent", f.school_share_percent),
        ("annual_increase_percent", f.annual_increase_percent),
        ("overtime_share_percent", f.overtime_share_percent),
    ] {
        if let Some(d) = value.and_then(|v| percent_error(loc, key, v)) {
            diags.push(d);
        }
    }
    if let Some(months) = f.months
        && !(1..=12).contains(&months)
    {
        diags.push(loc.error(
            codes::E0132,
            &["funding", "months"],
            format!("expected 1 to 12 months of service a year, found {months}"),
        ));
    }
    installments(f, loc, diags);
    other_model(f, loc, diags);
    if f.years.is_some() && f.annual_increase_percent.is_some() {
        diags.push(
            loc.error(
                codes::E0138,
                &["funding", "annual_increase_percent"],
                "`years` lists the amount of each contract year, so an annual increase has nothing to apply to",
            )
            .with_help("remove `annual_increase_percent`, or remove `years` to derive later years by the increase"),
        );
    }
    if f.amount_basis == AmountBasis::Term {
        for (key, set) in [
            ("years", f.years.is_some()),
            (
                "annual_increase_percent",
                f.annual_increase_percent.is_some(),
            ),
        ] {
            if set {
                diags.push(
                    loc.error(
                        codes::E0193,
                        &["funding", key],
                        format!("`{key}` prices contract years, but amount_basis = \"term\" prices the whole term at once"),
                    )
                    .with_help("remove it, or set amount_basis = \"year\""),
                );
            }
        }
    }
    if let Some(days) = f.payment_terms_days
        && !(1..=MAX_PAYMENT_TERMS_DAYS).contains(&days)
    {
        diags.push(loc.error(
            codes::E0192,
            &["funding", "payment_terms_days"],
            format!("expected 1 to {MAX_PAYMENT_TERMS_DAYS} days to pay an invoice, found {days}"),
        ));
    }
    if let Some(payee) = &f.payee {
        let names = party_names(raw);
        match payee_index(raw, payee) {
            Some(0) => diags.push(
                loc.error(
                    codes::E0139,
                    &["funding", "payee"],
                    format!("payee \"{payee}\" is the school party, which makes the payments"),
                )
                .with_help("name the party paid: the agency or a funding party"),
            ),
            Some(_) => {}
            None => {
                let known: Vec<String> = names
                    .iter()
                    .map(|(n, s)| match n {
                        Some(n) => format!("\"{n}\" ({s})"),
                        None => format!("\"{s}\""),
                    })
                    .collect();
                diags.push(
                    loc.error(
                        codes::E0139,
                        &["funding", "payee"],
                        format!("payee \"{payee}\" names no party of the agreement"),
                    )
                    .with_help(format!(
                        "name a party by its name or short name: {}",
                        known.join(", ")
                    )),
                );
            }
        }
    }
    staffing(raw, loc, diags);
}

/// A value that only another pricing model, billing or overtime choice reads is a
/// mistake the text would silently drop.
fn other_model(f: &RawFunding, loc: &Locator, diags: &mut Vec<Diagnostic>) {
    use FundingModel::*;
    let model = serde_name(&f.model);
    let keys: [(&str, bool, &[FundingModel]); 5] = [
        ("annual_cost", f.annual_cost.is_some(), &[Share]),
        (
            "school_share_percent",
            f.school_share_percent.is_some(),
            &[Share, ActualCost],
        ),
        ("school_amount", f.school_amount.is_some(), &[Fixed]),
        (
            "per_officer_amount",
            f.per_officer_amount.is_some(),
            &[PerOfficer],
        ),
        (
            "estimated_annual_cost",
            f.estimated_annual_cost.is_some(),
            &[ActualCost],
        ),
    ];
    for (key, set, models) in keys
        .into_iter()
        .chain([("years", f.years.is_some(), &[Fixed][..])])
    {
        if set && !models.contains(&f.model) {
            let wanted: Vec<String> = models
                .iter()
                .map(|m| format!("model = \"{}\"", serde_name(m)))
                .collect();
            diags.push(
                loc.error(
                    codes::E0137,
                    &["funding", key],
                    format!("`{key}` is not used with model = \"{model}\""),
                )
                .with_help(format!(
                    "`{key}` belongs to {}; remove it or change the model",
                    wanted.join(" or ")
                )),
            );
        }
    }
    if f.overtime_share_percent.is_some() && f.overtime != Overtime::Shared {
        diags.push(
            loc.error(
                codes::E0137,
                &["funding", "overtime_share_percent"],
                format!(
                    "`overtime_share_percent` is not used with overtime = \"{}\"",
                    serde_name(&f.overtime)
                ),
            )
            .with_help("set overtime = \"shared\" to split overtime, or remove the percent"),
        );
    }
    if f.billing == Billing::Installments {
        for (key, set, why) in [
            (
                "billing_timing",
                f.billing_timing == BillingTiming::Arrears,
                "`billing_timing` places the payments of a derived schedule, but billing = \"installments\" lists its own dates",
            ),
            (
                "model",
                f.model == FundingModel::ActualCost,
                "model = \"actual-cost\" bills the cost of each period after it is served; installments split a sum known in advance",
            ),
        ] {
            if set {
                diags.push(
                    loc.error(codes::E0137, &["funding", key], why).with_help(
                        "bill by period (billing = \"monthly\", \"quarterly\", …) or remove the installments",
                    ),
                );
            }
        }
    }
    if f.first_due.is_some() && f.billing == Billing::Installments {
        diags.push(
            loc.error(
                codes::E0137,
                &["funding", "first_due"],
                "`first_due` dates a derived schedule, but billing = \"installments\" lists its own dates",
            )
            .with_help("give the first date in the installments list, or remove `first_due`"),
        );
    }
}

fn installments(f: &RawFunding, loc: &Locator, diags: &mut Vec<Diagnostic>) {
    match (&f.billing, &f.installments) {
        (Billing::Installments, None) => diags.push(loc.error(
            codes::E0133,
            &["funding", "billing"],
            "billing = \"installments\" needs an `installments` list",
        )),
        (Billing::Installments, Some(list)) => {
            if list.is_empty() {
                diags.push(loc.error(
                    codes::E0133,
                    &["funding", "installments"],
                    "the installments list is empty",
                ));
            }
            let mut total = 0.0;
            for (i, inst) in list.iter().enumerate() {
                if !(inst.percent > 0.0 && inst.percent <= 100.0) {
                    diags.push(loc.error(
                        codes::E0131,
                        &["funding", "installments", &i.to_string(), "percent"],
                        format!(
                            "expected a percent above 0 and at most 100, found {}",
                            inst.percent
                        ),
                    ));
                }
                total += inst.percent;
                if i > 0 && inst.due <= list[i - 1].due {
                    diags.push(loc.error(
                        codes::E0134,
                        &["funding", "installments", &i.to_string(), "due"],
                        format!(
                            "installment {} is due {} but must come after installment {} ({})",
                            i + 1,
                            inst.due,
                            i,
                            list[i - 1].due
                        ),
                    ));
                }
            }
            if !list.is_empty() && (total - 100.0).abs() > 1e-6 {
                diags.push(loc.error(
                    codes::E0135,
                    &["funding", "installments"],
                    format!("installment percents add up to {total}, not 100"),
                ));
            }
        }
        (_, Some(_)) => diags.push(
            loc.error(
                codes::E0133,
                &["funding", "installments"],
                format!(
                    "installments are given but billing is \"{}\"",
                    serde_name(&f.billing)
                ),
            )
            .with_help("set billing = \"installments\" or remove the list"),
        ),
        _ => {}
    }
}

fn staffing(raw: &RawProfile, loc: &Locator, diags: &mut Vec<Diagnostic>) {
    let st = &raw.staffing;
    if let Some(h) = st.hours_per_week
        && !(1..=168).contains(&h)
    {
        diags.push(loc.error(
            codes::E0191,
            &["staffing", "hours_per_week"],
            format!("expected 1 to 168 hours in a workweek, found {h}"),
        ));
    }
    let schools: Vec<String> = raw
        .schools
        .iter()
        .map(|s| s.name.trim().to_lowercase())
        .collect();
    for (i, role) in st.roles.iter().enumerate() {
        let idx = i.to_string();
        if role.title.trim().is_empty() {
            diags.push(loc.error(
                codes::E0190,
                &["staffing", "roles", &idx, "title"],
                "the role has no title",
            ));
        }
        if !(1..=MAX_ROLE_COUNT).contains(&role.count) {
            diags.push(loc.error(
                codes::E0190,
                &["staffing", "roles", &idx, "count"],
                format!(
                    "expected 1 to {MAX_ROLE_COUNT} officers in a role, found {}",
                    role.count
                ),
            ));
        }
        if let Some(h) = role.hours_per_year
            && !(1..=8784).contains(&h)
        {
            diags.push(loc.error(
                codes::E0191,
                &["staffing", "roles", &idx, "hours_per_year"],
                format!("expected 1 to 8,784 hours in a year, found {h}"),
            ));
        }
        for (j, name) in role.schools.iter().enumerate() {
            if !schools.contains(&name.trim().to_lowercase()) {
                diags.push(
                    loc.error(
                        codes::E0190,
                        &["staffing", "roles", &idx, "schools", &j.to_string()],
                        format!(
                            "role \"{}\" serves \"{name}\", which is not one of the [[schools]]",
                            role.title
                        ),
                    )
                    .with_help("name a school exactly as its [[schools]] entry does"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::profile::Profile;
    use crate::profile::tests::BASE;
    use std::path::Path;

    /// The codes of the errors of BASE with its `[funding]` table replaced.
    fn codes(funding: &str) -> Vec<&'static str> {
        let start = BASE.find("[funding]").unwrap();
        let end = BASE.find("[insurance]").unwrap();
        let src = format!("{}[funding]\n{funding}\n\n{}", &BASE[..start], &BASE[end..]);
        match Profile::parse(Path::new("p.toml"), src) {
            Ok(_) => Vec::new(),
            Err(d) => d.0.iter().map(|d| d.code).collect(),
        }
    }

    #[test]
    fn values_of_another_model_are_refused() {
        assert_eq!(
            codes("annual_cost = 1000\nschool_share_percent = 50\nschool_amount = 10"),
            ["E0137"]
        );
        assert_eq!(
            codes("model = \"fixed\"\nschool_amount = 10\nannual_cost = 1"),
            ["E0137"]
        );
        assert_eq!(
            codes("model = \"per-officer\"\nper_officer_amount = 10\nyears = [1.0]"),
            ["E0137"]
        );
        assert_eq!(
            codes("model = \"actual-cost\"\nschool_share_percent = 100\nper_officer_amount = 1"),
            ["E0137"]
        );
        assert_eq!(
            codes("annual_cost = 1000\nschool_share_percent = 50\novertime_share_percent = 50"),
            ["E0137"]
        );
        assert!(codes("model = \"actual-cost\"\nschool_share_percent = 100\nestimated_annual_cost = 5\nnot_to_exceed = 9\nbilling = \"quarterly\"\nbilling_timing = \"arrears\"").is_empty());
    }

    #[test]
    fn installments_take_no_timing_and_no_actual_cost() {
        let inst =
            "billing = \"installments\"\ninstallments = [{ due = 2022-11-01, percent = 100 }]";
        assert_eq!(
            codes(&format!(
                "model = \"fixed\"\nschool_amount = 10\nbilling_timing = \"arrears\"\n{inst}"
            )),
            ["E0137"]
        );
        assert_eq!(
            codes(&format!(
                "model = \"actual-cost\"\nschool_share_percent = 100\n{inst}"
            )),
            ["E0137"]
        );
        assert_eq!(
            codes(&format!(
                "model = \"fixed\"\nschool_amount = 10\nfirst_due = 2022-09-01\n{inst}"
            )),
            ["E0137"]
        );
    }

    #[test]
    fn years_with_an_increase_and_term_basis_conflicts() {
        assert_eq!(
            codes("model = \"fixed\"\nyears = [1.0, 2.0]\nannual_increase_percent = 3"),
            ["E0138"]
        );
        assert_eq!(
            codes(
                "model = \"fixed\"\nschool_amount = 1\namount_basis = \"term\"\nannual_increase_percent = 3"
            ),
            ["E0193"]
        );
        assert_eq!(
            codes("annual_cost = 1000\nschool_share_percent = 50\npayment_terms_days = 400"),
            ["E0192"]
        );
    }

    #[test]
    fn payee_names_a_party_by_name_or_short_name() {
        let ok = |payee: &str| {
            codes(&format!(
                "annual_cost = 1000\nschool_share_percent = 50\npayee = \"{payee}\""
            ))
        };
        assert!(ok("West Hartford Police Department").is_empty());
        assert!(ok("the Department").is_empty());
        assert!(ok("department").is_empty());
        assert_eq!(ok("the County"), ["E0139"]);
        // The school makes the payments; it is not paid.
        assert_eq!(ok("the District"), ["E0139"]);
    }
}
