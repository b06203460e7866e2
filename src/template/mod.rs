//! The Tera environment: the filters and `ref()` of SPEC §3, and the profile context.
//! One `Engine` holds every clause template of a library, parsed once and shared by
//! all profiles of a batch (it is `Sync`); per-profile data travels in the context.

mod context;
mod filters;
pub mod words;

pub use context::{BLANK_MARK, blank_marker, context_for, context_json, unblank_numbers};

use crate::diag::Diagnostic;
use crate::library::{ClauseVersion, Library};
use std::collections::BTreeMap;

/// Context key holding the article labels that `ref()` resolves against.
pub const ARTICLES_KEY: &str = "__articles";

pub struct Engine {
    tera: tera::Tera,
}

impl Engine {
    /// A Tera environment with our filters and no templates.
    pub fn empty() -> Engine {
        let mut tera = tera::Tera::new();
        // Agreements are Markdown, not HTML: nothing is escaped.
        tera.autoescape_on(Vec::<&'static str>::new());
        filters::register(&mut tera);
        Engine { tera }
    }

    /// Parses every clause body of the library. Syntax errors come back located in the
    /// clause file.
    pub fn for_library(lib: &Library) -> (Engine, Vec<Diagnostic>) {
        let mut engine = Engine::empty();
        let mut diags = Vec::new();
        for clause in lib.clauses.values().flatten() {
            if let Err(e) = engine
                .tera
                .add_raw_template(&clause.template_name(), &clause.body)
            {
                diags.push(template_error(clause, &e));
            }
        }
        (engine, diags)
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
        let mut ctx = base.clone();
        ctx.insert(
            "clause",
            &serde_json::json!({ "id": clause.id, "version": clause.version.to_string(), "title": clause.front.title }),
        );
        ctx.insert(ARTICLES_KEY, articles);
        self.tera
            .render(&clause.template_name(), &ctx)
            .map_err(|e| template_error(clause, &e))
    }
}

/// A Tera error as a diagnostic pointing into the clause file.
pub fn template_error(clause: &ClauseVersion, e: &tera::Error) -> Diagnostic {
    let (code, report) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => ("E0210", Some(r)),
        tera::ErrorKind::RenderingError(r) => ("E0211", Some(r)),
        _ => ("E0211", None),
    };
    let mut message = match report {
        Some(r) => r.message().to_string(),
        None => e.to_string(),
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
        "E0304"
    } else {
        code
    };
    let mut d = Diagnostic::error(code, &clause.path, message);
    if let Some(r) = report {
        let span = r.span();
        d = d.at(clause.body_line + span.start_line - 1, span.start_col + 1);
    }
    d
}
