//! The stable, serializable view of a profile that templates see (SPEC §2 derived
//! values included), Zola's `ser.rs` pattern. A value the profile leaves out, text,
//! date, list or number alike, becomes a blank marker naming the profile variable to
//! set; [`Blanks`] lists where the markers are, so that what a clause reads can be
//! checked before it renders ([`super::Engine::missing_values`]). A draft prints a
//! marker as `[__________]`.

use crate::profile::{AgencyKind, Date, Profile, serde_name};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Delimits a blank marker in rendered text: `\u{E000}term.start\u{E000}`.
pub const BLANK_MARK: char = '\u{E000}';

pub fn blank_marker(path: &str) -> String {
    format!("{BLANK_MARK}{path}{BLANK_MARK}")
}

/// The variable a value that is exactly one blank marker stands for.
pub fn blank_var(s: &str) -> Option<&str> {
    s.strip_prefix(BLANK_MARK)
        .and_then(|r| r.strip_suffix(BLANK_MARK))
        .filter(|v| !v.is_empty() && !v.contains(BLANK_MARK))
}

fn text(v: &Option<String>, path: &str) -> Value {
    match v {
        Some(s) => Value::from(s.as_str()),
        None => Value::from(blank_marker(path)),
    }
}

fn date(v: Option<Date>, path: &str) -> Value {
    match v {
        Some(d) => Value::from(d.to_string()),
        None => Value::from(blank_marker(path)),
    }
}

/// A number, or the marker of the variable it comes from. A missing number is a marker
/// like any other (no stand-in number a template could compare as if it were known):
/// clauses that test one are stopped before rendering.
fn num<T: Into<Value>>(v: Option<T>, path: &str) -> Value {
    match v {
        Some(x) => x.into(),
        None => Value::from(blank_marker(path)),
    }
}

/// Absent optional values are `null`, so `{% if x %}` works on them.
fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map(Into::into).unwrap_or(Value::Null)
}

fn lines(v: &Option<Vec<String>>, path: &str) -> Value {
    match v {
        Some(lines) => json!(lines),
        None => json!([blank_marker(path)]),
    }
}

pub fn context_for(p: &Profile) -> tera::Context {
    profile_context(p).0
}

/// The template context of a profile and where its blanks are.
pub fn profile_context(p: &Profile) -> (tera::Context, Blanks) {
    let json = context_json(p);
    let blanks = Blanks::of(&json);
    let mut ctx = tera::Context::new();
    for (key, value) in json {
        ctx.insert(key, &value);
    }
    (ctx, blanks)
}

/// Context paths that hold a blank marker, each with the profile variable it names:
/// `funding.school_amount` → `funding.annual_cost`. An element of a list is written
/// `path[]` (`funding.schedule[].amount`), as [`super::syntax::Use::resolved`] writes
/// a loop variable's path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blanks(BTreeMap<String, String>);

impl Blanks {
    pub fn of(ctx: &Map<String, Value>) -> Blanks {
        fn walk(path: &mut String, v: &Value, out: &mut BTreeMap<String, String>) {
            match v {
                Value::String(s) => {
                    let inner = s
                        .strip_prefix(BLANK_MARK)
                        .and_then(|r| r.strip_suffix(BLANK_MARK));
                    if let Some(var) = inner.filter(|v| !v.is_empty() && !v.contains(BLANK_MARK)) {
                        out.entry(path.clone()).or_insert_with(|| var.to_string());
                    }
                }
                Value::Array(items) => {
                    let len = path.len();
                    path.push_str("[]");
                    for item in items {
                        walk(path, item, out);
                    }
                    path.truncate(len);
                }
                Value::Object(map) => {
                    for (key, item) in map {
                        let len = path.len();
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(key);
                        walk(path, item, out);
                        path.truncate(len);
                    }
                }
                _ => {}
            }
        }
        let mut out = BTreeMap::new();
        for (key, value) in ctx {
            // Free-form values are the profile's own text, never blanks.
            if key != "vars" {
                walk(&mut key.clone(), value, &mut out);
            }
        }
        Blanks(out)
    }

    /// The profile variable left out at a context path, if the path holds a blank.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The template context as JSON: the schema templates are checked against.
pub fn context_json(p: &Profile) -> Map<String, Value> {
    let r = &p.raw;
    let a = &r.agreement;
    let funding = p.funding.as_ref();

    let agreement = json!({
        "id": p.id,
        "title": p.title(),
        "outline": p.outline(),
        "state": a.state,
        "state_name": state_name(&a.state),
        "date": date(a.date, "agreement.date"),
        "status": serde_name(&a.status),
        "year": num(a.date.or(r.term.start).map(|d| d.year()), "agreement.year"),
        "is_draft": a.status == crate::profile::Status::Draft,
    });
    let school = json!({
        "name": text(&r.school.name, "school.name"),
        "short_name": r.school.short_name.as_deref().unwrap_or("the District"),
        "signatory": {
            "name": text(&r.school.signatory.name, "school.signatory.name"),
            "title": text(&r.school.signatory.title, "school.signatory.title"),
        },
        "notice_address": lines(&r.school.notice_address, "school.notice_address"),
    });
    let (head, default_short) = match r.agency.kind {
        AgencyKind::Police => ("Chief of Police", "the Department"),
        AgencyKind::Sheriff => ("Sheriff", "the Sheriff's Office"),
    };
    let agency = json!({
        "name": text(&r.agency.name, "agency.name"),
        "kind": serde_name(&r.agency.kind),
        "government": text(&r.agency.government, "agency.government"),
        "short_name": r.agency.short_name.as_deref().unwrap_or(default_short),
        "signatory": {
            "name": text(&r.agency.signatory.name, "agency.signatory.name"),
            "title": text(&r.agency.signatory.title, "agency.signatory.title"),
        },
        "notice_address": lines(&r.agency.notice_address, "agency.notice_address"),
        "head": head,
    });
    let schools = super::context_money::schools_json(p);
    let staffing = super::context_money::staffing_json(p);
    let days = r
        .term
        .start
        .zip(r.term.end)
        .map(|(s, e)| s.days_until(e) + 1);
    let term = json!({
        "start": date(r.term.start, "term.start"),
        "end": date(r.term.end, "term.end"),
        "renewal": serde_name(&r.term.renewal),
        "termination_notice_days": num(r.term.termination_notice_days, "term.termination_notice_days"),
        "days": num(days, "term.days"),
        "years": num(funding.map(|f| f.years.len()).filter(|n| *n > 0), "term.years"),
    });
    let funding = super::context_money::funding_json(p);
    let i = &r.insurance;
    let insurance = json!({
        "indemnity": serde_name(&i.indemnity),
        "per_occurrence_limit": num(i.per_occurrence_limit, "insurance.per_occurrence_limit"),
        "aggregate_limit": num(i.aggregate_limit, "insurance.aggregate_limit"),
        "annual_premium": opt(i.annual_premium),
        "insurer": opt(i.insurer.clone()),
        "additional_insured": i.additional_insured,
    });
    let vars: Map<String, Value> = r
        .vars
        .iter()
        .map(|(k, v)| (k.clone(), toml_to_json(v)))
        .collect();

    let mut ctx = Map::new();
    ctx.insert("agreement".into(), agreement);
    ctx.insert("school".into(), school);
    ctx.insert("agency".into(), agency);
    ctx.insert("schools".into(), schools);
    ctx.insert("staffing".into(), staffing);
    ctx.insert("term".into(), term);
    ctx.insert("funding".into(), funding);
    ctx.insert("insurance".into(), insurance);
    ctx.insert("vars".into(), Value::Object(vars));
    ctx
}

fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::from(s.as_str()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::from(*b),
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

/// Full name of a state, district or territory by its USPS code.
pub fn state_name(code: &str) -> &'static str {
    const NAMES: [(&str, &str); 56] = [
        ("AK", "Alaska"),
        ("AL", "Alabama"),
        ("AR", "Arkansas"),
        ("AS", "American Samoa"),
        ("AZ", "Arizona"),
        ("CA", "California"),
        ("CO", "Colorado"),
        ("CT", "Connecticut"),
        ("DC", "the District of Columbia"),
        ("DE", "Delaware"),
        ("FL", "Florida"),
        ("GA", "Georgia"),
        ("GU", "Guam"),
        ("HI", "Hawaii"),
        ("IA", "Iowa"),
        ("ID", "Idaho"),
        ("IL", "Illinois"),
        ("IN", "Indiana"),
        ("KS", "Kansas"),
        ("KY", "Kentucky"),
        ("LA", "Louisiana"),
        ("MA", "Massachusetts"),
        ("MD", "Maryland"),
        ("ME", "Maine"),
        ("MI", "Michigan"),
        ("MN", "Minnesota"),
        ("MO", "Missouri"),
        ("MP", "the Northern Mariana Islands"),
        ("MS", "Mississippi"),
        ("MT", "Montana"),
        ("NC", "North Carolina"),
        ("ND", "North Dakota"),
        ("NE", "Nebraska"),
        ("NH", "New Hampshire"),
        ("NJ", "New Jersey"),
        ("NM", "New Mexico"),
        ("NV", "Nevada"),
        ("NY", "New York"),
        ("OH", "Ohio"),
        ("OK", "Oklahoma"),
        ("OR", "Oregon"),
        ("PA", "Pennsylvania"),
        ("PR", "Puerto Rico"),
        ("RI", "Rhode Island"),
        ("SC", "South Carolina"),
        ("SD", "South Dakota"),
        ("TN", "Tennessee"),
        ("TX", "Texas"),
        ("UT", "Utah"),
        ("VA", "Virginia"),
        ("VI", "the U.S. Virgin Islands"),
        ("VT", "Vermont"),
        ("WA", "Washington"),
        ("WI", "Wisconsin"),
        ("WV", "West Virginia"),
        ("WY", "Wyoming"),
    ];
    NAMES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .map(|i| NAMES[i].1)
        .unwrap_or("")
}
