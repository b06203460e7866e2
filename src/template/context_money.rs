//! The money and staffing parts of the template context (SPEC §2 derived values):
//! `schools`, `staffing` and `funding`. A value of the profile's pricing model that is
//! left out is a blank marker naming the key to set; a value of another model is
//! `null`, so a clause may read every model's branch without a final profile of one
//! model being asked for another's values.

use super::context::blank_marker;
use crate::profile::{
    AmountBasis, Date, FundingModel, Profile, Rounding, party_names, payee_index, serde_name,
};
use serde_json::{Value, json};

fn num<T: Into<Value>>(v: Option<T>, path: &str) -> Value {
    match v {
        Some(x) => x.into(),
        None => Value::from(blank_marker(path)),
    }
}

fn dollars(cents: Option<i64>, path: &str) -> Value {
    num(cents.map(|c| c as f64 / 100.0), path)
}

/// A model's value: a number or blank marker under that model, `null` under another.
fn of_model(model: bool, v: Value) -> Value {
    if model { v } else { Value::Null }
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map(Into::into).unwrap_or(Value::Null)
}

fn opt_date(d: Option<Date>) -> Value {
    d.map_or(Value::Null, |d| Value::from(d.to_string()))
}

pub fn schools_json(p: &Profile) -> Value {
    Value::Array(
        p.raw
            .schools
            .iter()
            .map(|s| {
                json!({
                    "name": s.name,
                    "level": serde_name(&s.level),
                    "officers": s.officers,
                    "funded_by": serde_name(&s.funded_by),
                    "may_withdraw": s.may_withdraw,
                })
            })
            .collect(),
    )
}

pub fn staffing_json(p: &Profile) -> Value {
    let st = &p.raw.staffing;
    let officer_title = st
        .officer_title
        .as_deref()
        .unwrap_or("School Resource Officer");
    let roles: Vec<Value> = st
        .roles
        .iter()
        .map(|r| {
            json!({
                "title": r.title,
                "title_plural": plural(&r.title),
                "count": r.count,
                "hours_per_year": opt(r.hours_per_year),
                "full_time": r.hours_per_year.is_none(),
                "schools": r.schools,
                "funded_by": serde_name(&r.funded_by),
            })
        })
        .collect();
    let schools = &p.raw.schools;
    json!({
        "officer_title": officer_title,
        "officer_title_plural": plural(officer_title),
        "abbreviation": st.abbreviation.as_deref().unwrap_or("SRO"),
        "supervisors": st.supervisors,
        "supervisor_rank": opt(st.supervisor_rank.clone()),
        "hours_per_week": opt(st.hours_per_week),
        "duty_hours": opt(st.duty_hours.clone()),
        "roles": roles,
        "officers": p.officers(),
        "funded_officers": crate::profile::funded_posts(&p.raw),
        "agency_funded": schools.iter().any(|s| !s.funded_by.school_pays())
            || st.roles.iter().any(|r| !r.funded_by.school_pays()),
        "school_funded": schools.iter().any(|s| s.funded_by == crate::profile::FundedBy::School)
            || st.roles.iter().any(|r| r.funded_by == crate::profile::FundedBy::School),
        "may_withdraw": schools.iter().any(|s| s.may_withdraw),
        "withdrawable": schools
            .iter()
            .filter(|s| s.may_withdraw)
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        "withdrawable_paid": schools.iter().any(|s| s.may_withdraw && s.funded_by.school_pays()),
        "school_officers": schools.iter().fold(0u32, |n, s| n.saturating_add(s.officers)),
    })
}

pub fn plural(title: &str) -> String {
    if title.ends_with('s') {
        title.to_string()
    } else {
        format!("{title}s")
    }
}

pub fn funding_json(p: &Profile) -> Value {
    let r = &p.raw;
    let f = &r.funding;
    let funding = p.funding.as_ref();
    let model = f.model;
    let share_model = model == FundingModel::Share;
    let fixed = model == FundingModel::Fixed;
    let per_officer = model == FundingModel::PerOfficer;
    let actual = model == FundingModel::ActualCost;
    let shares = funding.and_then(|f| f.shares);
    let months = funding.map_or(f.months.unwrap_or(12), |f| f.service_months);
    // The key a missing amount of this model is set with.
    let amount_key = match model {
        FundingModel::Share => "funding.annual_cost",
        FundingModel::Fixed if f.years.is_some() => "funding.years",
        FundingModel::Fixed => "funding.school_amount",
        FundingModel::PerOfficer => "funding.per_officer_amount",
        FundingModel::ActualCost => "funding.estimated_annual_cost",
    };
    let amount = |c: Option<i64>| {
        if actual {
            dollars(c, amount_key)
                .as_f64()
                .map_or(Value::Null, Value::from)
        } else {
            dollars(c, amount_key)
        }
    };
    let posts = crate::profile::funded_posts(r);
    let cents = crate::profile::cents;
    // The school's amount of the first contract year before stipends (share: of one
    // year's cost), from the profile's values alone: the first year is never prorated
    // or increased, so a draft without a term still prints what it gives.
    let first_base = match model {
        FundingModel::Share => shares.map(|s| s.0),
        FundingModel::Fixed => match &f.years {
            Some(list) => list.first().map(|d| cents(*d)),
            None => f.school_amount.map(cents),
        },
        FundingModel::PerOfficer => f
            .per_officer_amount
            .map(|d| cents(d).saturating_mul(i64::from(posts))),
        FundingModel::ActualCost => f
            .estimated_annual_cost
            .zip(f.school_share_percent)
            .map(|(e, s)| (cents(e) as f64 * s / 100.0).round() as i64),
    };
    let stipend = f
        .stipend_per_officer
        .map(|d| cents(d).saturating_mul(i64::from(posts)));
    let first_total = first_base.map(|b| b.saturating_add(stipend.unwrap_or(0)));
    // Under actual cost, the school's share of the estimate, when there is one.
    let estimate_share = match (f.estimated_annual_cost, f.school_share_percent) {
        (None, _) => Value::Null,
        (Some(_), None) => Value::from(blank_marker("funding.school_share_percent")),
        (Some(_), Some(_)) => dollars(first_base, "funding.school_share_percent"),
    };
    // Whether the school pays anything: the v1 share test, and for other models an
    // amount above zero (an unknown amount is taken to be owed).
    let school_share = match model {
        FundingModel::Share | FundingModel::ActualCost => f.school_share_percent,
        _ => Some(if first_total == Some(0) { 0.0 } else { 100.0 }),
    };
    let school_share_value = if share_model || actual {
        num(f.school_share_percent, "funding.school_share_percent")
    } else {
        school_share.map_or(Value::Null, Value::from)
    };
    let schedule: Vec<Value> = funding
        .map(|f| f.schedule.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|pay| {
            json!({
                "due": pay.due.to_string(),
                "amount": amount(pay.cents),
                "percent": opt(pay.percent),
                "period_start": opt_date(pay.period.map(|p| p.0)),
                "period_end": opt_date(pay.period.map(|p| p.1)),
            })
        })
        .collect();
    let years: Vec<Value> = funding
        .map(|f| f.years.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|y| {
            json!({
                "year": y.year,
                "start": y.start.to_string(),
                "end": y.end.to_string(),
                "price": amount(y.price_cents),
                "prorated": y.prorated,
                "school_amount": amount(y.school_cents),
                "stipend": y.stipend_cents.map_or(Value::Null, |c| Value::from(c as f64 / 100.0)),
                "estimated_school_amount": if actual {
                    y.price_cents.zip(f.school_share_percent).map_or(Value::Null, |(p, s)| {
                        Value::from((p as f64 * s / 100.0).round() / 100.0)
                    })
                } else {
                    Value::Null
                },
            })
        })
        .collect();
    let payee = f
        .payee
        .as_deref()
        .and_then(|payee| payee_index(r, payee))
        .and_then(|i| party_names(r).get(i).map(|(_, short)| short.to_string()));
    let remainder = funding.and_then(|f| f.remainder_cents);
    json!({
        "model": serde_name(&model),
        "annual_cost": of_model(share_model, num(f.annual_cost, "funding.annual_cost")),
        "school_share_percent": school_share_value,
        "agency_share_percent": if share_model || actual {
            num(f.school_share_percent.map(|s| 100.0 - s), "funding.school_share_percent")
        } else {
            school_share.map_or(Value::Null, |s| Value::from(100.0 - s))
        },
        "months": months,
        "overtime": serde_name(&f.overtime),
        "overtime_hourly_rate": opt(f.overtime_hourly_rate),
        "overtime_share_percent": of_model(
            f.overtime == crate::profile::Overtime::Shared,
            num(f.overtime_share_percent, "funding.overtime_share_percent"),
        ),
        "event_hourly_rate": opt(f.event_hourly_rate),
        "billing": serde_name(&f.billing),
        "billing_timing": serde_name(&f.billing_timing),
        "payment_terms_days": opt(f.payment_terms_days),
        "first_due": opt_date(f.first_due),
        "payee": payee.clone().unwrap_or_else(|| {
            party_names(r).get(1).map_or_else(String::new, |(_, short)| short.to_string())
        }),
        "payee_named": payee.is_some(),
        "annual_increase_percent": opt(f.annual_increase_percent),
        "refund_unused": f.refund_unused,
        "school_amount": if actual { estimate_share } else { dollars(first_base, amount_key) },
        "school_total": if actual { Value::Null } else { dollars(first_total, amount_key) },
        "agency_amount": of_model(share_model, dollars(shares.map(|s| s.1), "funding.annual_cost")),
        "monthly_amount": if actual {
            Value::Null
        } else {
            dollars(first_total.map(|s| (s as f64 / months as f64).round() as i64), amount_key)
        },
        "per_officer_amount": of_model(per_officer, num(f.per_officer_amount, "funding.per_officer_amount")),
        "estimated_annual_cost": opt(f.estimated_annual_cost.filter(|_| actual)),
        "stipend_per_officer": opt(f.stipend_per_officer),
        "stipend_amount": stipend.map_or(Value::Null, |c| Value::from(c as f64 / 100.0)),
        "not_to_exceed": opt(f.not_to_exceed),
        "explicit_years": fixed && f.years.is_some(),
        "amount_basis": serde_name(&f.amount_basis),
        "for_term": f.amount_basis == AmountBasis::Term,
        "partial": funding.is_some_and(|f| f.partial),
        "funded_officers": posts,
        "school_pays": school_share.is_none_or(|s| s > 0.0),
        "installment_rounding": serde_name(&f.installment_rounding),
        "equal_down": f.installment_rounding == Rounding::EqualDown,
        "remainder": remainder.map_or(Value::Null, |c| Value::from(c as f64 / 100.0)),
        "schedule": schedule,
        "years": years,
    })
}
