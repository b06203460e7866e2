//! Checks a parsed profile once, at load, with every problem located in the file, and
//! derives what later stages use (the funding schedule, version requirements).
use crate::check::codes;

use super::*;
use crate::diag::Diagnostic;

/// More schools than this are refused.
pub const MAX_SCHOOLS: usize = 1000;
/// More officers at one school than this are refused: far above any real assignment,
/// and low enough that the agreement's total can never overflow.
pub const MAX_OFFICERS_PER_SCHOOL: u32 = 1000;

pub(super) fn validate(p: &mut Profile, diags: &mut Vec<Diagnostic>) {
    let loc = Locator::new(&p.path, &p.source).with_bases(&p.bases);
    let raw = &p.raw;
    control_characters(&p.path, &p.source, diags);
    for base in &p.bases {
        control_characters(&base.path, &base.source, diags);
    }

    if let Some(outline) = &raw.agreement.outline
        && !is_simple_name(outline)
    {
        diags.push(loc.error(
            codes::E0110,
            &["agreement", "outline"],
            format!("invalid outline name \"{outline}\": use letters, digits, '-' and '_'"),
        ));
    }

    if raw.schools.is_empty() {
        diags.push(loc.error(
            codes::E0112,
            &["schools"],
            "the agreement must list at least one school under [[schools]]",
        ));
    }
    if raw.schools.len() > MAX_SCHOOLS {
        diags.push(loc.error(
            codes::E0113,
            &["schools"],
            format!(
                "{} schools listed; the limit is {MAX_SCHOOLS}",
                raw.schools.len()
            ),
        ));
    }
    let mut seen = BTreeMap::new();
    for (i, s) in raw.schools.iter().enumerate() {
        let idx = i.to_string();
        if s.officers > MAX_OFFICERS_PER_SCHOOL {
            diags.push(loc.error(
                codes::E0116,
                &["schools", &idx, "officers"],
                format!(
                    "{} officers at one school; the limit is {MAX_OFFICERS_PER_SCHOOL}",
                    s.officers
                ),
            ));
        }
        if s.name.trim().is_empty() {
            diags.push(loc.error(
                codes::E0112,
                &["schools", &idx, "name"],
                "school name is empty",
            ));
        }
        if let Some(first) = seen.insert(s.name.trim().to_lowercase(), i) {
            diags.push(loc.error(
                codes::E0114,
                &["schools", &idx, "name"],
                format!(
                    "school \"{}\" is listed twice (entries {} and {})",
                    s.name,
                    first + 1,
                    i + 1
                ),
            ));
        }
    }

    if let (Some(start), Some(end)) = (raw.term.start, raw.term.end) {
        if end <= start {
            diags.push(loc.error(
                codes::E0120,
                &["term", "end"],
                format!("term ends ({end}) on or before it starts ({start})"),
            ));
        } else if start
            .add_months(12 * funding::MAX_YEARS)
            .is_none_or(|limit| end >= limit)
        {
            diags.push(loc.error(
                codes::E0120,
                &["term", "end"],
                format!(
                    "the term runs from {start} to {end}, {} years or more; the limit is {} years",
                    funding::MAX_YEARS,
                    funding::MAX_YEARS
                ),
            ));
        }
    }
    if raw.term.termination_notice_days == Some(0) {
        diags.push(loc.error(
            codes::E0121,
            &["term", "termination_notice_days"],
            "termination notice must be at least one day",
        ));
    }

    super::validate_money::validate(raw, &loc, diags);

    if let Some(ins) = &raw.insurance {
        for (key, value) in [
            ("per_occurrence_limit", ins.per_occurrence_limit),
            ("aggregate_limit", ins.aggregate_limit),
            ("annual_premium", ins.annual_premium),
        ] {
            if let Some(v) = value
                && !(v.is_finite() && (0.0..=1e12).contains(&v))
            {
                diags.push(loc.error(
                    codes::E0130,
                    &["insurance", key],
                    format!(
                        "expected an amount of dollars between 0 and 1,000,000,000,000, found {v}"
                    ),
                ));
            }
        }
        if let (Some(per), Some(agg)) = (ins.per_occurrence_limit, ins.aggregate_limit)
            && agg < per
        {
            diags.push(loc.error(
                codes::E0136,
                &["insurance", "aggregate_limit"],
                format!(
                    "aggregate limit ({agg}) is below the per-occurrence limit ({per}); it must be at least as large"
                ),
            ));
        }
    }

    super::validate_parties::validate(raw, &loc, diags);

    for (clause, req) in &raw.clauses.versions {
        match semver::VersionReq::parse(req) {
            Ok(r) => {
                p.versions.insert(clause.clone(), r);
            }
            Err(e) => diags.push(loc.error(
                codes::E0140,
                &["clauses", "versions", clause],
                format!("invalid version requirement \"{req}\" for clause `{clause}`: {e}"),
            )),
        }
    }

    if !diags.iter().any(Diagnostic::is_error) {
        p.funding = funding::derive(&p.raw);
    }
}

fn is_simple_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Profile values are single lines of text: names, titles, address lines. A line break
/// would add a signature block or an address line, and a control character (written as
/// a TOML escape such as `\u0000` or `\u001b`) has no place in a document and breaks
/// the XML inside PDF and DOCX files, so both are refused where they are written.
fn control_characters(path: &std::path::Path, source: &str, diags: &mut Vec<Diagnostic>) {
    // Only a TOML escape or a multi-line string can put one there; most profiles have
    // neither, and are not parsed a second time.
    let escapes = source.contains('\\') || source.contains("\"\"\"") || source.contains("'''");
    if !escapes && !source.chars().any(bad_char) {
        return;
    }
    let Ok(root) = toml::de::DeTable::parse(source) else {
        return;
    };
    let mut stack: Vec<&toml::Spanned<toml::de::DeValue<'_>>> = root.get_ref().values().collect();
    while let Some(v) = stack.pop() {
        match v.get_ref() {
            toml::de::DeValue::String(text) => {
                if let Some(c) = text.chars().find(|c| bad_char(*c)) {
                    let what = match c {
                        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "a line break".to_string(),
                        c => format!("the control character U+{:04X}", u32::from(c)),
                    };
                    diags.push(
                        Diagnostic::error(
                            codes::E0117,
                            path,
                            format!(
                                "a profile value holds {what}; values are single lines of text"
                            ),
                        )
                        .at_offset(source, v.span().start)
                        .with_help("write each line of an address as its own list entry"),
                    );
                }
            }
            toml::de::DeValue::Array(items) => stack.extend(items.iter()),
            toml::de::DeValue::Table(t) => stack.extend(t.values()),
            _ => {}
        }
    }
}

fn bad_char(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}
