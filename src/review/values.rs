//! Edits that are profile values: "sixty (60)" for "thirty (30)" is
//! `term.termination_notice_days: 30 -> 60` when, and only when, building the agreement
//! with that value gives their text.
//!
//! Candidates come from the edit itself: a number, amount or date the other side wrote
//! where ours printed a profile value of that type, or, for a text value, the value
//! with their edit applied to it. Text alone never decides: each candidate is built
//! (assembled, written as DOCX and read back, the path the comparison itself takes),
//! and kept only if it brings the whole agreement closer to theirs. Candidates are
//! tried greedily, best first, so two values changed in one clause are both found;
//! a value whose change would alter other articles the other side left alone makes the
//! agreement no closer and is not kept.

use super::Built;
use super::text::{Hunk, hunks, tokens};
use crate::date::Date;
use crate::failure::Failure;
use crate::profile::Profile;
use crate::project::Project;
use serde::Serialize;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// Most rounds of the greedy search: one value found per round.
const MAX_ROUNDS: usize = 8;
/// Most candidates built in all; each costs one build of the agreement.
const MAX_TRIALS: usize = 64;

#[derive(Debug, Clone, Serialize)]
pub struct ValueChange {
    /// `term.termination_notice_days`, `schools[0].name`.
    pub key: String,
    /// The values as TOML writes them.
    pub from: String,
    pub to: String,
    #[serde(skip)]
    pub path: Vec<String>,
    /// The sections (0 title block, i + 1 article i) whose text the change alters.
    #[serde(skip)]
    pub sections: Vec<usize>,
}

/// What the search found: the changes, and the profile text and build with them.
pub struct Search {
    pub changes: Vec<ValueChange>,
    /// The profile's text with the changes made in place (comments and layout kept).
    pub source: Option<String>,
    pub profile: Option<Profile>,
    pub built: Option<Built>,
}

#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    path: Vec<String>,
    span: Range<usize>,
    from: String,
    to: String,
}

pub fn search(
    project: &Project,
    profile: &Profile,
    ours: &Built,
    theirs: &[Vec<String>],
    date: Option<Date>,
) -> Result<Search, Failure> {
    let sections = ours.doc.articles.len() + 1;
    let mine: Vec<Vec<String>> = (0..sections).map(|s| ours.section(s)).collect();
    let leaves = leaves(&profile.source);
    let mut candidates: Vec<Candidate> = Vec::new();
    for s in 0..sections {
        if mine[s] == theirs[s] {
            continue;
        }
        for h in hunks(&mine[s], &theirs[s]) {
            for c in candidates_for(&h, &mine[s], &theirs[s], &leaves) {
                if !candidates.contains(&c) {
                    candidates.push(c);
                }
            }
        }
    }
    let distance = |b: &Built| -> usize {
        (0..sections)
            .map(|s| super::text::distance(&b.section(s), &theirs[s]))
            .sum()
    };
    let mut best = distance(ours);
    let mut applied: Vec<Candidate> = Vec::new();
    let mut touched: Vec<Vec<usize>> = Vec::new();
    let mut state: Option<(String, Profile, Built)> = None;
    let mut trials = 0;
    for _ in 0..MAX_ROUNDS {
        if best == 0 || candidates.is_empty() {
            break;
        }
        let mut round: Option<(usize, usize, String, Profile, Built)> = None;
        for (i, c) in candidates.iter().enumerate() {
            if trials >= MAX_TRIALS {
                break;
            }
            trials += 1;
            let mut all = applied.clone();
            all.push(c.clone());
            let text = patch(&profile.source, &all);
            let Ok(p) = Profile::parse(&profile.path, text.clone()) else {
                continue;
            };
            let Ok(a) = crate::assemble::assemble(&p, &project.library, &project.engine) else {
                continue;
            };
            let Ok(b) = Built::new(a.document, date) else {
                continue;
            };
            let d = distance(&b);
            if d < best && round.as_ref().is_none_or(|r| d < r.0) {
                round = Some((d, i, text, p, b));
            }
        }
        let Some((d, i, text, p, b)) = round else {
            break;
        };
        best = d;
        let before = state.as_ref().map_or(ours, |(_, _, b)| b);
        touched.push(
            (0..sections)
                .filter(|s| before.section(*s) != b.section(*s))
                .collect(),
        );
        let c = candidates.remove(i);
        candidates.retain(|x| x.path != c.path && !overlaps(&x.span, &c.span));
        applied.push(c);
        state = Some((text, p, b));
    }
    let changes = applied
        .iter()
        .zip(touched)
        .map(|(c, sections)| ValueChange {
            key: key_name(&c.path),
            from: c.from.clone(),
            to: c.to.clone(),
            path: c.path.clone(),
            sections,
        })
        .collect();
    Ok(match state {
        Some((source, p, b)) => Search {
            changes,
            source: Some(source),
            profile: Some(p),
            built: Some(b),
        },
        None => Search {
            changes,
            source: None,
            profile: None,
            built: None,
        },
    })
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// `term.termination_notice_days`, `schools[2].name`.
pub fn key_name(path: &[String]) -> String {
    let mut s = String::new();
    for k in path {
        if k.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() {
            s.push_str(&format!("[{k}]"));
        } else {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(k);
        }
    }
    s
}

/// The profile text with each candidate's value replaced in place.
fn patch(source: &str, all: &[Candidate]) -> String {
    let mut sorted: Vec<&Candidate> = all.iter().collect();
    sorted.sort_by_key(|c| std::cmp::Reverse(c.span.start));
    let mut out = source.to_string();
    for c in sorted {
        out.replace_range(c.span.clone(), &c.to);
    }
    out
}

/// A value the profile itself writes: its key path, where its text is, and what it is.
#[derive(Debug, Clone)]
struct Leaf {
    path: Vec<String>,
    span: Range<usize>,
    value: Scalar,
}

#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Int(i64),
    /// A decimal number, in hundredths (money in cents, a percent to two places).
    Decimal(i64),
    Date(Date),
    Text(String),
}

/// Every scalar the profile's own text sets (not its bases'), with its span.
fn leaves(source: &str) -> Vec<Leaf> {
    let Ok(root) = DeTable::parse(source) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk_table(root.get_ref(), &mut Vec::new(), &mut out);
    out
}

fn walk_table(t: &DeTable<'_>, path: &mut Vec<String>, out: &mut Vec<Leaf>) {
    for (k, v) in t.iter() {
        path.push(k.get_ref().to_string());
        walk_value(v, path, out);
        path.pop();
    }
}

fn walk_value(v: &toml::Spanned<DeValue<'_>>, path: &mut Vec<String>, out: &mut Vec<Leaf>) {
    let value = match v.get_ref() {
        DeValue::Table(t) => return walk_table(t, path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                walk_value(item, path, out);
                path.pop();
            }
            return;
        }
        DeValue::String(s) => Scalar::Text(s.to_string()),
        DeValue::Integer(i) => match i.as_str().replace('_', "").parse::<i64>() {
            Ok(n) => Scalar::Int(n),
            Err(_) => return,
        },
        DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() < 1e13 => Scalar::Decimal((x * 100.0).round() as i64),
            _ => return,
        },
        DeValue::Datetime(d) => match Date::parse(&d.to_string()) {
            Some(d) => Scalar::Date(d),
            None => return,
        },
        DeValue::Boolean(_) => return,
    };
    out.push(Leaf {
        path: path.clone(),
        span: v.span(),
        value,
    });
}

/// Token range as a byte range of the tokens joined.
fn char_range(toks: &[&str], r: &Range<usize>) -> Range<usize> {
    let start: usize = toks[..r.start].iter().map(|t| t.len()).sum();
    let len: usize = toks[r.clone()].iter().map(|t| t.len()).sum();
    start..start + len
}

/// The text around a hunk: a few words either side, where a date or amount the edit
/// touched only in part is still whole.
fn around(toks: &[&str], r: &Range<usize>, reach: usize) -> String {
    let from = r.start.saturating_sub(reach);
    let to = (r.end + reach).min(toks.len());
    toks[from..to].concat()
}

fn candidates_for(h: &Hunk, mine: &[String], theirs: &[String], leaves: &[Leaf]) -> Vec<Candidate> {
    let a = tokens(mine);
    let b = tokens(theirs);
    let old_ctx = around(&a, &h.old, 8);
    let new_ctx = around(&b, &h.new, 8);
    let old_changed = a[h.old.clone()].concat();
    let new_changed = b[h.new.clone()].concat();
    let (old_nums, new_nums) = (numbers(&old_ctx), numbers(&new_ctx));
    let (old_dates, new_dates) = (dates(&old_ctx), dates(&new_ctx));
    let mut out = Vec::new();
    let push = |leaf: &Leaf, to: String, out: &mut Vec<Candidate>| {
        out.push(Candidate {
            path: leaf.path.clone(),
            span: leaf.span.clone(),
            from: String::new(),
            to,
        })
    };
    for leaf in leaves {
        match &leaf.value {
            Scalar::Int(n) => {
                if !old_nums.contains(&(n * 100)) {
                    continue;
                }
                for x in numbers(&new_changed).iter().chain(&new_nums) {
                    if !old_nums.contains(x) && x % 100 == 0 {
                        push(leaf, (x / 100).to_string(), &mut out);
                    }
                }
            }
            Scalar::Decimal(c) => {
                if !old_nums.contains(c) {
                    continue;
                }
                for x in numbers(&new_changed).iter().chain(&new_nums) {
                    if !old_nums.contains(x) {
                        push(leaf, format!("{}.{:02}", x / 100, x % 100), &mut out);
                    }
                }
            }
            Scalar::Date(d) => {
                if !old_dates.contains(d) {
                    continue;
                }
                for x in &new_dates {
                    if !old_dates.contains(x) {
                        let (y, m, dd) = x.ymd();
                        push(leaf, format!("{y:04}-{m:02}-{dd:02}"), &mut out);
                    }
                }
            }
            Scalar::Text(v) => {
                if v.is_empty() {
                    continue;
                }
                let o = a.concat();
                let t = b.concat();
                let hr = char_range(&a, &h.old);
                let tr = char_range(&b, &h.new);
                for (s, _) in o.match_indices(v.as_str()) {
                    let e = s + v.len();
                    let touches = if hr.is_empty() {
                        s < hr.start && hr.start < e
                    } else {
                        s < hr.end && hr.start < e
                    };
                    if !touches {
                        continue;
                    }
                    let mut inserted = &t[tr.clone()];
                    let prefix = if s <= hr.start {
                        &o[s..hr.start]
                    } else {
                        // The edit began before the value: what it kept of ours there
                        // must open their text.
                        match inserted.strip_prefix(&o[hr.start..s]) {
                            Some(rest) => {
                                inserted = rest;
                                ""
                            }
                            None => continue,
                        }
                    };
                    let suffix = if e >= hr.end {
                        &o[hr.end..e]
                    } else {
                        match inserted.strip_suffix(&o[e..hr.end]) {
                            Some(rest) => {
                                inserted = rest;
                                ""
                            }
                            None => continue,
                        }
                    };
                    let new = format!("{prefix}{inserted}{suffix}");
                    if !new.is_empty() && new != *v && !new.contains('\n') {
                        push(leaf, toml::Value::String(new).to_string(), &mut out);
                    }
                }
                let _ = (&old_changed, &new_changed);
            }
        }
    }
    // The old value as the profile writes it, for the report.
    for c in &mut out {
        if let Some(l) = leaves.iter().find(|l| l.path == c.path) {
            c.from = match &l.value {
                Scalar::Int(n) => n.to_string(),
                Scalar::Decimal(x) => format!("{}.{:02}", x / 100, x % 100),
                Scalar::Date(d) => {
                    let (y, m, dd) = d.ymd();
                    format!("{y:04}-{m:02}-{dd:02}")
                }
                Scalar::Text(s) => toml::Value::String(s.clone()).to_string(),
            };
        }
    }
    out
}

/// Every number written in `text`, in hundredths: `(60)` is 6000, `$82,600.00` is
/// 8260000, `70%` is 7000.
pub fn numbers(text: &str) -> Vec<i64> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut whole: i64 = 0;
        let mut j = i;
        while j < bytes.len()
            && (bytes[j].is_ascii_digit()
                || bytes[j] == b',' && j + 1 < bytes.len() && bytes[j + 1].is_ascii_digit())
        {
            if bytes[j].is_ascii_digit() {
                whole = whole
                    .saturating_mul(10)
                    .saturating_add(i64::from(bytes[j] - b'0'));
            }
            j += 1;
        }
        let mut frac = 0;
        if j + 1 < bytes.len() && bytes[j] == b'.' && bytes[j + 1].is_ascii_digit() {
            let mut k = j + 1;
            let mut digits = 0;
            while k < bytes.len() && bytes[k].is_ascii_digit() {
                if digits < 2 {
                    frac = frac * 10 + i64::from(bytes[k] - b'0');
                    digits += 1;
                }
                k += 1;
            }
            if digits == 1 {
                frac *= 10;
            }
            j = k;
        }
        out.push(whole.saturating_mul(100).saturating_add(frac));
        i = j;
    }
    out
}

use crate::date::MONTHS;

/// Every date written in `text` as our filters write them: `June 30, 2019`,
/// `30th day of June, 2019`, `2019-06-30`.
pub fn dates(text: &str) -> Vec<Date> {
    let mut out = Vec::new();
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let num = |w: &str| -> Option<u32> {
        let d: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
        d.parse().ok()
    };
    for (i, w) in words.iter().enumerate() {
        if let Some(m) = MONTHS
            .iter()
            .position(|m| w.trim_matches(|c: char| !c.is_alphabetic()) == *m)
        {
            let month = m as u8 + 1;
            // Month D, YYYY
            if let (Some(d), Some(y)) = (
                words.get(i + 1).and_then(|w| num(w)),
                words.get(i + 2).and_then(|w| num(w)),
            ) && let Some(date) = Date::new(y as i32, month, d as u8)
            {
                out.push(date);
            }
            // Dth day of Month, YYYY
            if i >= 3
                && words[i - 1] == "of"
                && words[i - 2] == "day"
                && let (Some(d), Some(y)) =
                    (num(words[i - 3]), words.get(i + 1).and_then(|w| num(w)))
                && let Some(date) = Date::new(y as i32, month, d as u8)
            {
                out.push(date);
            }
        }
        let iso = w.trim_matches(|c: char| !c.is_ascii_digit());
        if iso.len() == 10
            && let Some(d) = Date::parse(iso)
        {
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_as_the_filters_print_them() {
        assert_eq!(numbers("sixty (60) days"), vec![6000]);
        assert_eq!(
            numbers("$82,600.00 and 70% and 2.5"),
            vec![8260000, 7000, 250]
        );
        assert_eq!(
            dates("through June 30, 2019, or the 1st day of July, 2019"),
            vec![
                Date::new(2019, 6, 30).unwrap(),
                Date::new(2019, 7, 1).unwrap()
            ]
        );
    }

    #[test]
    fn candidates_come_from_the_edit_and_the_value_it_touched() {
        let src = "[agency]\nchief = \"Kent Kroeger\"\n[term]\nend = 2019-06-30\nnotice = 30\n";
        let leaves = leaves(src);
        let v = |s: &str| vec![s.to_string()];
        let mine = v("assigned by Kent Kroeger through June 30, 2019 on thirty (30) days");
        let theirs = v("assigned by Kent Smith through June 30, 2020 on sixty (60) days");
        let mut got: Vec<(String, String, String)> = hunks(&mine, &theirs)
            .iter()
            .flat_map(|h| candidates_for(h, &mine, &theirs, &leaves))
            .map(|c| (key_name(&c.path), c.from, c.to))
            .collect();
        got.sort();
        got.dedup();
        let want = [
            ("agency.chief", "\"Kent Kroeger\"", "\"Kent Smith\""),
            ("term.end", "2019-06-30", "2020-06-30"),
            ("term.notice", "30", "60"),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
        // Others are tried too (2020 for the notice days); building decides.
        for w in want {
            assert!(got.contains(&w), "{w:?} not in {got:?}");
        }
        assert!(
            !got.iter()
                .any(|(k, _, _)| k == "agency.chief" && got.len() > 20)
        );
    }

    #[test]
    fn leaves_carry_spans_for_patching() {
        let src = "[term]\ntermination_notice_days = 30 # days\n[[schools]]\nname = \"A\"\n";
        let mut l = leaves(src);
        l.sort_by_key(|l| l.span.start);
        assert_eq!(l.len(), 2);
        assert_eq!(&src[l[0].span.clone()], "30");
        assert_eq!(key_name(&l[1].path), "schools[0].name");
        assert_eq!(l[1].value, Scalar::Text("A".into()));
        let c = Candidate {
            path: l[0].path.clone(),
            span: l[0].span.clone(),
            from: "30".into(),
            to: "60".into(),
        };
        assert_eq!(
            patch(src, &[c]),
            "[term]\ntermination_notice_days = 60 # days\n[[schools]]\nname = \"A\"\n"
        );
    }
}
