//! How parties are named: "the" before a name that takes it, and the short name a party
//! goes by when the profile gives none. Templates (the context) and validation (a
//! `payee` that must name a party) share it, so both agree on what each party is called.

use super::{AgencyKind, RawAgency, RawExtraParty, RawProfile};

/// Forms of a government's name that begin "<kind> of ...": these take "the".
const OF_FORMS: &[&str] = &[
    "City and County of ",
    "City of ",
    "County of ",
    "Town of ",
    "Village of ",
    "Township of ",
    "Charter Township of ",
    "Borough of ",
    "Parish of ",
    "Municipality of ",
    "Consolidated City of ",
    "Unified Government of ",
    "Metropolitan Government of ",
    "Board of ",
    "Office of ",
];

/// Words naming a body (a department, an office) rather than a place: a name that holds
/// one takes "the" ("the Tacoma Police Department", "the Guilford County Sheriff's
/// Office"); a place's own name does not ("Mayfield Village", "Guilford County").
const BODY_WORDS: &[&str] = &[
    "Department",
    "Office",
    "Bureau",
    "Division",
    "Agency",
    "Authority",
    "Commission",
    "Board",
    "Sheriff",
    "Police",
    "Constabulary",
    "Marshal",
];

/// A government or agency name as it is written after a preposition or at the start of
/// a sentence's subject: "the City of Tacoma", "the Tacoma Police Department", but
/// "Mayfield Village" and "Guilford County", which are names that take no article.
pub fn with_article(name: &str) -> String {
    let name = name.trim();
    if name.starts_with("the ") || name.starts_with("The ") {
        return name.to_string();
    }
    let body = name.split_whitespace().any(|w| {
        let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        let w = w
            .strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .unwrap_or(w);
        BODY_WORDS.contains(&w)
    });
    if body || OF_FORMS.iter().any(|f| name.starts_with(f)) {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

/// "the City" for "City of La Porte", and so on for each "<kind> of" form.
pub fn entity_short_name(name: &str) -> Option<&'static str> {
    const SHORT: &[(&str, &str)] = &[
        ("City and County of ", "the City and County"),
        ("City of ", "the City"),
        ("County of ", "the County"),
        ("Town of ", "the Town"),
        ("Village of ", "the Village"),
        ("Township of ", "the Township"),
        ("Borough of ", "the Borough"),
        ("Parish of ", "the Parish"),
    ];
    SHORT
        .iter()
        .find(|(prefix, _)| name.trim().starts_with(prefix))
        .map(|(_, short)| *short)
}

/// The agency's short name as the text prints it: the profile's, else "the City" for a
/// city acting through its department, else "the Department" / "the Sheriff's Office".
pub fn agency_short_name(ag: &RawAgency) -> String {
    let kind_short = match ag.kind {
        AgencyKind::Police => "the Department",
        AgencyKind::Sheriff => "the Sheriff's Office",
    };
    if let Some(s) = &ag.short_name {
        return s.clone();
    }
    match (&ag.department, &ag.name) {
        (Some(_), Some(name)) => entity_short_name(name).unwrap_or(kind_short).to_string(),
        _ => kind_short.to_string(),
    }
}

/// A further party's short name: the profile's, else "the County" for "County of …",
/// else its name with "the" where it takes one.
pub fn party_short_name(party: &RawExtraParty) -> String {
    party
        .short_name
        .clone()
        .or_else(|| entity_short_name(&party.name).map(str::to_string))
        .unwrap_or_else(|| with_article(&party.name))
}

/// Every party's (name, short name): the school first, then the agency, then each
/// `[[parties]]` entry in order.
pub fn all_parties(raw: &RawProfile) -> Vec<(Option<String>, String)> {
    let mut out = vec![
        (
            raw.school.name.clone(),
            raw.school
                .short_name
                .clone()
                .unwrap_or_else(|| "the District".to_string()),
        ),
        (raw.agency.name.clone(), agency_short_name(&raw.agency)),
    ];
    out.extend(
        raw.parties
            .iter()
            .map(|p| (Some(p.name.clone()), party_short_name(p))),
    );
    out
}
