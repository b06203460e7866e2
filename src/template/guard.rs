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
//! - **Output** is capped by the writer in `Engine::render` (default 1 MiB a clause).
//! - **Memory** is capped by [`super::budget`] in the `mou` binary.

use super::syntax::Scan;
use crate::diag::line_col;
use std::cell::Cell;
use tera::{Error, Kwargs, State, TeraResult, Value};

/// Loop iterations one clause may run in all, nested loops included.
pub const MAX_LOOP_ITERATIONS: u64 = 1_000_000;
/// Name of the metering filter the rewrite inserts.
pub const FUEL_FILTER: &str = "__loop_fuel";
/// Start of the error message of an exhausted meter (mapped to its own code).
pub const FUEL_MESSAGE: &str = "loops in this clause run more than";

thread_local! {
    static FUEL: Cell<u64> = const { Cell::new(MAX_LOOP_ITERATIONS) };
}

/// Refills the loop meter; called before each render (rendering is single-threaded).
pub fn refuel() {
    FUEL.with(|f| f.set(MAX_LOOP_ITERATIONS));
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

/// Meters every loop of a clause body and refuses what the meter cannot reach, reading
/// the body with the one template scanner ([`super::syntax`]).
pub fn prepare(body: &str) -> Result<Prepared, Refused> {
    prepare_scanned(&super::syntax::scan(body))
}

/// [`prepare`] for a body already scanned.
pub fn prepare_scanned(scan: &Scan<'_>) -> Result<Prepared, Refused> {
    if let Some((offset, message)) = scan.refused() {
        return Err(Refused {
            offset,
            message: message.into(),
        });
    }
    let body = scan.source();
    let mut out = Prepared::default();
    let mut copied = 0;
    for l in scan.loops() {
        out.source.push_str(&body[copied..l.target.start]);
        record(&mut out, 1);
        out.source.push('(');
        out.source.push_str(&body[l.target.clone()]);
        let tail = format!(") | {FUEL_FILTER}");
        record(&mut out, tail.len());
        out.source.push_str(&tail);
        copied = l.target.end;
    }
    out.source.push_str(&body[copied..]);
    Ok(out)
}

/// Notes an insertion of `len` bytes at the current end of the rewritten text.
fn record(out: &mut Prepared, len: usize) {
    let (line, column) = line_col(&out.source, out.source.len());
    out.shifts.0.push((line, column, len));
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn maps_columns_back() {
        let p = prepare("{% for s in schools %}{{ oops }}").unwrap();
        // `oops` sits at column 26 of the file and 38 of the rewritten text.
        let col = p.source.find("oops").unwrap() + 1;
        assert_eq!(p.shifts.original_column(1, col), 26);
        assert_eq!(p.shifts.original_column(1, 4), 4);
    }
}
