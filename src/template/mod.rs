//! The Tera environment: the filters and `ref()` of SPEC §3, and the profile context.
//! One `Engine` holds every clause template of a library, parsed once and shared by
//! all profiles of a batch (it is `Sync`); per-profile data travels in the context.
use crate::check::codes;

pub mod budget;
mod context;
mod context_money;
pub mod escape;
mod filters;
pub mod guard;
pub mod link;
pub mod missing;
pub mod syntax;
pub mod words;

pub use context::{
    BLANK_MARK, Blanks, XREF_CLOSE, XREF_OPEN, XREF_TEXT, blank_marker, context_for, context_json,
    profile_context, xref_marked,
};

use crate::diag::Diagnostic;
use crate::library::{ClauseVersion, Library};
use std::collections::{BTreeMap, HashMap};

/// Context key holding the article labels that `ref()` resolves against.
pub const ARTICLES_KEY: &str = "__articles";

/// Default ceiling on one rendered clause; more is an error (E0213).
pub const MAX_CLAUSE_OUTPUT: usize = 1 << 20;

pub struct Engine {
    tera: tera::Tera,
    /// Per template: where the loop-metering rewrite inserted text (see [`guard`]).
    shifts: HashMap<String, guard::Shifts>,
    /// Per template: the variable paths it reads (see [`syntax`], [`Engine::missing_values`]).
    uses: HashMap<String, Vec<syntax::Use>>,
    output_limit: usize,
}

impl Engine {
    /// A Tera environment with our filters and no templates.
    pub fn empty() -> Engine {
        let mut tera = tera::Tera::new();
        // Every value a clause prints is text, never Markdown (see [`escape`]).
        tera.autoescape_on([""]);
        tera.set_escape_fn(escape::escape);
        filters::register(&mut tera);
        tera.register_filter(guard::FUEL_FILTER, guard::loop_fuel);
        tera.register_function(guard::KNOWN_FUNCTION, guard::known);
        tera.register_function("exhibit", crate::exhibits::function);
        Engine {
            tera,
            shifts: HashMap::new(),
            uses: HashMap::new(),
            output_limit: MAX_CLAUSE_OUTPUT,
        }
    }

    /// Sets the most bytes one rendered clause may have (default [`MAX_CLAUSE_OUTPUT`]).
    pub fn set_output_limit(&mut self, bytes: usize) {
        self.output_limit = bytes;
    }

    /// Parses every clause body of the library, all registered at once so that any
    /// clause may include any other ([`link`]). Each problem comes back located in
    /// the clause file it belongs to.
    pub fn for_library(lib: &Library) -> (Engine, Vec<Diagnostic>) {
        let mut engine = Engine::empty();
        let diags = link::register(&mut engine, lib);
        (engine, diags)
    }

    /// Adds the clauses of agreements' overlays to an engine that holds the library,
    /// in one batch (see [`link::register_clauses`]).
    pub fn add_overlays<'l>(
        &mut self,
        clauses: impl Iterator<Item = &'l ClauseVersion>,
    ) -> Vec<Diagnostic> {
        link::register_clauses(self, clauses)
    }

    pub fn has(&self, clause: &ClauseVersion) -> bool {
        self.tera.contains_template(&clause.template_name())
    }

    /// Variables a clause template reads (top-level paths such as `term.start`).
    pub fn variables(&self, clause: &ClauseVersion) -> Vec<String> {
        let mut vars: Vec<String> = self
            .tera
            .get_template_variables(&clause.template_name())
            .map(|set| set.into_iter().map(str::to_string).collect())
            .unwrap_or_default();
        vars.sort();
        vars
    }

    /// Renders one clause. `articles` maps clause ids to their labels for `ref()`.
    pub fn render(
        &self,
        clause: &ClauseVersion,
        base: &tera::Context,
        articles: &BTreeMap<String, String>,
    ) -> Result<String, Diagnostic> {
        self.render_noting_blanks(clause, base, articles)
            .map(|(text, _)| text)
    }

    /// [`Engine::render`], and the draft blanks that conditions read while it rendered
    /// (offset in the clause body, variable), for [`Engine::tested_blanks`].
    pub fn render_noting_blanks(
        &self,
        clause: &ClauseVersion,
        base: &tera::Context,
        articles: &BTreeMap<String, String>,
    ) -> Result<(String, Vec<(usize, String)>), Diagnostic> {
        let mut ctx = base.clone();
        ctx.insert(
            "clause",
            &serde_json::json!({ "id": clause.id, "version": clause.version.to_string(), "title": clause.front.title }),
        );
        ctx.insert(ARTICLES_KEY, articles);
        let name = clause.template_name();
        let mut out = LimitedWriter {
            bytes: Vec::new(),
            limit: self.output_limit,
            exceeded: false,
        };
        guard::refuel();
        let who = crate::diag::display_path(&clause.path);
        let result = {
            let _budget = budget::Guard::new(&who, budget::budget_for(self.output_limit));
            self.tera.render_to(&name, &ctx, &mut out)
        };
        if out.exceeded {
            return Err(Diagnostic::error(
                codes::E0213,
                &clause.path,
                format!(
                    "clause `{}` renders to more than {} bytes, the limit for one clause; stopped",
                    clause.id, self.output_limit
                ),
            )
            .at(clause.body_line, 1)
            .with_help("a loop that never ends or repeats too often? (the limit is set with --max-clause-output)"));
        }
        let tested = guard::take_tested_blanks();
        result.map_err(|e| template_error(clause, &e, self.shifts.get(&name)))?;
        let text = String::from_utf8(out.bytes).map_err(|_| {
            Diagnostic::error(
                codes::E0211,
                &clause.path,
                "the rendered clause is not valid UTF-8",
            )
        })?;
        Ok((text, tested))
    }
}

/// A template error, reported as the clause was written: a syntax error inside a
/// guarded condition is Tera's error for the condition without its guard, so the
/// message and column are those of the text the author wrote.
fn syntax_error_as_written(
    clause: &ClauseVersion,
    scan: &syntax::Scan<'_>,
    e: tera::Error,
    guarded: &guard::Prepared,
) -> Diagnostic {
    if matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        && let Ok(plain) = guard::prepare_scanned(scan, &[])
        && plain.source != guarded.source
        && let Err(written) = tera::Tera::new().add_raw_template("t", &plain.source)
        && matches!(written.kind(), tera::ErrorKind::SyntaxError(_))
    {
        return template_error(clause, &written, Some(&plain.shifts));
    }
    template_error(clause, &e, Some(&guarded.shifts))
}

/// Collects rendered output and refuses to grow past `limit`, which stops Tera's
/// render loop at the first write beyond it.
struct LimitedWriter {
    bytes: Vec<u8>,
    limit: usize,
    exceeded: bool,
}

impl std::io::Write for LimitedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            self.exceeded = true;
            return Err(std::io::Error::other("clause output limit reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A Tera error as a diagnostic pointing into the clause file. `shifts` maps columns
/// of the loop-metered text back to the file.
pub fn template_error(
    clause: &ClauseVersion,
    e: &tera::Error,
    shifts: Option<&guard::Shifts>,
) -> Diagnostic {
    let (code, report) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => (codes::E0210, Some(r)),
        tera::ErrorKind::RenderingError(r) => (codes::E0211, Some(r)),
        _ => (codes::E0211, None),
    };
    // Errors found when templates are linked (an unknown function such as `get_env`,
    // an include of a template that is not in the library) come as a finished report
    // text: take its message and `--> name:LINE:COL` position.
    let linked = match (report, e.kind()) {
        (None, tera::ErrorKind::Msg(text)) => linked_report(text, &clause.template_name()),
        _ => None,
    };
    let mut message = match (report, &linked) {
        (Some(r), _) => r.message().to_string(),
        (None, Some((m, _, _))) => m.clone(),
        (None, None) => e.to_string(),
    };
    // Nested causes (a filter's own message) are the useful part.
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message = format!("{message}: {text}");
        }
        source = s.source();
    }
    let code = if message.contains("is not a numbered article of this agreement") {
        codes::E0304
    } else if message.contains(crate::exhibits::NO_SUCH_EXHIBIT) {
        codes::E0236
    } else if message.contains(guard::FUEL_MESSAGE) {
        codes::E0214
    } else {
        code
    };
    let position = match (report, &linked) {
        (Some(r), _) => Some((r.span().start_line, r.span().start_col + 1)),
        (None, Some((_, line, col))) => Some((*line, *col)),
        (None, None) => None,
    };
    let mut d = Diagnostic::error(code, &clause.path, message);
    if let Some((line, col)) = position {
        let col = shifts.map_or(col, |s| s.original_column(line, col));
        d = d.at(clause.body_line + line.max(1) - 1, col);
    }
    d
}

/// The first message and position of a report text such as
/// `error: Unknown function `get_env`\n --> notices@1.0.0:1:4`.
fn linked_report(text: &str, template: &str) -> Option<(String, usize, usize)> {
    let message = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))?
        .to_string();
    let marker = format!("--> {template}:");
    let position = text
        .lines()
        .find_map(|l| l.trim().strip_prefix(marker.as_str()))?;
    let (line, col) = position.split_once(':')?;
    Some((message, line.trim().parse().ok()?, col.trim().parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(body: &str) -> Library {
        let mut clause = ClauseVersion::sample("x", "1.0.0", body);
        clause.front.title = "X".into();
        let mut lib = Library::default();
        lib.clauses.insert("x".into(), vec![clause]);
        lib
    }

    fn profile(status: &str, without: &str) -> crate::profile::Profile {
        let text = include_str!("../../tests/fixtures/valid.toml")
            .replace("status = \"final\"", &format!("status = \"{status}\""))
            .replace(without, "");
        crate::profile::Profile::parse(std::path::Path::new("p.toml"), text).unwrap()
    }

    /// Every value printed is escaped exactly once (issue #19): alone, through a
    /// filter, inside a `{% filter %}` section or a captured `{% set %}`, joined with
    /// `join_and`; the template's own Markdown stays Markdown.
    #[test]
    fn printed_values_are_escaped_once() {
        let lib = library(
            "{% filter capfirst %}**the** {{ school.name }}{% endfilter %}\n\
             {{ school.name | capfirst }} {{ funding.annual_cost | money }}\n\
             {% set x %}*{{ school.name }}*{% endset %}{{ [x, school.name] | join_and }}\n\
             {{ [school.name, agency.name] | join_and }}",
        );
        let (engine, diags) = Engine::for_library(&lib);
        assert!(diags.is_empty(), "{diags:?}");
        let text = include_str!("../../tests/fixtures/valid.toml")
            .replace("West Hartford Public Schools", "a|B*");
        let p = crate::profile::Profile::parse(std::path::Path::new("p.toml"), text).unwrap();
        let (ctx, _) = profile_context(&p);
        let out = engine
            .render(&lib.clauses["x"][0], &ctx, &BTreeMap::new())
            .unwrap();
        let e = escape::escaped;
        let want = format!(
            "**the** {n}\n{cap} {money}\n*{n}* and {n}\n{n} and {agency}",
            n = e("a|B*"),
            cap = e("A|B*"),
            money = e("$182,000.00"),
            agency = "West Hartford Police Department",
        );
        assert_eq!(out, want);
        assert_eq!(
            escape::restore(&out),
            "**the** a|B*\nA|B* $182,000.00\n*a|B** and a|B*\na|B* and West Hartford Police Department"
        );
    }

    /// A syntax error inside a guarded condition reads as the author wrote it.
    #[test]
    fn syntax_errors_in_conditions_are_the_authors() {
        let (_, diags) = Engine::for_library(&library("Line.\n{% if term.end == %}x{% endif %}"));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, "E0210");
        assert!(
            diags[0].message.starts_with("Found `%}`"),
            "{}",
            diags[0].message
        );
        assert_eq!((diags[0].line, diags[0].column), (5, 19));
    }

    /// A draft's blank makes a condition false and is reported; a final's is an error
    /// before rendering.
    #[test]
    fn conditions_on_blanks() {
        let lib = library("{% if funding.annual_cost > 0 %}paid{% else %}unset{% endif %}");
        let (engine, diags) = Engine::for_library(&lib);
        assert!(diags.is_empty(), "{diags:?}");
        let clause = &lib.clauses["x"][0];
        let draft = profile("draft", "annual_cost = 182000.00\n");
        let (ctx, blanks) = profile_context(&draft);
        assert!(engine.missing_values(clause, &blanks, &draft).is_empty());
        let (text, tested) = engine
            .render_noting_blanks(clause, &ctx, &BTreeMap::new())
            .unwrap();
        assert_eq!(text, "unset");
        assert_eq!(tested, [(6, "funding.annual_cost".to_string())]);
        let w = engine.tested_blanks(clause, &tested, &draft);
        assert_eq!((w[0].code, w[0].line, w[0].column), ("W0302", 4, 7));
        let fin = profile("final", "annual_cost = 182000.00\n");
        let e = engine.missing_values(clause, &profile_context(&fin).1, &fin);
        // The profile's error, at its [funding] table; the clause's line in the help.
        let funding = fin.source.lines().position(|l| l == "[funding]").unwrap() + 1;
        assert_eq!((e[0].code, e[0].line), ("E0301", funding));
        assert_eq!(e[0].file, std::path::Path::new("p.toml"));
        assert!(
            e[0].help
                .as_deref()
                .unwrap()
                .contains("clauses/x/1.0.0.md:4:7"),
            "{:?}",
            e[0].help
        );
        // With the value given, the condition is the author's.
        let full = profile("final", "");
        let (ctx, _) = profile_context(&full);
        let (text, tested) = engine
            .render_noting_blanks(clause, &ctx, &BTreeMap::new())
            .unwrap();
        assert_eq!((text.as_str(), tested.len()), ("paid", 0));
    }
}
