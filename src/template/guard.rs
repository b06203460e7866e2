//! Limits on what a clause template may cost, for libraries that come from elsewhere
//! (SPEC §6). Tera cannot be interrupted from outside, so the limits are built into
//! what it runs:
//!
//! - **Loops** are metered: [`prepare`] rewrites every `{% for x in EXPR %}` to
//!   `{% for x in (EXPR) | __loop_fuel %}`, and the filter charges the length of what
//!   is iterated to a per-render budget ([`MAX_LOOP_ITERATIONS`]). Nested loops,
//!   however they are built, stop with an error instead of spinning for hours.
//! - Constructs that could loop or recurse past that meter are refused when the
//!   library is loaded: list comprehensions (`[x for x in xs]`) and components.
//! - **Blanks** cannot choose a branch unseen: the same rewrite puts
//!   `__known(v12=funding.school_share_percent) and (…)` before every `{% if %}` and
//!   `{% elif %}` condition that reads a profile value, so a condition that reads a
//!   draft's blank is false, and recorded for a warning ([`take_tested_blanks`]; the
//!   rule is in [`super::missing`]).
//! - **Output** is capped by the writer in `Engine::render` (default 1 MiB a clause).
//! - **Memory** is capped by [`super::budget`] in the `mou` binary.

use super::context::blank_var;
use super::syntax::{Scan, Use, UseKind};
use std::cell::{Cell, RefCell};
use tera::{Error, Kwargs, State, TeraResult, Value};

/// Loop iterations one clause may run in all, nested loops included.
pub const MAX_LOOP_ITERATIONS: u64 = 1_000_000;
/// Name of the metering filter the rewrite inserts.
pub const FUEL_FILTER: &str = "__loop_fuel";
/// Start of the error message of an exhausted meter (mapped to its own code).
pub const FUEL_MESSAGE: &str = "loops in this clause run more than";

/// Name of the function the rewrite puts before conditions.
pub const KNOWN_FUNCTION: &str = "__known";

/// Roots of the context whose values a profile may leave out.
const BLANKABLE_ROOTS: [&str; 7] = [
    "agreement",
    "school",
    "agency",
    "staffing",
    "term",
    "funding",
    "insurance",
];

thread_local! {
    static FUEL: Cell<u64> = const { Cell::new(MAX_LOOP_ITERATIONS) };
    /// Blanks read by conditions in this render: (offset in the clause body, variable).
    static TESTED: RefCell<Vec<(usize, String)>> = const { RefCell::new(Vec::new()) };
}

/// Refills the loop meter and forgets tested blanks; called before each render
/// (rendering is single-threaded).
pub fn refuel() {
    FUEL.with(|f| f.set(MAX_LOOP_ITERATIONS));
    TESTED.with(|t| t.borrow_mut().clear());
}

/// The blanks that conditions read in this render, by offset in the clause body, each
/// (offset, variable) once.
pub fn take_tested_blanks() -> Vec<(usize, String)> {
    let mut found = TESTED.with(|t| std::mem::take(&mut *t.borrow_mut()));
    found.sort();
    found.dedup();
    found
}

/// `__known(v12=a.b, …)`: false when a value given is a draft's blank, which it
/// records with the offset in its name (`v12`: the path at byte 12 of the clause).
pub fn known(kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let mut all_known = true;
    for (key, value) in kwargs.iter() {
        let Some(var) = value.as_str().and_then(blank_var) else {
            continue;
        };
        all_known = false;
        let at = key
            .as_str()
            .and_then(|k| k.strip_prefix('v'))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        TESTED.with(|t| t.borrow_mut().push((at, var.to_string())));
    }
    Ok(Value::from(all_known))
}

/// The metering filter: passes the value through, charging its length.
pub fn loop_fuel(v: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let n = if let Some(items) = v.as_array() {
        items.len()
    } else if let Some(map) = v.as_map() {
        map.len()
    } else if let Some(s) = v.as_str() {
        s.chars().count()
    } else {
        0
    } as u64;
    FUEL.with(|f| match f.get().checked_sub(n) {
        Some(left) => {
            f.set(left);
            Ok(v)
        }
        None => {
            f.set(0);
            Err(Error::message(format!(
                "{FUEL_MESSAGE} {MAX_LOOP_ITERATIONS} times in all; stopped"
            )))
        }
    })
}

/// A construct refused at load time, with its byte offset in the clause body.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub offset: usize,
    pub message: String,
}

/// A clause body made ready for Tera: loops metered.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Prepared {
    pub source: String,
    pub shifts: Shifts,
}

/// Each insertion the rewrite made (line, column in the rewritten text, length), so
/// error columns map back to the clause file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Shifts(Vec<(usize, usize, usize)>);

impl Shifts {
    /// Maps a (line, column) of the rewritten text back to the clause body.
    pub fn original_column(&self, line: usize, column: usize) -> usize {
        let shift: usize = self
            .0
            .iter()
            .filter(|(l, c, _)| *l == line && *c < column)
            .map(|(_, _, len)| len)
            .sum();
        column.saturating_sub(shift).max(1)
    }
}

/// Meters every loop of a clause body, guards every condition, and refuses what the
/// meter cannot reach, reading the body with the one template scanner
/// ([`super::syntax`]).
pub fn prepare(body: &str) -> Result<Prepared, Refused> {
    let scan = super::syntax::scan(body);
    prepare_scanned(&scan, &scan.uses())
}

/// [`prepare`] for a body already scanned, with the paths it reads.
pub fn prepare_scanned(scan: &Scan<'_>, uses: &[Use]) -> Result<Prepared, Refused> {
    if let Some((offset, message)) = scan.refused() {
        return Err(Refused {
            offset,
            message: message.into(),
        });
    }
    let body = scan.source();
    let mut inserts: Vec<(usize, String)> = Vec::new();
    for l in scan.loops() {
        inserts.push((l.target.start, "(".into()));
        inserts.push((l.target.end, format!(") | {FUEL_FILTER}")));
    }
    for c in scan.conditions() {
        let mut args = String::new();
        for u in uses.iter().filter(|u| u.tag == c.tag && guarded(u)) {
            let path = &body[u.span.clone()];
            if !path.contains('\n') {
                args.push_str(&format!(", v{}={path}", u.span.start));
            }
        }
        if let Some(args) = args.strip_prefix(", ") {
            inserts.push((c.start, format!("{KNOWN_FUNCTION}({args}) and (")));
            inserts.push((c.end, ")".into()));
        }
    }
    inserts.sort_by_key(|(at, _)| *at);
    let mut out = Prepared::default();
    let mut copied = 0;
    let mut at_line = Lines::default();
    for (at, text) in inserts {
        out.source.push_str(&body[copied..at]);
        let (line, column) = at_line.end_of(&out.source);
        out.shifts.0.push((line, column, text.len()));
        out.source.push_str(&text);
        copied = at;
    }
    out.source.push_str(&body[copied..]);
    Ok(out)
}

/// The line and column of the end of a text that only grows, counted as
/// [`line_col`](crate::diag::line_col) counts them but reading each byte once: a body with many conditions
/// was read again from its start for each one.
#[derive(Default)]
struct Lines {
    /// Bytes of the text read so far.
    read: usize,
    /// Newlines in them.
    newlines: usize,
    /// Where the last line starts.
    line_start: usize,
}

impl Lines {
    fn end_of(&mut self, text: &str) -> (usize, usize) {
        for (i, b) in text.as_bytes()[self.read..].iter().enumerate() {
            if *b == b'\n' {
                self.newlines += 1;
                self.line_start = self.read + i + 1;
            }
        }
        self.read = text.len();
        let line_text = &text[self.line_start..];
        let line_text = line_text.strip_prefix('\u{feff}').unwrap_or(line_text);
        (self.newlines + 1, line_text.chars().count() + 1)
    }
}

/// Whether a path in a condition is checked for a blank: a value of the profile,
/// not the subject of a test such as `is defined` (whose point is to read what may
/// be absent).
pub fn guarded(u: &Use) -> bool {
    let root = u.root.as_deref().unwrap_or_default();
    let first = root.split(['.', '[']).next().unwrap_or_default();
    u.kind == UseKind::Tested && !u.tested_by_is && BLANKABLE_ROOTS.contains(&first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::line_col;

    #[test]
    fn lines_count_as_line_col_does() {
        let text = "\u{feff}ab\ncd é\n\nxyz";
        let mut lines = Lines::default();
        for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
            assert_eq!(lines.end_of(&text[..end]), line_col(text, end), "at {end}");
        }
    }

    #[test]
    fn meters_every_loop() {
        let p = prepare("A {% for s in schools -%}{{ s.name }}{% endfor %} B").unwrap();
        assert_eq!(
            p.source,
            "A {% for s in (schools) | __loop_fuel -%}{{ s.name }}{% endfor %} B"
        );
        let p =
            prepare("{%- for k, v in vars %}{% for x in range(end=3) %}{% endfor %}{% endfor %}")
                .unwrap();
        assert!(p.source.contains("for k, v in (vars) | __loop_fuel %}"));
        assert!(p.source.contains("in (range(end=3)) | __loop_fuel %}"));
    }

    #[test]
    fn leaves_text_strings_comments_and_raw_alone() {
        let src = "for the District {{ \"for x in y %}\" }}{# {% for a in b %} #}{% raw %}{% for a in b %}{% endraw %}";
        assert_eq!(prepare(src).unwrap().source, src);
    }

    #[test]
    fn refuses_comprehensions_and_components() {
        let e = prepare("x\n{{ [i for i in range(end=9)] }}").unwrap_err();
        assert_eq!(
            line_col("x\n{{ [i for i in range(end=9)] }}", e.offset),
            (2, 7)
        );
        assert!(prepare("{% component c() %}x{% endcomponent %}").is_err());
        assert!(prepare("{% set xs = [a for a in b] %}").is_err());
    }

    #[test]
    fn multibyte_text_inside_tags() {
        let src = "{{ \"é\" ~ école }}{% for é in «x» %}…{% endfor %}";
        assert!(prepare(src).unwrap().source.contains("(«x») | __loop_fuel"));
        assert!(prepare("{{ é").is_ok());
        assert!(prepare("{% for x in 'é").is_ok());
    }

    #[test]
    fn raw_ends_where_tera_ends_it() {
        // A no-break space is not ASCII whitespace: Tera's raw block goes on past it,
        // so the loop after the real `{% endraw %}` must still be metered.
        let src = "{% raw %}{%\u{a0}endraw %}{{ {% endraw %}{% for a in b %}{% endfor %}";
        assert!(prepare(src).unwrap().source.contains("(b) | __loop_fuel"));
        let src = "{{ unclosed {% for a in b %}{% endfor %}";
        assert!(prepare(src).unwrap().source.contains("(b) | __loop_fuel"));
    }

    #[test]
    fn loops_without_an_expression_are_left_to_tera() {
        // Found by the `template` fuzz target: an empty expression used to panic.
        for src in ["{% for p in %}x", "{% for p in -%}x", "{% for p in\n%}"] {
            assert_eq!(prepare(src).unwrap().source, src);
        }
    }

    #[test]
    fn guards_conditions_that_read_profile_values() {
        let src = "{% if funding.share > 0 -%}a{%- elif x is defined or loop.last %}b{% elif s[\"t\"] %}{% endif %}";
        let p = prepare(src).unwrap();
        assert_eq!(
            p.source,
            "{% if __known(v6=funding.share) and (funding.share > 0) -%}a{%- elif x is defined or loop.last %}b{% elif s[\"t\"] %}{% endif %}"
        );
        // Profile values only, also through loop and set names; `is` tests read what
        // may be absent and are left alone.
        let src = "{% for p in funding.schedule %}{% if p.amount and term.end is defined %}{% endif %}{% endfor %}";
        let p = prepare(src).unwrap();
        assert!(
            p.source
                .contains("{% if __known(v37=p.amount) and (p.amount and term.end is defined) %}"),
            "{}",
            p.source
        );
        // Columns of errors after the insertion map back to the clause file.
        let src = "{% if term.end %}{{ oops }}";
        let p = prepare(src).unwrap();
        let col = p.source.find("oops").unwrap() + 1;
        assert_eq!(
            p.shifts.original_column(1, col),
            src.find("oops").unwrap() + 1
        );
    }

    #[test]
    fn maps_columns_back() {
        let p = prepare("{% for s in schools %}{{ oops }}").unwrap();
        // `oops` sits at column 26 of the file and 38 of the rewritten text.
        let col = p.source.find("oops").unwrap() + 1;
        assert_eq!(p.shifts.original_column(1, col), 26);
        assert_eq!(p.shifts.original_column(1, 4), 4);
    }
}
