//! iCalendar (RFC 5545) for the obligations calendar: all-day events, text escaped,
//! lines folded at 75 octets and ended by CRLF.
//!
//! Nothing comes from the clock: DTSTAMP is the agreement's date of execution (else
//! the term's start), so the same profiles give the same bytes, and UIDs are hashes of
//! what the event is, so a calendar re-imported after a rebuild updates its events
//! instead of doubling them.

use super::calendar::Event;
use crate::date::Date;

/// One calendar for every event; `stamps` gives the DTSTAMP date of each agreement.
pub fn write(events: &[Event], stamp: impl Fn(&str) -> Option<Date>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//mou//SRO agreement obligations//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push(&mut out, line);
    }
    for e in events {
        push(&mut out, "BEGIN:VEVENT");
        push(&mut out, &format!("UID:{}", e.uid));
        let stamp = stamp(&e.agreement).unwrap_or(e.date);
        push(&mut out, &format!("DTSTAMP:{}T000000Z", basic(stamp)));
        push(&mut out, &format!("DTSTART;VALUE=DATE:{}", basic(e.date)));
        if let Some(next) = e.date.next_day() {
            push(&mut out, &format!("DTEND;VALUE=DATE:{}", basic(next)));
        }
        push(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        push(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        push(
            &mut out,
            &format!("CATEGORIES:{},{}", escape(&e.kind), escape(&e.agreement)),
        );
        push(&mut out, "TRANSP:TRANSPARENT");
        push(&mut out, "END:VEVENT");
    }
    push(&mut out, "END:VCALENDAR");
    out
}

/// `20181214`: the DATE form of RFC 5545.
fn basic(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, line break.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded so that no line is longer than 75 octets (§3.1),
/// never inside a UTF-8 character, each ended by CRLF.
fn push(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        push(&mut out, &long);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
