//! SPEC §3 filters and `ref()`. Every filter passes a draft's blank marker through
//! untouched, so a missing value stays one visible blank whatever is applied to it.
//! What a filter returns is printed, and escaped as text, like any value
//! ([`super::escape`]); a filter that passes text through keeps its safety, so text is
//! escaped once.

use super::ARTICLES_KEY;
use super::context::BLANK_MARK;
use super::escape;
use super::words;
use crate::profile::Date;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter("money", money);
    tera.register_filter("spelled", spelled);
    tera.register_filter("percent", percent);
    tera.register_filter("long_date", long_date);
    tera.register_filter("day_of", day_of);
    tera.register_filter("ordinal", ordinal);
    tera.register_filter("join_and", join_and);
    tera.register_filter("capfirst", capfirst);
    tera.register_function("ref", reference);
    tera.register_function("included", included);
}

fn is_blank(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.contains(BLANK_MARK))
}

/// A draft's missing value (text, date, list or number alike), passed through as is.
fn blank_of(v: &Value) -> Option<Value> {
    is_blank(v).then(|| v.clone())
}

fn describe(v: &Value) -> String {
    if v.is_none() {
        "nothing (the value is absent)".to_string()
    } else {
        format!("{} `{v}`", v.name())
    }
}

fn number(v: &Value, filter: &str) -> TeraResult<f64> {
    v.as_f64().filter(|x| x.is_finite()).ok_or_else(|| {
        Error::message(format!(
            "`{filter}` expects a number, found {}",
            describe(v)
        ))
    })
}

fn whole(v: &Value, filter: &str) -> TeraResult<i64> {
    if let Some(i) = v.as_i64() {
        return Ok(i);
    }
    let x = number(v, filter)?;
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Ok(x as i64)
    } else {
        Err(Error::message(format!(
            "`{filter}` expects a whole number, found {x}"
        )))
    }
}

fn date(v: &Value, filter: &str) -> TeraResult<Date> {
    v.as_str().and_then(Date::parse).ok_or_else(|| {
        Error::message(format!(
            "`{filter}` expects a date like \"2022-08-09\", found {}",
            describe(v)
        ))
    })
}

fn money(v: Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    if let Some(b) = blank_of(&v) {
        return Ok(b);
    }
    let with_cents = kwargs.get::<bool>("cents")?.unwrap_or(true);
    let dollars = number(&v, "money")?;
    if dollars.abs() > 1e15 {
        return Err(Error::message(format!(
            "`money`: amount {dollars} is too large"
        )));
    }
    let cents = (dollars * 100.0).round() as i64;
    Ok(Value::from(words::money(cents, with_cents)))
}

fn spelled(v: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    if let Some(b) = blank_of(&v) {
        return Ok(b);
    }
    Ok(Value::from(words::spelled(whole(&v, "spelled")?)))
}

fn percent(v: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    if let Some(b) = blank_of(&v) {
        return Ok(b);
    }
    Ok(Value::from(words::percent(number(&v, "percent")?)))
}

fn ordinal(v: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    if let Some(b) = blank_of(&v) {
        return Ok(b);
    }
    Ok(Value::from(words::ordinal(whole(&v, "ordinal")?)))
}

fn long_date(v: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    if let Some(b) = blank_of(&v) {
        return Ok(b);
    }
    Ok(Value::from(words::long_date(date(&v, "long_date")?)))
}

fn day_of(v: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    if let Some(b) = blank_of(&v) {
        return Ok(b);
    }
    Ok(Value::from(words::day_of(date(&v, "day_of")?)))
}

fn join_and(v: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    if let Some(b) = blank_of(&v) {
        return Ok(b);
    }
    let items = v.as_array().ok_or_else(|| {
        Error::message(format!("`join_and` expects a list, found {}", describe(&v)))
    })?;
    // As Tera's `join`: when an item is already escaped (marked safe), the others are
    // escaped here and the result is safe; otherwise the result is printed, and
    // escaped, like any value.
    let safe = items.iter().any(|i| i.is_string() && i.is_safe());
    let strings: Vec<String> = items
        .iter()
        .map(|i| {
            let text = match i.as_str() {
                Some(s) => s.to_string(),
                None => i.to_string(),
            };
            if safe && !i.is_safe() {
                escape::escaped(&text)
            } else {
                text
            }
        })
        .collect();
    let joined = words::join_and(&strings);
    Ok(if safe {
        Value::safe_string(&joined)
    } else {
        Value::from(joined)
    })
}

/// The number a clause got after assembly (`Article IV`). With `or`, the text to print
/// when that clause is not a numbered article of this agreement, so a clause can refer
/// to an article the profile may leave out (`ref(id="termination", or="this
/// Agreement")`); without it, a dangling reference is an error (E0304).
fn reference(kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let id = kwargs.must_get::<&str>("id")?;
    let fallback = kwargs.get::<Value>("or")?;
    match (article(id, state)?, fallback) {
        (Some(found), _) => Ok(match found.as_str() {
            Some(text) => Value::safe_string(&super::context::xref_marked(id, text)),
            None => found,
        }),
        (None, Some(text)) if text.is_string() => Ok(text),
        (None, Some(other)) => Err(Error::message(format!(
            "ref(id=\"{id}\", or=...): `or` expects text, found {}",
            describe(&other)
        ))),
        (None, None) => Err(Error::message(format!(
            "ref(id=\"{id}\"): clause `{id}` is not a numbered article of this agreement"
        ))),
    }
}

/// Whether a clause is a numbered article of this agreement: `{% if included(id="insurance") %}`.
fn included(kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let id = kwargs.must_get::<&str>("id")?;
    Ok(Value::from(article(id, state)?.is_some()))
}

fn article(id: &str, state: &State) -> TeraResult<Option<Value>> {
    let articles = state
        .get::<Value>(ARTICLES_KEY)?
        .unwrap_or_else(Value::none);
    Ok(articles.as_map().and_then(|m| {
        m.iter()
            .find(|(k, _)| k.as_str() == Some(id))
            .map(|(_, v)| v.clone())
    }))
}

/// Upper-cases only the first letter, for a short name that starts a sentence:
/// `the District` → `The District`, `TUSD` stays `TUSD`.
fn capfirst(v: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    if let Some(b) = blank_of(&v) {
        return Ok(b);
    }
    let s = v.as_str().ok_or_else(|| {
        Error::message(format!("`capfirst` expects text, found {}", describe(&v)))
    })?;
    let mut chars = s.chars();
    let out = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
        None => String::new(),
    };
    // Text in, the same text out: already escaped stays escaped, once.
    Ok(if v.is_safe() {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    })
}

#[cfg(test)]
mod tests {
    use crate::library::{ClauseVersion, Library};
    use crate::template::{Engine, profile_context};
    use std::collections::BTreeMap;

    fn render(body: &str, articles: &[(&str, &str)]) -> Result<String, String> {
        let mut clause = ClauseVersion::sample("x", "1.0.0", body);
        clause.front.title = "X".into();
        let mut lib = Library::default();
        lib.clauses.insert("x".into(), vec![clause]);
        let (engine, diags) = Engine::for_library(&lib);
        assert!(diags.is_empty(), "{diags:?}");
        let p = crate::profile::Profile::parse(
            std::path::Path::new("p.toml"),
            include_str!("../../tests/fixtures/valid.toml").to_string(),
        )
        .unwrap();
        let articles: BTreeMap<String, String> = articles
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        engine
            .render(&lib.clauses["x"][0], &profile_context(&p).0, &articles)
            .map(|s| crate::template::escape::restore(&s))
            .map_err(|d| format!("{} {}", d.code, d.message))
    }

    #[test]
    fn ref_falls_back_to_its_or_text_only_when_the_clause_is_absent() {
        let here = [("termination", "Article XVI")];
        let body = "under {{ ref(id=\"termination\", or=\"this Agreement\") }}";
        // The number is marked with the article it names, for links and REF fields.
        assert_eq!(
            render(body, &here).unwrap(),
            "under \u{E001}termination\u{E002}Article XVI\u{E003}"
        );
        assert_eq!(render(body, &[]).unwrap(), "under this Agreement");
        let err = render("{{ ref(id=\"termination\") }}", &[]).unwrap_err();
        assert!(err.starts_with("E0304"), "{err}");
        let err = render("{{ ref(id=\"termination\", or=3) }}", &[]).unwrap_err();
        assert!(err.contains("`or` expects text"), "{err}");
    }

    #[test]
    fn included_says_whether_a_clause_is_an_article_here() {
        let body = "{% if included(id=\"insurance\") %}in{% else %}out{% endif %}";
        assert_eq!(render(body, &[("insurance", "Article XII")]).unwrap(), "in");
        assert_eq!(render(body, &[]).unwrap(), "out");
    }
}
