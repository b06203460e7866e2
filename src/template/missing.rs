//! Values a profile leaves out, found before a clause renders: the scanner lists the
//! paths each clause reads ([`super::syntax::Scan::uses`]) and the typed context lists
//! the paths that hold a blank ([`Blanks`]). No stand-in value is ever compared as if
//! it were known.
//!
//! - A **final** profile may leave out nothing a clause reads, on any branch: each
//!   variable is one E0301 per clause, and the clause is not rendered. The value is
//!   the profile's to give, so the error is located in the profile, at the table that
//!   should hold it, and names the clause and the line that read it
//!   ([`missing_in_final`]).
//! - A **draft** may leave out a value that a clause prints (alone, through filters,
//!   joined with `~`, passed on by `{% set %}` or `{% for %}`): it renders as
//!   `[__________]`, and the scan of the rendered text warns (W0301).
//! - A draft's blank read by the condition of an `{% if %}` or `{% elif %}` makes that
//!   condition **false**, whatever it compares (the loop-meter rewrite guards every
//!   condition that reads a profile value, see [`super::guard`]), and is a warning
//!   (W0302) naming the clause, the variable and the line: the branch printed was
//!   chosen on a blank, not on an agreed value. Only conditions actually evaluated
//!   warn.
//! - A draft's blank that a clause computes with otherwise (arithmetic, a comparison
//!   outside an `if`, a filter or function argument, an `is` test) is an error
//!   (E0305) before rendering: there is no branch to fall back on.
//!
//! A path the scanner cannot follow (through `{% include %}`, or a name bound to a
//! computed value) is left to the scan of the rendered text.
use crate::check::codes;

use super::Engine;
use super::context::Blanks;
use super::guard;
use super::syntax::UseKind;
use crate::diag::{Diagnostic, display_path, line_col};
use crate::library::ClauseVersion;
use crate::profile::{Profile, Status};

impl Engine {
    /// Errors for values `profile` leaves out that `clause` reads (see the module
    /// documentation); empty when the clause may render.
    pub fn missing_values(
        &self,
        clause: &ClauseVersion,
        blanks: &Blanks,
        profile: &Profile,
    ) -> Vec<Diagnostic> {
        if blanks.is_empty() {
            return Vec::new();
        }
        let Some(uses) = self.uses.get(&clause.template_name()) else {
            return Vec::new();
        };
        let shown = display_path(&profile.path);
        let draft = profile.status() == Status::Draft;
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for u in uses {
            let allowed_in_draft = match u.kind {
                UseKind::Printed => true,
                UseKind::Tested => guard::guarded(u),
                UseKind::Computed => false,
            };
            if draft && allowed_in_draft {
                continue;
            }
            // A list left out is a list of one blank (`school.notice_address[]`).
            let Some(var) = u.resolved().and_then(|path| {
                blanks
                    .get(&path)
                    .or_else(|| blanks.get(&format!("{path}[]")))
            }) else {
                continue;
            };
            if seen.contains(&var) {
                continue;
            }
            seen.push(var);
            let d = if draft {
                let written = if u.written == var {
                    String::new()
                } else {
                    format!(" (as `{}`)", u.written)
                };
                let d = Diagnostic::error(
                    codes::E0305,
                    &clause.path,
                    format!(
                        "clause `{}` computes with `{var}`{written}, which the draft {shown} leaves blank; nothing can stand in for a blank",
                        clause.id
                    ),
                )
                .with_help(format!(
                    "give `{var}` a value in {shown} (a draft may change it later); a blank may only be printed or tested by {{% if %}}"
                ));
                at(d, clause, u.span.start)
            } else {
                let (line, col) = clause_line_col(clause, u.span.start);
                missing_in_final(profile, clause, var, line, col)
            };
            out.push(d);
        }
        out
    }

    /// Diagnostics for the blanks that conditions read while `clause` rendered
    /// ([`guard::take_tested_blanks`]): W0302 in a draft, E0301 in a final profile
    /// (reached only through a path the scanner cannot follow).
    pub fn tested_blanks(
        &self,
        clause: &ClauseVersion,
        tested: &[(usize, String)],
        profile: &Profile,
    ) -> Vec<Diagnostic> {
        let shown = display_path(&profile.path);
        let draft = profile.status() == Status::Draft;
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for (offset, var) in tested {
            if seen.contains(&var.as_str()) {
                continue;
            }
            seen.push(var);
            let d = if draft {
                let d = Diagnostic::warning(
                    codes::W0302,
                    &clause.path,
                    format!(
                        "draft {shown} leaves `{var}` blank, and clause `{}` tests it: the condition was taken as false, so the text printed was chosen on a blank",
                        clause.id
                    ),
                )
                .with_help(format!(
                    "give `{var}` a value in {shown} to choose the clause's text"
                ));
                at(d, clause, *offset)
            } else {
                let (line, col) = clause_line_col(clause, *offset);
                missing_in_final(profile, clause, var, line, col)
            };
            out.push(d);
        }
        out
    }
}

/// E0301: the final `profile` does not give `var`, which `clause` reads at `line`:`col`
/// of its file. The value is the profile's to give, so the error is the profile's, at
/// the table that should hold it (`[school]` for `school.name`; the file itself when
/// the table is absent); the clause that needs the value is in the help.
pub fn missing_in_final(
    profile: &Profile,
    clause: &ClauseVersion,
    var: &str,
    line: usize,
    col: usize,
) -> Diagnostic {
    let shown = display_path(&profile.path);
    let keys: Vec<&str> = var.split('.').map(|k| k.trim_end_matches("[]")).collect();
    let mut d = profile
        .locator()
        .error(
            codes::E0301,
            &keys,
            format!(
                "clause `{}` uses `{var}`, which the final profile {shown} does not give",
                clause.id
            ),
        )
        .with_help(format!(
            "clause `{}` reads it at {}:{line}:{col}; set `{var}` here or mark the agreement status = \"draft\"",
            clause.id,
            display_path(&clause.path)
        ));
    if d.line == 0 {
        // No table to point at: the profile as a whole.
        d.snippet = None;
    }
    d
}

/// Line and column in the clause file of a byte offset of its body.
fn clause_line_col(clause: &ClauseVersion, offset: usize) -> (usize, usize) {
    let (line, col) = line_col(&clause.body, offset);
    (clause.body_line + line - 1, col)
}

fn at(d: Diagnostic, clause: &ClauseVersion, offset: usize) -> Diagnostic {
    let (line, col) = clause_line_col(clause, offset);
    d.at(line, col)
}
