use super::*;
use crate::diag::{Diagnostic, Diagnostics};
use std::path::Path;

pub const BASE: &str = r#"[agreement]
state = "CT"
date = 2022-08-09
status = "final"

[school]
name = "West Hartford Public Schools"
signatory = { name = "Andrew Morrow", title = "Interim Superintendent" }
notice_address = ["50 South Main Street", "West Hartford, CT 06107"]

[agency]
name = "West Hartford Police Department"
kind = "police"
government = "Town of West Hartford"
signatory = { name = "Vernon Riddick, Jr.", title = "Chief of Police" }
notice_address = ["103 Raymond Road", "West Hartford, CT 06107"]

[[schools]]
name = "Hall High School"
level = "high"

[[schools]]
name = "Conard High School"
level = "high"
officers = 2

[term]
start = 2022-08-09
end = 2023-06-30
termination_notice_days = 7

[funding]
annual_cost = 182000.00
school_share_percent = 70
months = 10
billing = "installments"
installments = [
  { due = 2022-11-01, percent = 50 },
  { due = 2023-05-01, percent = 50 },
]

[insurance]
per_occurrence_limit = 1000000
aggregate_limit = 3500000
"#;

fn load(src: &str) -> Result<Profile, Diagnostics> {
    Profile::parse(
        Path::new("profiles/west-hartford-2022.toml"),
        src.to_string(),
    )
}

fn first_error(src: &str) -> Diagnostic {
    let err = load(src).expect_err("profile should be refused");
    err.0.into_iter().next().expect("at least one diagnostic")
}

#[test]
fn base_profile_loads_with_derived_values() {
    let p = load(BASE).unwrap();
    assert_eq!(p.id, "west-hartford-2022");
    assert_eq!(p.officers(), 3);
    let f = p.funding.unwrap();
    assert_eq!(f.shares, Some((12_740_000, 5_460_000)));
    assert_eq!(f.schedule.len(), 2);
    assert_eq!(
        f.schedule.iter().map(|s| s.cents.unwrap()).sum::<i64>(),
        12_740_000
    );
    assert_eq!(f.years.len(), 1);
}

#[test]
fn unknown_key_has_location_and_hint() {
    let src = BASE.replace("months = 10", "monhts = 10");
    let d = first_error(&src);
    assert_eq!(d.code, "E0103");
    assert_eq!(d.file, Path::new("profiles/west-hartford-2022.toml"));
    assert_eq!(d.line, 35);
    assert_eq!(d.column, 1);
    assert_eq!(d.help.as_deref(), Some("did you mean `months`?"));
}

#[test]
fn invalid_enum_lists_choices() {
    let src = BASE.replace("kind = \"police\"", "kind = \"constable\"");
    let d = first_error(&src);
    assert_eq!(d.code, "E0104");
    assert_eq!(d.line, 13);
    let help = d.help.unwrap();
    assert!(
        help.contains("\"police\"") && help.contains("\"sheriff\""),
        "{help}"
    );
}

#[test]
fn wrong_type_is_located() {
    let src = BASE.replace("officers = 2", "officers = \"two\"");
    let d = first_error(&src);
    assert_eq!(d.code, "E0102");
    assert_eq!(d.line, 25);
}

#[test]
fn dates_out_of_order() {
    let src = BASE.replace("end = 2023-06-30", "end = 2022-01-01");
    let d = first_error(&src);
    assert_eq!(d.code, "E0120");
    assert_eq!((d.line, d.column), (29, 7));
}

#[test]
fn share_out_of_range() {
    let src = BASE.replace("school_share_percent = 70", "school_share_percent = 170");
    let d = first_error(&src);
    assert_eq!(d.code, "E0131");
    assert_eq!(d.line, 34);
}

#[test]
fn installments_must_sum_to_100() {
    let src = BASE.replace("percent = 50 },\n]", "percent = 40 },\n]");
    let d = first_error(&src);
    assert_eq!(d.code, "E0135");
    assert!(d.message.contains("90"), "{}", d.message);
}

#[test]
fn aggregate_below_per_occurrence() {
    let src = BASE.replace("aggregate_limit = 3500000", "aggregate_limit = 500000");
    let d = first_error(&src);
    assert_eq!(d.code, "E0136");
    assert_eq!(d.line, 44);
}

#[test]
fn at_least_one_school() {
    let start = BASE.find("[[schools]]").unwrap();
    let end = BASE.find("[term]").unwrap();
    let src = format!("schools = []\n{}{}", &BASE[..start], &BASE[end..]);
    let d = first_error(&src);
    assert_eq!(d.code, "E0112");
}

#[test]
fn duplicate_school_names() {
    let src = BASE.replace("Conard High School", "Hall High School");
    let d = first_error(&src);
    assert_eq!(d.code, "E0114");
    assert_eq!(d.line, 23);
}

#[test]
fn bad_id() {
    let src = BASE.replace("[agreement]\n", "[agreement]\nid = \"../etc\"\n");
    let d = first_error(&src);
    assert_eq!(d.code, "E0110");
    assert_eq!(d.line, 2);
}

#[test]
fn bad_version_requirement() {
    let src = format!("{BASE}\n[clauses]\nversions = {{ duties = \"^^2\" }}\n");
    let d = first_error(&src);
    assert_eq!(d.code, "E0140");
}

#[test]
fn datetime_is_not_a_date() {
    let src = BASE.replace("date = 2022-08-09", "date = 2022-08-09T10:00:00");
    let d = first_error(&src);
    assert_eq!(d.code, "E0102");
    assert_eq!(d.line, 3);
}

#[test]
fn syntax_error_is_located() {
    let src = BASE.replace("state = \"CT\"", "state = \"CT");
    let d = first_error(&src);
    assert_eq!(d.code, "E0101");
    assert_eq!(d.line, 2);
}

#[test]
fn draft_may_leave_values_out() {
    let src = BASE
        .replace("status = \"final\"", "status = \"draft\"")
        .replace("annual_cost = 182000.00\n", "")
        .replace("start = 2022-08-09\n", "");
    let p = load(&src).unwrap();
    let f = p.funding.unwrap();
    assert_eq!(f.shares, None);
    assert!(f.years.is_empty());
    assert_eq!(f.schedule.len(), 2);
    assert_eq!(f.schedule[0].cents, None);
}

#[test]
fn terms_over_fifty_years_are_refused_where_written() {
    let src = BASE.replace("end = 2023-06-30", "end = 2090-06-30");
    assert_ne!(
        src, BASE,
        "the base profile's term end moved; update this test"
    );
    let d = first_error(&src);
    assert_eq!(d.code, "E0120");
    assert!(d.message.contains("the limit is 50 years"), "{}", d.message);
    let line = src
        .lines()
        .position(|l| l.starts_with("end = 2090"))
        .unwrap()
        + 1;
    assert_eq!(d.line, line);
}

#[test]
fn officer_counts_are_bounded() {
    let src = BASE.replacen("officers = 2", "officers = 4294967295", 1);
    assert_ne!(
        src, BASE,
        "the base profile has no `officers = 2`; update this test"
    );
    let d = first_error(&src);
    assert_eq!(d.code, "E0116");
}

#[test]
fn line_breaks_and_control_characters_in_values_are_refused() {
    for (escape, what) in [
        ("\\n", "a line break"),
        ("\\u0000", "U+0000"),
        ("\\u001b[2J", "U+001B"),
        ("\\t", "U+0009"),
    ] {
        let src = BASE.replace(
            "name = \"Andrew Morrow\"",
            &format!("name = \"Andrew{escape}Morrow\""),
        );
        assert_ne!(src, BASE);
        let d = first_error(&src);
        assert_eq!(d.code, "E0117", "{escape}");
        assert!(d.message.contains(what), "{escape}: {}", d.message);
        let line = src.lines().position(|l| l.contains("Andrew")).unwrap() + 1;
        assert_eq!(d.line, line, "{escape}");
    }
    let multi = BASE.replace(
        "name = \"West Hartford Public Schools\"",
        "name = \"\"\"West Hartford\nPublic Schools\"\"\"",
    );
    assert_eq!(first_error(&multi).code, "E0117");
    // An escape that is not a control character is fine.
    let ok = BASE.replace("Andrew Morrow", "Andr\\u00e9 Morrow");
    assert_eq!(
        load(&ok)
            .unwrap()
            .raw
            .school
            .signatory
            .as_ref()
            .and_then(|s| s.name.as_deref()),
        Some("André Morrow")
    );
}
