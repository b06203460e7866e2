//! The periodic reports, meetings and reviews that clauses schedule, as data.
//!
//! A clause states its schedule in words ("Within fifteen (15) days after the end of
//! each quarter of the school year"); the calendar cannot read words, and must not
//! guess. So each scheduled duty is listed here with the clause that states it and
//! the exact words that state it: an event is made only when the article the agreement
//! actually contains says those words. A new clause version that changes its schedule
//! therefore drops the event rather than dating it wrongly, and the test
//! `calendar::every_scheduled_duty_is_stated_by_an_example` fails until this table
//! follows.

/// When a periodic duty falls, counted from the contract years of the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// The last day of each quarter of each contract year, plus some days.
    QuarterEnd { plus_days: i64 },
    /// The last day of each contract year, plus some days.
    YearEnd { plus_days: i64 },
}

#[derive(Debug, Clone, Copy)]
pub struct Periodic {
    pub clause: &'static str,
    /// Stable name of the event kind (part of its UID).
    pub kind: &'static str,
    /// The words of the clause that set the schedule.
    pub anchor: &'static str,
    pub when: When,
    /// The event's title; `{agency}` and `{school}` are the parties' short names.
    pub summary: &'static str,
}

pub const PERIODIC: &[Periodic] = &[
    Periodic {
        clause: "data-collection",
        kind: "quarterly-data",
        anchor: "At the end of each quarter of the school year, each party will collect and share with the other",
        when: When::QuarterEnd { plus_days: 0 },
        summary: "Quarterly data: each party collects and shares the quarter's data",
    },
    Periodic {
        clause: "data-collection",
        kind: "collaboration-team",
        anchor: "in any event at least once each quarter",
        when: When::QuarterEnd { plus_days: 0 },
        summary: "Last day for this quarter's collaboration team meeting",
    },
    Periodic {
        clause: "data-collection",
        kind: "annual-report",
        anchor: "Within ninety (90) days after the end of each school year, the collaboration team will prepare a written report",
        when: When::YearEnd { plus_days: 90 },
        summary: "Annual report of the collaboration team due",
    },
    Periodic {
        clause: "coverage-reports",
        kind: "coverage-report",
        anchor: "Within fifteen (15) days after the end of each quarter of the school year",
        when: When::QuarterEnd { plus_days: 15 },
        summary: "Quarterly coverage report due from {agency}",
    },
    Periodic {
        clause: "student-advisory-board",
        kind: "advisory-board",
        anchor: "at least once each quarter of the school year",
        when: When::QuarterEnd { plus_days: 0 },
        summary: "Last day for this quarter's Student Advisory Board meeting",
    },
    Periodic {
        clause: "term",
        kind: "annual-review",
        anchor: "During each school year the parties will review together how the Program is working",
        when: When::YearEnd { plus_days: 0 },
        summary: "Annual review of the Program by the parties (by the end of the school year)",
    },
];

/// The words of the annual-renewal text that set the review meeting before each
/// expiration date, and how many days before it.
pub const RENEWAL_MEETING: (&str, i64) = (
    "no later than ninety (90) days before each expiration date",
    90,
);

/// The words of the funding text that set when invoices are sent, in advance (a number
/// of days before each due date) or in arrears (the day after each period).
pub const INVOICE_ADVANCE: (&str, i64) = ("At least thirty (30) days before each due date", 30);
pub const INVOICE_ARREARS: &str = "After the end of each period of service";
