//! The next term's profile: the same agreement, its dates rolled forward and its
//! prices for the new term, written over the original text so that every comment and
//! the layout stay as counsel wrote them (toml_edit edits values in place).
//!
//! Rules, stated once here and in the comment the new profile opens with:
//! - the new term starts the day after the current one ends and is as long, in months,
//!   as the current one, or `--years` long (a term that ends on a month's last day
//!   ends on a month's last day again); a term shorter than a year (a semester)
//!   without `--years` comes back for the same span a year later;
//! - the agreement date keeps its distance in days from the term's start (signed a
//!   month before the term, or a month into it, as before); `first_due` and each
//!   installment's due date move as far as the term does, in months;
//! - prices: with `annual_increase_percent`, the base amount grows by that percent for
//!   each contract year of the current term (compounded, rounded to the cent once), so
//!   the first new year costs what a further year of the old schedule would; with a
//!   `years` list, the amounts after the current term's years are used, and when none
//!   are listed each new year keeps the last year's amount;
//! - the status becomes "draft", and an id that ends in a year gets the new year.

use crate::check::codes;
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::profile::{FundingModel, Profile, cents};
use crate::template::words::long_date;
use toml_edit::{DocumentMut, Item, Table, Value};

/// The renewed profile's text.
pub fn renew(profile: &Profile, years: Option<u32>) -> Result<String, Diagnostic> {
    let raw = &profile.raw;
    let loc = profile.locator();
    let (Some(start), Some(end)) = (raw.term.start, raw.term.end) else {
        let key = if raw.term.start.is_none() {
            "start"
        } else {
            "end"
        };
        return Err(loc.error(
            codes::E0801,
            &["term", key],
            format!("the term has no {key} date, so there is no term length to renew by"),
        ).with_help("give the term's first and last day under [term] (`start = 2025-07-01`, `end = 2026-06-30`), then renew"));
    };
    // The current term in contract years (a partial year counts as one): the new term
    // ends on the same day of the year, that many years later.
    // A term shorter than a year (a semester, a pilot) comes back a year later for the
    // same span; a longer one is followed by the next, as long, without a gap.
    let length = term_months(start, end);
    let (new_start, new_end, months) = if length < 12 && years.is_none() {
        (roll(start, 12), roll(end, 12), 12)
    } else {
        (
            end.next_day().unwrap_or(end),
            roll(end, years.map_or(length, |y| 12 * y)),
            length,
        )
    };
    let mut doc: DocumentMut = profile
        .source
        .parse()
        .map_err(|e| Diagnostic::error(codes::E0101, &profile.path, format!("{e}")))?;
    let mut notes = vec![format!(
        "term: {} to {} ({}), following the term of {} to {}",
        long_date(new_start),
        long_date(new_end),
        length_words(new_start, new_end),
        long_date(start),
        long_date(end)
    )];
    set(&mut doc, &["term", "start"], date_value(new_start));
    set(&mut doc, &["term", "end"], date_value(new_end));

    // The agreement is dated as far before (or after) the new term's start as it was
    // before the old one's: a renewal signed in time stays signed in time.
    let new_date = raw
        .agreement
        .date
        .map(|d| plus_days(new_start, start.days_until(d)));
    if let Some(d) = new_date {
        set(&mut doc, &["agreement", "date"], date_value(d));
        notes.push(format!(
            "agreement date {}, as many days from the new term's start as before",
            long_date(d)
        ));
    }
    let mut moved = Vec::new();
    if let Some(d) = raw.funding.first_due {
        set(
            &mut doc,
            &["funding", "first_due"],
            date_value(roll(d, months)),
        );
        moved.push("first_due");
    }
    if let Some(list) = &raw.funding.installments {
        roll_installments(&mut doc, list, months);
        moved.push("each installment's due date");
    }
    if !moved.is_empty() {
        notes.push(format!(
            "{} moved {months} month(s) later, keeping {} place in the term",
            join(&moved),
            if moved.len() == 1 { "its" } else { "their" }
        ));
    }
    notes.extend(prices(&mut doc, profile, years.map_or(0, |y| y as usize)));
    // Free-form values mean what the clauses that use them say: never guessed at.
    let var_dates: Vec<String> = raw
        .vars
        .iter()
        .filter(|(_, v)| matches!(v, toml::Value::Datetime(_)))
        .map(|(k, _)| format!("vars.{k}"))
        .collect();
    if !var_dates.is_empty() {
        notes.push(format!(
            "{} left as written: check whether the new term changes {}",
            var_dates.join(", "),
            if var_dates.len() == 1 { "it" } else { "them" }
        ));
    }
    set(&mut doc, &["agreement", "status"], Value::from("draft"));
    notes.push("status set to \"draft\": review the new terms, then set it to \"final\"".into());
    if let Some(id) = &raw.agreement.id {
        let new_id = next_id(id, raw.agreement.date, start, new_date, new_start);
        set(&mut doc, &["agreement", "id"], Value::from(new_id.as_str()));
        notes.push(format!("id {id} -> {new_id}"));
    }
    let from = profile
        .path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = format!("# Renewed with `mou renew` from {from}:\n");
    for n in notes {
        out.push_str(&format!("# - {n};\n"));
    }
    out.push('\n');
    out.push_str(&doc.to_string());
    Ok(out)
}

/// Whole months a term touches (July 1 to June 30 is 12, January 3 to June 30 of the
/// year after next is 30), as the payment schedule counts them.
fn term_months(start: Date, end: Date) -> u32 {
    (1..=12 * 50)
        .find(|m| start.add_months(*m).is_none_or(|d| d > end))
        .unwrap_or(12 * 50)
}

/// "one year", "30 months".
fn length_words(start: Date, end: Date) -> String {
    let m = term_months(start, end);
    match (m % 12, m / 12) {
        (0, 1) => "one year".into(),
        (0, y) => format!("{y} years"),
        _ => format!("{m} months"),
    }
}

fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `d` plus `months`; the last day of a month stays the last day of a month.
pub fn roll(d: Date, months: u32) -> Date {
    let last_of_month = d.next_day().is_none_or(|n| n.month() != d.month());
    match d.add_months(months) {
        Some(r) if last_of_month => {
            // The last day of the target month: the day before the first of the next.
            Date::new(r.year(), r.month(), 1)
                .and_then(|first| first.add_months(1))
                .and_then(Date::previous_day)
                .unwrap_or(r)
        }
        Some(r) => r,
        None => d,
    }
}

fn plus_days(d: Date, days: i64) -> Date {
    d.0.checked_add(time::Duration::days(days))
        .map(Date)
        .unwrap_or(d)
}

/// The id with its year moved: `tehachapi-2018` → `tehachapi-2019` (the year of the
/// agreement date or of the term's start), else the new start year appended.
fn next_id(
    id: &str,
    date: Option<Date>,
    start: Date,
    new_date: Option<Date>,
    new_start: Date,
) -> String {
    for (old, new) in [
        (date.map(|d| d.year()), new_date.map(|d| d.year())),
        (Some(start.year()), Some(new_start.year())),
    ] {
        if let (Some(o), Some(n)) = (old, new)
            && let Some(stem) = id.strip_suffix(&format!("-{o}"))
            && o != n
        {
            return format!("{stem}-{n}");
        }
    }
    format!("{id}-{}", new_start.year())
}

fn date_value(d: Date) -> Value {
    match d.to_string().parse::<toml_edit::Datetime>() {
        Ok(dt) => Value::from(dt),
        Err(_) => Value::from(d.to_string()),
    }
}

/// Dollars to the cent, written as a profile writes money (`121540.00`).
fn money_value(c: i64) -> Value {
    format!("{}.{:02}", c / 100, c % 100)
        .parse::<Value>()
        .unwrap_or_else(|_| Value::from(c as f64 / 100.0))
}

fn money_text(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

/// Sets `keys` to `value`, keeping the old value's spacing and trailing comment, and
/// creating the table when only a base profile has it.
fn set(doc: &mut DocumentMut, keys: &[&str], mut value: Value) {
    let (last, tables) = keys.split_last().expect("a key");
    let mut table: &mut dyn toml_edit::TableLike = doc.as_table_mut();
    for k in tables {
        if table.get(k).is_none() {
            table.insert(k, Item::Table(Table::new()));
        }
        let Some(t) = table.get_mut(k).and_then(Item::as_table_like_mut) else {
            return;
        };
        table = t;
    }
    if let Some(old) = table.get(last).and_then(Item::as_value) {
        *value.decor_mut() = old.decor().clone();
    }
    table.insert(last, Item::Value(value));
}

fn roll_installments(doc: &mut DocumentMut, list: &[crate::profile::RawInstallment], months: u32) {
    let in_file = doc
        .get_mut("funding")
        .and_then(|f| f.get_mut("installments"))
        .and_then(Item::as_array_mut);
    match in_file {
        Some(array) => {
            for (v, inst) in array.iter_mut().zip(list) {
                if let Some(t) = v.as_inline_table_mut() {
                    let mut new = date_value(roll(inst.due, months));
                    if let Some(old) = t.get("due") {
                        *new.decor_mut() = old.decor().clone();
                    }
                    t.insert("due", new);
                }
            }
        }
        None => {
            // Written in a base profile: the renewed list is written here.
            let mut array = toml_edit::Array::new();
            for inst in list {
                let mut t = toml_edit::InlineTable::new();
                t.insert("due", date_value(roll(inst.due, months)));
                t.insert("percent", Value::from(inst.percent));
                array.push(t);
            }
            set(doc, &["funding", "installments"], Value::Array(array));
        }
    }
}

/// The prices of the new term, and what was done to them.
fn prices(doc: &mut DocumentMut, profile: &Profile, new_years: usize) -> Vec<String> {
    let f = &profile.raw.funding;
    let done = profile.funding.as_ref().map_or(0, |x| x.years.len());
    let mut notes = Vec::new();
    if let Some(list) = &f.years {
        let n = if new_years > 0 {
            new_years
        } else {
            done.max(1)
        };
        let last = list.last().copied().unwrap_or(0.0);
        let next: Vec<i64> = (0..n)
            .map(|k| cents(list.get(done + k).copied().unwrap_or(last)))
            .collect();
        let mut array = toml_edit::Array::new();
        for c in &next {
            array.push(money_value(*c));
        }
        set(doc, &["funding", "years"], Value::Array(array));
        let listed = list.len().saturating_sub(done);
        notes.push(if listed >= n {
            format!("funding.years: the amounts listed for the {n} year(s) after the current term")
        } else {
            format!(
                "funding.years: {} listed for the new term, each later year at the last year's amount ({}); change `years` to the negotiated prices",
                if listed == 0 { "none".to_string() } else { listed.to_string() },
                money_text(cents(last))
            )
        });
        return notes;
    }
    let Some(p) = f.annual_increase_percent else {
        notes.push("prices unchanged: the profile states no increase and no yearly amounts".into());
        return notes;
    };
    let key = match f.model {
        FundingModel::Share => "annual_cost",
        FundingModel::Fixed => "school_amount",
        FundingModel::PerOfficer => "per_officer_amount",
        FundingModel::ActualCost => "estimated_annual_cost",
    };
    let base = match f.model {
        FundingModel::Share => f.annual_cost,
        FundingModel::Fixed => f.school_amount,
        FundingModel::PerOfficer => f.per_officer_amount,
        FundingModel::ActualCost => f.estimated_annual_cost,
    };
    if let Some(b) = base {
        let factor = (1.0 + p / 100.0).powi(done as i32);
        let new = (cents(b) as f64 * factor).round() as i64;
        set(doc, &["funding", key], money_value(new));
        notes.push(format!(
            "funding.{key} {} -> {}: {}% a year for the {done} contract year(s) of the current term, compounded and rounded to the cent",
            money_text(cents(b)),
            money_text(new),
            crate::template::words::trim_number(p)
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_month_end_stays_a_month_end() {
        assert_eq!(roll(d("2024-06-30"), 30), d("2026-12-31"));
        assert_eq!(roll(d("2023-02-28"), 12), d("2024-02-29"));
        assert_eq!(roll(d("2024-02-29"), 12), d("2025-02-28"));
        assert_eq!(roll(d("2018-12-14"), 12), d("2019-12-14"));
    }

    #[test]
    fn the_year_in_an_id_moves() {
        let id = |s, date, start, new_date, new_start| {
            next_id(s, Some(d(date)), d(start), Some(d(new_date)), d(new_start))
        };
        assert_eq!(
            id(
                "tehachapi-2018",
                "2018-08-01",
                "2018-07-01",
                "2019-08-01",
                "2019-07-01"
            ),
            "tehachapi-2019"
        );
        assert_eq!(
            id(
                "tacoma-2021",
                "2021-11-18",
                "2022-01-03",
                "2024-05-16",
                "2024-07-01"
            ),
            "tacoma-2024"
        );
        assert_eq!(
            id(
                "springfield",
                "2021-11-18",
                "2022-01-03",
                "2024-05-16",
                "2024-07-01"
            ),
            "springfield-2024"
        );
    }

    #[test]
    fn dates_among_the_vars_are_named_not_changed() {
        let source = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid.toml"),
        )
        .unwrap();
        let source =
            format!("{source}\n[vars]\nboard_meeting = 2022-07-12 # the approving meeting\n");
        let p = Profile::parse(std::path::Path::new("valid.toml"), source).unwrap();
        let text = renew(&p, None).unwrap();
        assert!(
            text.contains("# - vars.board_meeting left as written"),
            "{text}"
        );
        assert!(text.contains("board_meeting = 2022-07-12 # the approving meeting"));
        // A partial first year (August 9 to June 30) comes back for the same span.
        assert!(
            text.contains("start = 2023-08-09\nend = 2024-06-30\n"),
            "{text}"
        );
    }
}
