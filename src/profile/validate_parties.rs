//! Checks of the parties, their signatories and the term's renewal forms (SPEC §2 v2):
//! the two ways of naming the agency or a signatory are never mixed, every party has
//! someone who signs, a final agreement names people (not roles or placeholders), and
//! renewal keys come with the renewal form that reads them.
use super::*;
use crate::check::codes;
use crate::diag::Diagnostic;

/// Where a party is in the profile, its v1 `signatory` and its v2 `signatories`.
type PartySigners<'a> = (
    Vec<String>,
    &'a Option<Signatory>,
    &'a Option<Vec<RawSignatory>>,
);

pub(super) fn validate(raw: &RawProfile, loc: &Locator<'_>, diags: &mut Vec<Diagnostic>) {
    if raw.agency.department.is_some() && raw.agency.government.is_some() {
        diags.push(
            loc.error(
                codes::E0170,
                &["agency", "department"],
                "`department` and `government` are both given under [agency]",
            )
            .with_help(
                "v2: name = the legal entity (\"City of La Porte\") and department = \"La Porte Police Department\"; v1: name = the department and government = the entity. Keep one form",
            ),
        );
    }
    let final_status = raw.agreement.status == Status::Final;
    let state = raw.agreement.state.as_str();
    let mut parties: Vec<PartySigners<'_>> = vec![
        (
            vec!["school".into()],
            &raw.school.signatory,
            &raw.school.signatories,
        ),
        (
            vec!["agency".into()],
            &raw.agency.signatory,
            &raw.agency.signatories,
        ),
    ];
    for (i, p) in raw.parties.iter().enumerate() {
        parties.push((
            vec!["parties".into(), i.to_string()],
            &p.signatory,
            &p.signatories,
        ));
        if p.name.trim().is_empty() {
            diags.push(loc.error(
                codes::E0177,
                &["parties", &i.to_string(), "name"],
                "the name of a party under [[parties]] is empty",
            ));
        }
    }
    for (at, one, list) in parties {
        let keys = |k: &[&str]| -> Vec<String> {
            at.iter()
                .cloned()
                .chain(k.iter().map(|s| s.to_string()))
                .collect()
        };
        let table = at.join(".");
        if one.is_some() && list.is_some() {
            let k = keys(&["signatories"]);
            diags.push(
                loc.error(
                    codes::E0171,
                    &refs(&k),
                    format!("[{table}] gives both `signatory` and `signatories`"),
                )
                .with_help("move the person of `signatory` into the `signatories` list, with role = \"signs\""),
            );
        }
        if let Some(list) = list {
            if !list.iter().any(|s| s.role == SignRole::Signs) {
                let k = keys(&["signatories"]);
                diags.push(
                    loc.error(
                        codes::E0172,
                        &refs(&k),
                        format!("no one signs for [{table}]: no signatory has role = \"signs\""),
                    )
                    .with_help("give the person who signs for the party role = \"signs\" (attests, approves-as-to-form and preaudit add lines beside that signature)"),
                );
            }
            for (i, s) in list.iter().enumerate() {
                let idx = i.to_string();
                if s.role == SignRole::Preaudit && state != "NC" {
                    let k = keys(&["signatories", &idx, "role"]);
                    diags.push(
                        loc.error(
                            codes::E0174,
                            &refs(&k),
                            format!(
                                "role = \"preaudit\": the library has the preaudit certificate of North Carolina only, and this agreement is in {state}"
                            ),
                        )
                        .with_help("remove the preaudit signatory, or give the finance officer's certificate in the agreement's own clause text"),
                    );
                }
                placeholder(
                    loc,
                    final_status,
                    &keys(&["signatories", &idx, "name"]),
                    s.name.as_deref(),
                    s.title.as_deref(),
                    diags,
                );
            }
        }
        if let Some(s) = one {
            placeholder(
                loc,
                final_status,
                &keys(&["signatory", "name"]),
                s.name.as_deref(),
                s.title.as_deref(),
                diags,
            );
        }
    }

    // Two parties under one short name make every sentence that uses it ambiguous.
    let mut short: Vec<(Vec<String>, &str)> = Vec::new();
    if let Some(n) = &raw.school.short_name {
        short.push((vec!["school".into(), "short_name".into()], n));
    }
    if let Some(n) = &raw.agency.short_name {
        short.push((vec!["agency".into(), "short_name".into()], n));
    }
    for (i, p) in raw.parties.iter().enumerate() {
        if let Some(n) = &p.short_name {
            short.push((
                vec!["parties".into(), i.to_string(), "short_name".into()],
                n,
            ));
        }
    }
    for (k, (keys, name)) in short.iter().enumerate() {
        if let Some((first, _)) = short[..k]
            .iter()
            .find(|(_, other)| other.trim().eq_ignore_ascii_case(name.trim()))
        {
            diags.push(
                loc.error(
                    codes::E0178,
                    &refs(keys),
                    format!(
                        "short name \"{name}\" is also the short name of [{}]",
                        first[..first.len() - 1].join(".")
                    ),
                )
                .with_help("give each party its own short name (\"the County\", \"the Sheriff\", \"the Board\")"),
            );
        }
    }

    let t = &raw.term;
    match (t.renewal, &t.extensions) {
        (Renewal::Options, None) => diags.push(
            loc.error(
                codes::E0175,
                &["term", "renewal"],
                "renewal = \"options\" needs `extensions` under [term]",
            )
            .with_help("extensions = { count = 2, years = 1, exercised_by = \"school\", notice_days = 60 }"),
        ),
        (Renewal::Options, Some(x)) => {
            for (key, v) in [("count", x.count), ("years", x.years)] {
                if v == 0 || v > 10 {
                    diags.push(loc.error(
                        codes::E0175,
                        &["term", "extensions", key],
                        format!("extensions.{key} must be from 1 to 10, found {v}"),
                    ));
                }
            }
            if x.notice_days == Some(0) {
                diags.push(loc.error(
                    codes::E0176,
                    &["term", "extensions", "notice_days"],
                    "notice must be at least one day",
                ));
            }
        }
        (_, Some(_)) => diags.push(
            loc.error(
                codes::E0175,
                &["term", "extensions"],
                format!(
                    "`extensions` is given but renewal is \"{}\"",
                    serde_name(&t.renewal)
                ),
            )
            .with_help("set renewal = \"options\", or remove `extensions`"),
        ),
        _ => {}
    }
    match (t.renewal, t.renewal_notice_days) {
        (_, Some(0)) => diags.push(loc.error(
            codes::E0176,
            &["term", "renewal_notice_days"],
            "notice of non-renewal must be at least one day",
        )),
        (Renewal::Automatic, _) | (_, None) => {}
        (other, Some(_)) => diags.push(
            loc.error(
                codes::E0176,
                &["term", "renewal_notice_days"],
                format!(
                    "`renewal_notice_days` is given but renewal is \"{}\"; only automatic renewal reads it",
                    serde_name(&other)
                ),
            )
            .with_help("set renewal = \"automatic\", or remove `renewal_notice_days`"),
        ),
    }
}

/// A draft's signatory names that would be an error in a final agreement (W0173).
/// Loading a profile keeps only its errors, so `mou check` asks for these.
pub fn draft_warnings(p: &Profile) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if p.status() == Status::Draft {
        validate(&p.raw, &p.locator(), &mut diags);
    }
    diags.retain(|d| !d.is_error());
    diags
}

fn refs(keys: &[String]) -> Vec<&str> {
    keys.iter().map(String::as_str).collect()
}

/// Words that make up a role or an office, not a person's name.
const ROLE_WORDS: &[&str] = &[
    "acting",
    "administrator",
    "and",
    "assistant",
    "attorney",
    "authorized",
    "board",
    "chair",
    "chairman",
    "chairperson",
    "chairwoman",
    "chief",
    "city",
    "clerk",
    "commissioner",
    "commissioners",
    "council",
    "counsel",
    "county",
    "deputy",
    "designee",
    "director",
    "district",
    "education",
    "executive",
    "finance",
    "general",
    "interim",
    "manager",
    "mayor",
    "member",
    "of",
    "officer",
    "police",
    "president",
    "representative",
    "school",
    "schools",
    "secretary",
    "sheriff",
    "signatory",
    "superintendent",
    "the",
    "town",
    "treasurer",
    "vice",
    "village",
];

/// Text that stands in for a name still to be found.
const PLACEHOLDERS: &[&str] = &[
    "tbd",
    "tba",
    "to be determined",
    "to be named",
    "n/a",
    "name",
    "xxx",
    "signature",
    "unknown",
];

/// Why a signatory's name is a role or a placeholder, if it is one.
pub fn not_a_name(name: &str, title: Option<&str>) -> Option<&'static str> {
    let n = name.trim().to_lowercase();
    if n.is_empty() {
        return None;
    }
    if n.contains('[') || n.contains('_') || n.contains('<') || n.contains("...") || n.contains('…')
    {
        return Some("a placeholder");
    }
    if PLACEHOLDERS.contains(&n.trim_end_matches('.')) {
        return Some("a placeholder");
    }
    if title.is_some_and(|t| t.trim().to_lowercase() == n) {
        return Some("the same as its title");
    }
    let words: Vec<&str> = n
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    if !words.is_empty() && words.iter().all(|w| ROLE_WORDS.contains(w)) {
        return Some("a role, not a person's name");
    }
    None
}

fn placeholder(
    loc: &Locator<'_>,
    final_status: bool,
    keys: &[String],
    name: Option<&str>,
    title: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(name) = name else { return };
    let Some(why) = not_a_name(name, title) else {
        return;
    };
    let message = format!("signatory name \"{name}\" is {why}");
    let help = "give the name of the person who will sign (a draft may leave `name` out: it prints as a blank)";
    if final_status {
        diags.push(
            loc.error(codes::E0173, &refs(keys), message)
                .with_help(help),
        );
    } else {
        diags.push(
            loc.warning(codes::W0173, &refs(keys), message)
                .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::not_a_name;

    #[test]
    fn roles_and_placeholders_are_not_names() {
        for (name, title) in [
            ("Board President", Some("President")),
            ("Superintendent", None),
            ("TBD", None),
            ("[name]", None),
            ("City Manager", Some("City Manager")),
            ("Chair, Board of Education", None),
            ("Sheriff", None),
            ("____", None),
        ] {
            assert!(not_a_name(name, title).is_some(), "{name}");
        }
        for name in [
            "Andrew Morrow",
            "Vernon Riddick, Jr.",
            "Danny H. Rogers",
            "Louis Rigby",
        ] {
            assert!(not_a_name(name, Some("Mayor")).is_none(), "{name}");
        }
    }
}

#[cfg(test)]
mod profile_tests {
    use super::*;
    use std::path::Path;

    fn codes(edit: impl Fn(String) -> String) -> Vec<&'static str> {
        let text = edit(include_str!("../../tests/fixtures/valid.toml").to_string());
        match Profile::parse(Path::new("p.toml"), text) {
            Ok(p) => draft_warnings(&p).iter().map(|d| d.code).collect(),
            Err(d) => d.0.iter().map(|d| d.code).collect(),
        }
    }

    #[test]
    fn parties_and_their_signers() {
        let county = "\n[[parties]]\nname = \"County of Guilford\"\nrole = \"funder\"\nsignatories = [\n  { name = \"Michael Halford\", title = \"County Manager\", role = \"signs\" },\n  { name = \"Tonya Givens\", title = \"Finance Director\", role = \"preaudit\" },\n]\n";
        let nc = |t: String| t.replace("state = \"CT\"", "state = \"NC\"") + county;
        assert!(codes(nc).is_empty());
        assert_eq!(
            codes(|t| nc(t)
                .replace(
                    "role = \"funder\"",
                    "role = \"funder\"\nshort_name = \"the Department\""
                )
                .replace(
                    "kind = \"police\"",
                    "kind = \"police\"\nshort_name = \"the department\""
                )),
            ["E0178"]
        );
        assert_eq!(
            codes(|t| nc(t).replace("County of Guilford", "")),
            ["E0177"]
        );
        // Outside North Carolina the library has no preaudit wording.
        assert_eq!(codes(|t| t + county), ["E0174"]);
        // A draft is warned of the placeholder it would refuse when final.
        let placeholder = |t: String| {
            t.replace("status = \"final\"", "status = \"draft\"")
                .replace("name = \"Andrew Morrow\"", "name = \"TBD\"")
        };
        assert_eq!(codes(placeholder), ["W0173"]);
    }

    #[test]
    fn extension_options_in_range() {
        let options = |count: u32| {
            move |t: String| {
                t.replace(
                    "[term]\n",
                    &format!("[term]\nrenewal = \"options\"\nextensions = {{ count = {count}, years = 1, exercised_by = \"either\" }}\n"),
                )
            }
        };
        assert!(codes(options(2)).is_empty());
        assert_eq!(codes(options(0)), ["E0175"]);
        assert_eq!(
            codes(|t| t.replace(
                "[term]\n",
                "[term]\nextensions = { count = 1, years = 1, exercised_by = \"school\" }\n"
            )),
            ["E0175"]
        );
    }
}
