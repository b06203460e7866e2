//! The stable, serializable view of a profile that templates see (SPEC §2 derived
//! values included), Zola's `ser.rs` pattern. A value the profile leaves out, text,
//! date, list or number alike, becomes a blank marker naming the profile variable to
//! set; [`Blanks`] lists where the markers are, so that what a clause reads can be
//! checked before it renders ([`super::Engine::missing_values`]). A draft prints a
//! marker as `[__________]`.

use crate::profile::names::with_article;
use crate::profile::{
    AgencyKind, Date, Indemnity, Profile, RawSignatory, Renewal, SignRole, Signatory, serde_name,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Delimits a blank marker in rendered text: `\u{E000}term.start\u{E000}`.
pub const BLANK_MARK: char = '\u{E000}';

/// Delimit a cross-reference in rendered text: `\u{E001}ID\u{E002}TEXT\u{E003}`, what
/// `ref()` and `exhibit()` print, so that the Document knows which article the words
/// "Article IV" name (a link, a Word REF field). Profile values never carry them
/// ([`super::escape`] replaces them).
pub const XREF_OPEN: char = '\u{E001}';
pub const XREF_TEXT: char = '\u{E002}';
pub const XREF_CLOSE: char = '\u{E003}';

/// `text`, marked as naming the article `id`.
pub fn xref_marked(id: &str, text: &str) -> String {
    format!("{XREF_OPEN}{id}{XREF_TEXT}{text}{XREF_CLOSE}")
}

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

    // The acts approving the agreement, party by party, for the authorization recital.
    let named: Vec<(Value, &Option<String>)> = [
        (text(&r.school.name, "school.name"), &r.school.authorization),
        (
            articled(&r.agency.name, "agency.name"),
            &r.agency.authorization,
        ),
    ]
    .into_iter()
    .chain(
        r.parties
            .iter()
            .map(|p| (Value::from(with_article(&p.name)), &p.authorization)),
    )
    .collect();
    let all_authorized = named.iter().all(|(_, act)| act.is_some());
    let authorizations: Vec<Value> = named
        .into_iter()
        .filter_map(|(party, act)| act.as_ref().map(|act| json!({"party": party, "act": act})))
        .collect();
    let two = r.parties.is_empty();
    let agreement = json!({
        "id": p.id,
        "title": p.title(),
        "outline": p.outline(),
        "state": a.state,
        "state_name": state_name(&a.state),
        "jurisdiction": jurisdiction(&a.state),
        "date": date(a.date, "agreement.date"),
        "status": serde_name(&a.status),
        "year": num(a.date.or(r.term.start).map(|d| d.year()), "agreement.year"),
        "is_draft": a.status == crate::profile::Status::Draft,
        "numbering": serde_name(&a.numbering),
        // What the text calls one of its numbered parts: "this Article", "this Section".
        "article": match a.numbering {
            crate::document::Numbering::Articles => "Article",
            crate::document::Numbering::Decimal => "Section",
        },
        "authorizations": authorizations,
        "all_authorized": all_authorized,
        // How the text speaks of the parties: two, or three and more (a county that
        // funds a sheriff's program is a third party, and "either party ... the other
        // party" would leave it out).
        "parties": 2 + r.parties.len(),
        "either_party": if two { "either party" } else { "any party" },
        "neither_party": if two { "neither party" } else { "no party" },
        "both_parties": if two { "both parties" } else { "all the parties" },
        "the_other_party": if two { "the other party" } else { "the other parties" },
    });
    let (school_signatories, school_signatory) =
        signatories(&r.school.signatory, &r.school.signatories, "school");
    let school = json!({
        "name": text(&r.school.name, "school.name"),
        "short_name": r.school.short_name.as_deref().unwrap_or("the District"),
        "signatory": school_signatory,
        "signatories": school_signatories,
        "authorization": opt(r.school.authorization.clone()),
        "notice_address": lines(&r.school.notice_address, "school.notice_address"),
    });
    let (head, vehicle) = match r.agency.kind {
        AgencyKind::Police => ("Chief of Police", "police vehicle"),
        AgencyKind::Sheriff => ("Sheriff", "law enforcement vehicle"),
    };
    let ag = &r.agency;
    // v2: `name` is the entity acting through `department`, so the entity is also the
    // government the officers serve; v1: `name` is the department of `government`.
    let government = match (&ag.department, &ag.government) {
        (Some(_), _) => text(&ag.name, "agency.name"),
        (None, g) => text(g, "agency.government"),
    };
    let (agency_signatories, agency_signatory) =
        signatories(&ag.signatory, &ag.signatories, "agency");
    let agency = json!({
        "name": text(&ag.name, "agency.name"),
        "the_name": articled(&ag.name, "agency.name"),
        "kind": serde_name(&ag.kind),
        "government": government,
        "the_government": match government.as_str() {
            Some(g) if blank_var(g).is_none() => Value::from(with_article(g)),
            _ => government.clone(),
        },
        "department": opt(ag.department.clone()),
        "the_department": opt(ag.department.as_deref().map(with_article)),
        "short_name": crate::profile::names::agency_short_name(ag),
        "collective_bargaining": opt(ag.collective_bargaining.clone()),
        "signatory": agency_signatory,
        "signatories": agency_signatories,
        "authorization": opt(ag.authorization.clone()),
        "notice_address": lines(&ag.notice_address, "agency.notice_address"),
        "head": head,
        "vehicle": vehicle,
    });
    let parties: Vec<Value> = r
        .parties
        .iter()
        .enumerate()
        .map(|(i, party)| {
            let at = format!("parties.{i}");
            let (list, one) = signatories(&party.signatory, &party.signatories, &at);
            let short = crate::profile::names::party_short_name(party);
            json!({
                "name": party.name,
                "the_name": with_article(&party.name),
                "short_name": short,
                "role": serde_name(&party.role),
                "notice_address": lines(&party.notice_address, &format!("{at}.notice_address")),
                "signatory": one,
                "signatories": list,
                "authorization": opt(party.authorization.clone()),
            })
        })
        .collect();
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
        "effective": serde_name(&r.term.effective),
        "retroactive": r.term.start.zip(a.date).is_some_and(|(s, d)| s < d),
        "renewal": serde_name(&r.term.renewal),
        // Only the renewal form that reads them has them: a final agreement is not
        // asked for the notice of a renewal it does not have.
        "renewal_notice_days": if r.term.renewal == Renewal::Automatic {
            num(r.term.renewal_notice_days, "term.renewal_notice_days")
        } else {
            Value::Null
        },
        "extensions": match (&r.term.extensions, r.term.renewal) {
            (Some(x), Renewal::Options) => json!({
                "count": x.count,
                "years": x.years,
                "exercised_by": serde_name(&x.exercised_by),
                "notice_days": opt(x.notice_days),
                "condition": opt(x.condition.clone()),
            }),
            _ => Value::Null,
        },
        "termination_notice_days": num(r.term.termination_notice_days, "term.termination_notice_days"),
        "days": num(days, "term.days"),
        "years": num(funding.map(|f| f.years.len()).filter(|n| *n > 0), "term.years"),
    });
    let funding = super::context_money::funding_json(p);
    // Absent [insurance]: every value is a blank, so a final agreement that keeps an
    // insurance clause is stopped naming the clause and the table.
    let insurance = match &r.insurance {
        Some(i) => json!({
            "indemnity": serde_name(&i.indemnity),
            "per_occurrence_limit": num(i.per_occurrence_limit, "insurance.per_occurrence_limit"),
            "aggregate_limit": num(i.aggregate_limit, "insurance.aggregate_limit"),
            "annual_premium": opt(i.annual_premium),
            "insurer": opt(i.insurer.clone()),
            "additional_insured": i.additional_insured,
            "indemnifies": matches!(i.indemnity, Indemnity::Mutual | Indemnity::Agency | Indemnity::School),
        }),
        // One blank for the whole table: a clause that reads it is told once that
        // [insurance] is missing, not once per value.
        None => {
            let b = blank_marker("insurance");
            json!({
                "indemnity": b,
                "per_occurrence_limit": b,
                "aggregate_limit": b,
                "annual_premium": b,
                "insurer": b,
                "additional_insured": b,
                // Derived, never blank: other clauses may ask whether the agreement
                // has an indemnity without needing [insurance].
                "indemnifies": false,
            })
        }
    };
    let vars: Map<String, Value> = r
        .vars
        .iter()
        .map(|(k, v)| (k.clone(), toml_to_json(v)))
        .collect();

    let mut ctx = Map::new();
    ctx.insert("agreement".into(), agreement);
    ctx.insert("school".into(), school);
    ctx.insert("agency".into(), agency);
    ctx.insert("parties".into(), Value::Array(parties));
    ctx.insert("schools".into(), schools);
    ctx.insert("staffing".into(), staffing);
    ctx.insert("term".into(), term);
    ctx.insert("funding".into(), funding);
    ctx.insert("insurance".into(), insurance);
    ctx.insert("vars".into(), Value::Object(vars));
    ctx
}

/// A party's signatories as templates see them, and the first who signs (the person
/// notices are addressed to). The v1 shorthand is one person who signs; a list names
/// each person with a role. A name or title left out is a blank at the key where it
/// belongs (`agency.signatories.1.name`).
fn signatories(
    one: &Option<Signatory>,
    list: &Option<Vec<RawSignatory>>,
    at: &str,
) -> (Value, Value) {
    let person = |name: &Option<String>, title: &Option<String>, key: &str, role: SignRole| {
        json!({
            "name": text(name, &format!("{key}.name")),
            "title": text(title, &format!("{key}.title")),
            "role": serde_name(&role),
        })
    };
    match list {
        Some(list) => {
            let all: Vec<Value> = list
                .iter()
                .enumerate()
                .map(|(i, s)| person(&s.name, &s.title, &format!("{at}.signatories.{i}"), s.role))
                .collect();
            let signer = list
                .iter()
                .position(|s| s.role == SignRole::Signs)
                .map(|i| all[i].clone())
                .unwrap_or_else(|| {
                    person(&None, &None, &format!("{at}.signatory"), SignRole::Signs)
                });
            (Value::Array(all), without_role(signer))
        }
        None => {
            let s = one.clone().unwrap_or_default();
            let signer = person(
                &s.name,
                &s.title,
                &format!("{at}.signatory"),
                SignRole::Signs,
            );
            (Value::Array(vec![signer.clone()]), without_role(signer))
        }
    }
}

fn without_role(mut v: Value) -> Value {
    if let Some(m) = v.as_object_mut() {
        m.remove("role");
    }
    v
}

/// A name with "the" before it, or its blank marker.
fn articled(v: &Option<String>, path: &str) -> Value {
    match v {
        Some(s) => Value::from(with_article(s)),
        None => Value::from(blank_marker(path)),
    }
}

/// The full name of the state whose law governs: "State of Florida", "Commonwealth of
/// Kentucky", "District of Columbia".
pub fn jurisdiction(code: &str) -> String {
    let name = state_name(code);
    match code {
        "" => String::new(),
        _ if name.is_empty() => String::new(),
        "KY" | "MA" | "PA" | "VA" | "PR" => format!("Commonwealth of {name}"),
        "MP" => "Commonwealth of the Northern Mariana Islands".to_string(),
        "DC" => "District of Columbia".to_string(),
        "GU" | "AS" => format!("Territory of {name}"),
        "VI" => "Virgin Islands of the United States".to_string(),
        _ => format!("State of {name}"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_its_full_name_and_the_commonwealths_theirs() {
        const STATES: [&str; 51] = [
            "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID",
            "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC",
            "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
            "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY",
        ];
        for code in STATES {
            let j = jurisdiction(code);
            assert!(
                j.starts_with("State of ")
                    || j.starts_with("Commonwealth of ")
                    || j == "District of Columbia",
                "{code}: {j}"
            );
            assert!(!j.contains(code), "{code}: {j}");
        }
        assert_eq!(jurisdiction("FL"), "State of Florida");
        for (code, name) in [
            ("KY", "Kentucky"),
            ("MA", "Massachusetts"),
            ("PA", "Pennsylvania"),
            ("VA", "Virginia"),
        ] {
            assert_eq!(jurisdiction(code), format!("Commonwealth of {name}"));
        }
        assert_eq!(jurisdiction("DC"), "District of Columbia");
        assert_eq!(jurisdiction("ZZ"), "");
    }

    #[test]
    fn the_article_goes_only_before_names_that_take_it() {
        for (name, want) in [
            ("City of Tacoma", "the City of Tacoma"),
            ("Town of West Hartford", "the Town of West Hartford"),
            ("County of Guilford", "the County of Guilford"),
            ("Village of Mayfield", "the Village of Mayfield"),
            ("Mayfield Village", "Mayfield Village"),
            ("Guilford County", "Guilford County"),
            ("Tacoma Police Department", "the Tacoma Police Department"),
            (
                "Guilford County Sheriff's Office",
                "the Guilford County Sheriff's Office",
            ),
            (
                "Metropolitan Government of Nashville and Davidson County",
                "the Metropolitan Government of Nashville and Davidson County",
            ),
            ("the City of Casselberry", "the City of Casselberry"),
            ("Casselberry", "Casselberry"),
        ] {
            assert_eq!(with_article(name), want);
        }
        assert_eq!(
            crate::profile::names::entity_short_name("City of La Porte"),
            Some("the City")
        );
        assert_eq!(
            crate::profile::names::entity_short_name("Guilford County"),
            None
        );
    }

    fn ctx(edit: impl Fn(String) -> String) -> Map<String, Value> {
        let text = edit(include_str!("../../tests/fixtures/valid.toml").to_string());
        let p = crate::profile::Profile::parse(std::path::Path::new("p.toml"), text).unwrap();
        context_json(&p)
    }

    #[test]
    fn an_entity_acting_through_its_department() {
        let c = ctx(|t| {
            t.replace(
                "name = \"West Hartford Police Department\"",
                "name = \"City of La Porte\"\ndepartment = \"La Porte Police Department\"",
            )
            .replace("government = \"Town of West Hartford\"\n", "")
        });
        let a = &c["agency"];
        assert_eq!(a["the_name"], "the City of La Porte");
        assert_eq!(a["government"], "City of La Porte");
        assert_eq!(a["the_department"], "the La Porte Police Department");
        assert_eq!(a["short_name"], "the City");
        assert_eq!(a["vehicle"], "police vehicle");
    }

    #[test]
    fn signatories_by_role_and_the_one_who_signs() {
        let c = ctx(|t| {
            t.replace(
                "signatory = { name = \"Vernon Riddick, Jr.\", title = \"Chief of Police\" }",
                "signatories = [\n  { name = \"Essie Labrot\", title = \"Town Clerk\", role = \"attests\" },\n  { name = \"Matthew Hart\", title = \"Town Manager\", role = \"signs\" },\n  { title = \"Town Attorney\", role = \"approves-as-to-form\" },\n]",
            )
        });
        let a = &c["agency"];
        assert_eq!(
            a["signatory"],
            json!({"name": "Matthew Hart", "title": "Town Manager"})
        );
        assert_eq!(a["signatories"][0]["role"], "attests");
        assert_eq!(a["signatories"][2]["role"], "approves-as-to-form");
        // A name left out is a blank at the key where it belongs.
        assert_eq!(
            blank_var(a["signatories"][2]["name"].as_str().unwrap()),
            Some("agency.signatories.2.name")
        );
        // The v1 shorthand is one person who signs.
        assert_eq!(c["school"]["signatories"][0]["role"], "signs");
    }

    #[test]
    fn term_forms() {
        let c = ctx(|t| t);
        assert_eq!(c["term"]["retroactive"], false);
        assert_eq!(c["term"]["renewal_notice_days"], Value::Null);
        let c = ctx(|t| {
            t.replace(
                "start = 2022-08-09",
                "start = 2022-07-01\nrenewal = \"automatic\"",
            )
        });
        assert_eq!(c["term"]["retroactive"], true);
        // Automatic renewal without its notice: a blank, never the termination notice.
        assert_eq!(
            blank_var(c["term"]["renewal_notice_days"].as_str().unwrap()),
            Some("term.renewal_notice_days")
        );
    }
}
