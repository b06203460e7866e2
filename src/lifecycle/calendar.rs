//! Every dated obligation of an agreement: its term, the deadlines for notice, each
//! payment and invoice, and the periodic duties its clauses schedule.
//!
//! Dates come from the profile's values and the derived payment schedule (the same
//! figures the agreement prints); an event is made only for an article the assembled
//! agreement contains, and names that article by its number and title. What a draft
//! leaves blank is left out, with a warning naming what.

use super::obligations::{self, PERIODIC, When};
use crate::check::codes;
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::document::Document;
use crate::profile::{Profile, Renewal};
use serde::Serialize;

/// The article an event comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub id: String,
    /// "Article X" (or "Section 10" with decimal numbering); absent when unnumbered.
    pub reference: Option<String>,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Agreement id.
    pub agreement: String,
    /// "School Resource Officer Agreement between A and B".
    pub agreement_name: String,
    pub date: Date,
    /// Stable kind (`payment`, `term-end`, `quarterly-data`, ...).
    pub kind: String,
    /// Sequence within the kind, from 1 (payments, invoices, quarters).
    pub seq: u32,
    pub summary: String,
    pub description: String,
    pub article: Source,
    /// Payments: the amount in cents, when the profile fixes it.
    pub amount_cents: Option<i64>,
    pub payer: Option<String>,
    pub payee: Option<String>,
    /// Stable across runs: a hash of the agreement id, the kind, its sequence and the
    /// date.
    pub uid: String,
}

/// The events of one agreement, in date order, and a warning for each kind of date a
/// draft leaves blank.
pub fn events(profile: &Profile, doc: &Document) -> (Vec<Event>, Vec<Diagnostic>) {
    let mut cx = Cx {
        profile,
        doc,
        out: Vec::new(),
    };
    let mut warnings = Vec::new();
    let raw = &profile.raw;
    let loc = profile.locator();
    let (start, end) = (raw.term.start, raw.term.end);
    if start.is_none() {
        warnings.push(loc.warning(
            codes::W0800,
            &["term", "start"],
            "the term has no start date: its start, the payments derived from it and the periodic duties are left out of the calendar",
        ));
    }
    if end.is_none() {
        warnings.push(loc.warning(
            codes::W0800,
            &["term", "end"],
            "the term has no end date: its end, the notice deadlines before it and the periodic duties are left out of the calendar",
        ));
    }
    if let Some(s) = start {
        cx.push(
            "term",
            "term-start",
            1,
            s,
            "Term begins".into(),
            String::new(),
        );
    }
    if let Some(e) = end {
        cx.push("term", "term-end", 1, e, "Term ends".into(), String::new());
        term_deadlines(&mut cx, e);
        if let Some(days) = raw.term.termination_notice_days {
            cx.push(
                "termination",
                "termination-notice",
                1,
                minus(e, i64::from(days)),
                format!("Last day to give {days} days' notice of termination effective at the end of the Term"),
                format!(
                    "Either party may terminate on at least {days} days' written notice; notice given by this day ends the Agreement no later than the last day of the Term ({}).",
                    crate::template::words::long_date(e)
                ),
            );
        }
    }
    payments(&mut cx);
    let blank_amounts = profile.funding.as_ref().is_some_and(|f| {
        raw.funding.model != crate::profile::FundingModel::ActualCost
            && f.schedule.iter().any(|p| p.cents.is_none())
    });
    if blank_amounts {
        warnings.push(loc.warning(
            codes::W0800,
            &["funding"],
            "the payments have no amounts (a value of [funding] is left blank): their events carry no amount",
        ));
    }
    periodic(&mut cx);
    let mut out = cx.out;
    out.sort_by(|a, b| (a.date, &a.kind, a.seq).cmp(&(b.date, &b.kind, b.seq)));
    (out, warnings)
}

struct Cx<'a> {
    profile: &'a Profile,
    doc: &'a Document,
    out: Vec<Event>,
}

impl Cx<'_> {
    /// The article with this clause id, when the agreement has it.
    fn article(&self, id: &str) -> Option<Source> {
        let a = self.doc.articles.iter().find(|a| a.id == id)?;
        Some(Source {
            id: a.id.clone(),
            reference: a.reference(),
            title: a.title.clone(),
        })
    }

    /// Adds an event from the article `id`; none when the agreement lacks it.
    fn push(&mut self, id: &str, kind: &str, seq: u32, date: Date, summary: String, more: String) {
        self.push_money(id, kind, seq, date, summary, more, None);
    }

    #[allow(clippy::too_many_arguments)]
    fn push_money(
        &mut self,
        id: &str,
        kind: &str,
        seq: u32,
        date: Date,
        summary: String,
        more: String,
        money: Option<(Option<i64>, String, String)>,
    ) {
        let Some(article) = self.article(id) else {
            return;
        };
        let agreement = self.profile.id.as_str().to_string();
        let name = format!("{} {}", self.doc.title, self.doc.subtitle);
        let from = match &article.reference {
            Some(r) => format!("{r} ({})", article.title),
            None => article.title.clone(),
        };
        let mut description = format!("{name} ({agreement}), {from}.");
        if !more.is_empty() {
            description.push(' ');
            description.push_str(&more);
        }
        let uid = format!(
            "{}@mou",
            &crate::hash::sha256_hex(format!("{agreement}\n{kind}\n{seq}\n{date}").as_bytes())
                [..32]
        );
        let (amount_cents, payer, payee) = match money {
            Some((c, payer, payee)) => (c, Some(payer), Some(payee)),
            None => (None, None, None),
        };
        self.out.push(Event {
            agreement: agreement.clone(),
            agreement_name: name,
            date,
            kind: kind.to_string(),
            seq,
            summary: format!("{agreement}: {summary}"),
            description,
            article,
            amount_cents,
            payer,
            payee,
            uid,
        });
    }

    fn says(&self, id: &str, words: &str) -> bool {
        states(self.doc, id, words)
    }
}

/// Text with runs of white space as one space, so a line break in a clause file does
/// not hide its words.
fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn minus(d: Date, days: i64) -> Date {
    d.0.checked_sub(time::Duration::days(days))
        .map(Date)
        .unwrap_or(d)
}

fn plus(d: Date, days: i64) -> Date {
    d.0.checked_add(time::Duration::days(days))
        .map(Date)
        .unwrap_or(d)
}

/// The deadlines before the end of the term: notice of non-renewal, the exercise of an
/// extension option, the review meeting before an annual renewal.
fn term_deadlines(cx: &mut Cx, end: Date) {
    let term = &cx.profile.raw.term;
    match term.renewal {
        Renewal::Automatic => {
            if let Some(days) = term.renewal_notice_days {
                cx.push(
                    "term",
                    "non-renewal-notice",
                    1,
                    minus(end, i64::from(days)),
                    format!(
                        "Last day to give notice of non-renewal ({days} days before the Term ends)"
                    ),
                    "Without this notice the Agreement renews automatically for a further year."
                        .into(),
                );
            }
        }
        Renewal::Options => {
            if let Some(x) = &term.extensions {
                let (date, how) = match x.notice_days {
                    Some(d) => (
                        minus(end, i64::from(d)),
                        format!("{d} days before the Term ends"),
                    ),
                    None => (end, "before the Term ends".to_string()),
                };
                cx.push(
                    "term",
                    "extension-notice",
                    1,
                    date,
                    format!("Last day to exercise an extension option ({how})"),
                    format!(
                        "Up to {} extension(s) of {} year(s) each may be exercised by written notice.",
                        x.count, x.years
                    ),
                );
            }
        }
        Renewal::Annual => {
            let (words, days) = obligations::RENEWAL_MEETING;
            if cx.says("term", words) {
                cx.push(
                    "term",
                    "renewal-review",
                    1,
                    minus(end, days),
                    "Last day for the parties' review meeting before renewal".into(),
                    format!("The parties meet {days} days before the expiration date at the latest to review the Program, the staffing plan and the cost for the following year."),
                );
            }
        }
        Renewal::None => {}
    }
}

/// Each payment of the schedule, and the invoice before or after it.
fn payments(cx: &mut Cx) {
    let Some(funding) = &cx.profile.funding else {
        return;
    };
    let raw = &cx.profile.raw;
    let parties = &cx.doc.parties;
    let payer = parties.first().cloned().unwrap_or_default();
    let payee_at = raw
        .funding
        .payee
        .as_deref()
        .and_then(|p| crate::profile::payee_index(raw, p))
        .unwrap_or(1);
    let payee = parties.get(payee_at).cloned().unwrap_or_default();
    let advance = cx.says("funding", obligations::INVOICE_ADVANCE.0);
    let arrears = cx.says("funding", obligations::INVOICE_ARREARS);
    let n = funding.schedule.len();
    for (i, p) in funding.schedule.iter().enumerate() {
        let seq = i as u32 + 1;
        let amount = match p.cents {
            Some(c) => crate::template::words::money(c, true),
            None if raw.funding.model == crate::profile::FundingModel::ActualCost => {
                "the share of the actual cost invoiced".to_string()
            }
            None => "an amount the draft leaves blank".to_string(),
        };
        let period = p
            .period
            .map(|(a, b)| {
                format!(
                    " for service from {} to {}",
                    crate::template::words::long_date(a),
                    crate::template::words::long_date(b)
                )
            })
            .unwrap_or_default();
        cx.push_money(
            "funding",
            "payment",
            seq,
            p.due,
            format!("Payment {seq} of {n} due: {amount} from {payer} to {payee}"),
            format!("Payment {seq} of {n}{period}: {amount}, paid by {payer} to {payee}."),
            Some((p.cents, payer.clone(), payee.clone())),
        );
        let invoice = if arrears {
            p.period.map(|(_, b)| plus(b, 1))
        } else if advance {
            Some(minus(p.due, obligations::INVOICE_ADVANCE.1))
        } else {
            None
        };
        if let Some(day) = invoice {
            let when = if arrears {
                "the first day after the period served".to_string()
            } else {
                format!(
                    "{} days before the due date at the latest",
                    obligations::INVOICE_ADVANCE.1
                )
            };
            cx.push_money(
                "funding",
                "invoice",
                seq,
                day,
                format!("Invoice for payment {seq} of {n}: {payee} invoices {payer}"),
                format!("The invoice for payment {seq} ({amount}) is sent {when}."),
                Some((p.cents, payer.clone(), payee.clone())),
            );
        }
    }
}

/// The quarters and years of the term, from its contract years.
fn periodic(cx: &mut Cx) {
    let years: Vec<(Date, Date)> = match &cx.profile.funding {
        Some(f) => f.years.iter().map(|y| (y.start, y.end)).collect(),
        None => Vec::new(),
    };
    if years.is_empty() {
        return;
    }
    let names = crate::profile::party_names(&cx.profile.raw);
    let agency = names.get(1).map(|(_, s)| s.clone()).unwrap_or_default();
    let school = names.first().map(|(_, s)| s.clone()).unwrap_or_default();
    for duty in PERIODIC {
        if !cx.says(duty.clause, duty.anchor) {
            continue;
        }
        let summary = duty
            .summary
            .replace("{agency}", &agency)
            .replace("{school}", &school);
        let mut seq = 0;
        for (y, &(start, end)) in years.iter().enumerate() {
            let dates: Vec<(Date, String)> = match duty.when {
                When::QuarterEnd { plus_days } => quarter_ends(start, end)
                    .into_iter()
                    .enumerate()
                    .map(|(q, d)| {
                        (
                            plus(d, plus_days),
                            format!(
                                "Quarter {} of contract year {} ends {}.",
                                q + 1,
                                y + 1,
                                crate::template::words::long_date(d)
                            ),
                        )
                    })
                    .collect(),
                When::YearEnd { plus_days } => vec![(
                    plus(end, plus_days),
                    format!(
                        "Contract year {} ends {}.",
                        y + 1,
                        crate::template::words::long_date(end)
                    ),
                )],
            };
            for (date, note) in dates {
                seq += 1;
                cx.push(
                    duty.clause,
                    duty.kind,
                    seq,
                    date,
                    summary.clone(),
                    format!("{note} The Agreement says: \"{}\".", duty.anchor),
                );
            }
        }
    }
}

/// The last day of each quarter of a contract year, counted from its start; a short
/// year ends its last quarter early.
pub fn quarter_ends(start: Date, end: Date) -> Vec<Date> {
    let mut out = Vec::new();
    for k in 1..=4u32 {
        let Some(e) = start.add_months(3 * k).and_then(Date::previous_day) else {
            break;
        };
        if e >= end {
            out.push(end);
            break;
        }
        out.push(e);
    }
    out
}

/// Whether the article `id` of the agreement says `words` (white space aside).
pub fn states(doc: &Document, id: &str, words: &str) -> bool {
    doc.articles.iter().find(|a| a.id == id).is_some_and(|a| {
        let text: Vec<String> = crate::lifecycle::text::segments(&a.blocks)
            .into_iter()
            .map(|s| s.text)
            .collect();
        normalize(&text.join(" ")).contains(&normalize(words))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_of_a_year_and_of_a_short_year() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(
            quarter_ends(d("2018-07-01"), d("2019-06-30")),
            [
                d("2018-09-30"),
                d("2018-12-31"),
                d("2019-03-31"),
                d("2019-06-30")
            ]
        );
        assert_eq!(
            quarter_ends(d("2022-08-09"), d("2023-01-15")),
            [d("2022-11-08"), d("2023-01-15")]
        );
    }
}
