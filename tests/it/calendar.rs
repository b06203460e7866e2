//! `mou calendar`: the iCalendar file is read back by a real parser (Python
//! `icalendar`, installed by scripts/deps.sh), every payment of every example is in it,
//! and nothing in it comes from the clock.

use crate::common::{mou, repo};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str]) -> (Vec<u8>, String) {
    let out = mou().arg("calendar").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "mou calendar {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, String::from_utf8(out.stderr).unwrap())
}

/// The events as Python's `icalendar` reads them: uid, start date (ISO), whether the
/// start is a DATE, end, summary, description, categories.
fn parse_with_icalendar(ics: &[u8]) -> Vec<Value> {
    let script = r#"
import sys, json, datetime, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = []
for e in cal.walk("VEVENT"):
    s = e.decoded("DTSTART")
    out.append({
        "uid": str(e["UID"]),
        "start": s.isoformat(),
        "all_day": type(s) is datetime.date,
        "end": e.decoded("DTEND").isoformat(),
        "stamp": e.decoded("DTSTAMP").isoformat(),
        "summary": str(e["SUMMARY"]),
        "description": str(e["DESCRIPTION"]),
    })
assert cal["VERSION"] == "2.0", cal["VERSION"]
assert str(cal["PRODID"]).startswith("-//mou//")
print(json.dumps(out))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (scripts/deps.sh installs it with icalendar)");
    child.stdin.take().unwrap().write_all(ics).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "icalendar could not read the calendar (scripts/deps.sh installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn every_payment_of_every_example_is_in_a_calendar_a_real_parser_reads() {
    let (ics, _) = run(&["profiles"]);
    let (json, _) = run(&["profiles", "--format", "json"]);
    let json: Value = serde_json::from_slice(&json).unwrap();
    let events = json["events"].as_array().unwrap();

    // RFC 5545 framing: CRLF line ends, no line over 75 octets.
    let text = std::str::from_utf8(&ics).unwrap();
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
    }

    let parsed = parse_with_icalendar(&ics);
    assert_eq!(parsed.len(), events.len());
    for (p, e) in parsed.iter().zip(events) {
        assert_eq!(p["uid"], e["uid"]);
        assert_eq!(p["start"], e["date"]);
        assert_eq!(p["all_day"], true);
        assert_eq!(p["summary"], e["summary"], "unfolded and unescaped");
        assert_eq!(p["description"], e["description"]);
    }
    let mut uids: Vec<&str> = events.iter().map(|e| e["uid"].as_str().unwrap()).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");

    // Every payment of the schedule each example derives, with its amount.
    let mut payments = 0;
    for entry in std::fs::read_dir(repo().join("profiles")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let profile = mou::profile::Profile::from_file(&path).unwrap();
        let id = profile.id.as_str().to_string();
        let schedule = &profile.funding.as_ref().unwrap().schedule;
        let got: Vec<(String, Value)> = events
            .iter()
            .filter(|e| e["agreement"] == id.as_str() && e["kind"] == "payment")
            .map(|e| {
                (
                    e["date"].as_str().unwrap().to_string(),
                    e["amount_cents"].clone(),
                )
            })
            .collect();
        let want: Vec<(String, Value)> = schedule
            .iter()
            .map(|p| (p.due.to_string(), p.cents.map_or(Value::Null, Value::from)))
            .collect();
        assert_eq!(got, want, "{id}");
        assert!(!want.is_empty(), "{id} has payments");
        payments += want.len();
        for e in events.iter().filter(|e| e["agreement"] == id.as_str()) {
            let d = e["description"].as_str().unwrap();
            assert!(d.contains(&format!("({id})")), "{d}");
            assert!(
                e["article"]["title"]
                    .as_str()
                    .is_some_and(|t| !t.is_empty())
            );
        }
    }
    assert!(payments > 40, "{payments}");
}

#[test]
fn same_profiles_same_bytes_and_no_clock() {
    let (a, _) = run(&[
        "profiles/tehachapi-2018.toml",
        "profiles/bayshore-2023.toml",
    ]);
    let out = mou()
        .args([
            "calendar",
            "profiles/tehachapi-2018.toml",
            "profiles/bayshore-2023.toml",
        ])
        .env("SOURCE_DATE_EPOCH", "1")
        .env("TZ", "Pacific/Kiritimati")
        .output()
        .unwrap();
    assert_eq!(a, out.stdout);
    let text = String::from_utf8(a).unwrap();
    // DTSTAMP is the agreement's date: tehachapi-2018 was signed August 1, 2018.
    assert!(text.contains("DTSTAMP:20180801T000000Z"), "{text}");
}

#[test]
fn deadlines_before_the_end_of_the_term() {
    let (json, _) = run(&["profiles/bayshore-2023.toml", "--format", "json"]);
    let json: Value = serde_json::from_slice(&json).unwrap();
    let find = |kind: &str| -> Vec<(String, String)> {
        json["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == kind)
            .map(|e| {
                (
                    e["date"].as_str().unwrap().to_string(),
                    e["article"]["reference"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    // The term ends July 31, 2026; extension options need 90 days' notice.
    assert_eq!(find("term-end")[0].0, "2026-07-31");
    assert_eq!(find("extension-notice")[0].0, "2026-05-02");
    assert_eq!(find("termination-notice")[0].0, "2026-05-02");
    assert!(find("extension-notice")[0].1.starts_with("Article "));
    // Three contract years: an annual review at the end of each.
    assert_eq!(
        find("annual-review")
            .iter()
            .map(|(d, _)| d.as_str())
            .collect::<Vec<_>>(),
        ["2024-07-31", "2025-07-31", "2026-07-31"]
    );
}

#[test]
fn a_draft_without_dates_warns_and_leaves_those_events_out() {
    let (json, err) = run(&["profiles/kentucky-city-2025.toml", "--format", "json"]);
    assert!(err.contains("W0800"), "{err}");
    assert!(err.contains("profiles/kentucky-city-2025.toml:"), "{err}");
    // Its amounts are blank too: the payments are listed, without an amount.
    assert!(err.contains("the payments have no amounts"), "{err}");
    let json: Value = serde_json::from_slice(&json).unwrap();
    let kinds: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(!kinds.contains(&"term-start"), "{kinds:?}");
    assert!(
        kinds.contains(&"term-end") && kinds.contains(&"payment"),
        "{kinds:?}"
    );
}

#[test]
fn every_scheduled_duty_is_stated_by_an_example() {
    let docs: Vec<mou::document::Document> = std::fs::read_dir(repo().join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| crate::common::example_document(p.file_name().unwrap().to_str().unwrap()))
        .collect();
    let states = |clause: &str, words: &str| {
        docs.iter()
            .any(|d| mou::lifecycle::calendar::states(d, clause, words))
    };
    for duty in mou::lifecycle::obligations::PERIODIC {
        assert!(
            states(duty.clause, duty.anchor),
            "no example's {} says {:?}",
            duty.clause,
            duty.anchor
        );
    }
    let (words, _) = mou::lifecycle::obligations::RENEWAL_MEETING;
    assert!(states("term", words));
    assert!(states(
        "funding",
        mou::lifecycle::obligations::INVOICE_ADVANCE.0
    ));
    assert!(states(
        "funding",
        mou::lifecycle::obligations::INVOICE_ARREARS
    ));
}

#[test]
fn calendar_bad_input() {
    let out = mou()
        .args(["calendar", "profiles/no-such.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let out = mou()
        .args(["calendar", "profiles", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
