//! Plan → rendered clauses → numbered [`Document`]. Pure: takes loaded values, returns
//! values; nothing here touches the file system.
use crate::check::codes;

mod parse;

pub use parse::{nesting_depth, parse as parse_markdown};

use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{Article, Document};
use crate::library::{ClauseVersion, Library};
use crate::profile::{Profile, Status};
use crate::resolve::{Plan, plan};
use crate::template::missing::missing_in_final;
use crate::template::{BLANK_MARK, Engine, profile_context};
use std::collections::BTreeMap;

/// An agreement ready to write, with what went into it.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub document: Document,
    /// Every clause and exhibit file used, with its layer and variant, in document
    /// order.
    pub clauses: Vec<crate::lock::LockedClause>,
    /// Warnings: blanks left in a draft, and the like.
    pub warnings: Vec<Diagnostic>,
}

/// Assembles one agreement. Errors are every problem found across all clauses.
pub fn assemble(
    profile: &Profile,
    lib: &Library,
    engine: &Engine,
) -> Result<Assembled, Diagnostics> {
    let plan = plan(profile, lib).map_err(Diagnostics)?;
    let mut assembled = assemble_plan(profile, &plan, engine)?;
    // What resolving warned of (an unused overlay clause, say) is the build's too.
    assembled.warnings.splice(0..0, plan.warnings);
    Ok(assembled)
}

pub fn assemble_plan(
    profile: &Profile,
    plan: &Plan<'_>,
    engine: &Engine,
) -> Result<Assembled, Diagnostics> {
    let numbering = profile.raw.agreement.numbering;
    let articles: BTreeMap<String, String> = plan
        .items
        .iter()
        .filter_map(|i| {
            i.number
                .map(|n| (i.clause.id.to_string(), numbering.reference(n)))
        })
        .collect();
    let (mut ctx, blanks) = profile_context(profile);
    ctx.insert(
        crate::exhibits::EXHIBITS_KEY,
        &crate::exhibits::names(&plan.exhibits),
    );
    let final_status = profile.status() == Status::Final;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut out = Vec::with_capacity(plan.items.len());
    for item in &plan.items {
        let clause = item.clause;
        if !engine.has(clause) {
            // Its syntax error was reported when the library was loaded.
            errors.push(Diagnostic::error(
                codes::E0210,
                &clause.path,
                format!(
                    "clause `{}` {} has a template error",
                    clause.id, clause.version
                ),
            ));
            continue;
        }
        // Values the profile leaves out, found before rendering (template::missing).
        let missing = engine.missing_values(clause, &blanks, profile);
        if !missing.is_empty() {
            errors.extend(missing);
            continue;
        }
        let text = match engine.render_noting_blanks(clause, &ctx, &articles) {
            Ok((t, tested)) => {
                for d in engine.tested_blanks(clause, &tested, profile) {
                    match d.severity {
                        crate::diag::Severity::Error => errors.push(d),
                        crate::diag::Severity::Warning => warnings.push(d),
                    }
                }
                t
            }
            Err(d) => {
                errors.push(rendering_for(d, clause, profile));
                continue;
            }
        };
        let blanks = blank_paths(&text);
        for var in &blanks {
            let (line, col) = locate_var(clause, var);
            if final_status {
                errors.push(missing_in_final(profile, clause, var, line, col));
            } else {
                warnings.push(
                    Diagnostic::warning(
                        codes::W0301,
                        &clause.path,
                        format!(
                            "draft {} leaves `{var}` blank in clause `{}`",
                            crate::diag::display_path(&profile.path),
                            clause.id
                        ),
                    )
                    .at(line, col),
                );
            }
        }
        if let Some(offset) = leftover_marker(&text) {
            let d = Diagnostic::error(
                codes::E0303,
                &clause.path,
                format!(
                    "clause `{}` still contains template markers after rendering",
                    clause.id
                ),
            )
            .with_help(format!("near: {}", snippet(&text, offset)));
            errors.push(rendering_for(d, clause, profile));
            continue;
        }
        match parse::parse(&text, item.number) {
            Ok(mut blocks) => {
                // Printed values were escaped as text (template::escape): their
                // characters come back once the Markdown is read.
                crate::template::escape::restore_blocks(&mut blocks);
                out.push(Article {
                    id: clause.id.to_string(),
                    version: clause.version.to_string(),
                    number: item.number,
                    title: clause.front.title.clone(),
                    numbering: profile.raw.agreement.numbering,
                    blocks,
                })
            }
            Err(e) if e.too_deep => errors.push(too_deep(profile, clause, &text, &e)),
            Err(e) => {
                let d = Diagnostic::error(
                    codes::E0302,
                    &clause.path,
                    format!(
                        "clause `{}`: {} (near: {})",
                        clause.id,
                        e.message,
                        snippet(&text, e.offset)
                    ),
                );
                errors.push(rendering_for(d, clause, profile));
            }
        }
    }
    // Exhibits, after the signatures, each on a page of its own (crate::exhibits).
    for exhibit in &plan.exhibits {
        match render_exhibit(profile, exhibit, engine, (&ctx, &blanks), &articles) {
            Ok(a) => out.push(a),
            Err(d) => errors.extend(d),
        }
    }
    // Every problem found through this profile names it (a clause error's `file` is
    // the clause), for readers that group by agreement.
    for d in errors.iter_mut().chain(warnings.iter_mut()) {
        if d.file != profile.path && d.profile.is_none() {
            d.profile = Some(profile.path.clone());
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let clauses = crate::lock::LockedClause::all_of(plan);
    Ok(Assembled {
        document: document(profile, out),
        clauses,
        warnings,
    })
}

/// One exhibit as an article: a template rendered as a clause is (values a final
/// profile leaves out are errors, a draft's show as blanks), or a table.
fn render_exhibit(
    profile: &Profile,
    exhibit: &crate::exhibits::Planned<'_>,
    engine: &Engine,
    (ctx, blanks): (&tera::Context, &crate::template::Blanks),
    articles: &BTreeMap<String, String>,
) -> Result<Article, Vec<Diagnostic>> {
    use crate::exhibits::{Source, article, table_block};
    let clause = match &exhibit.source {
        Source::Table { columns, rows } => {
            let mut blocks = vec![table_block(columns, rows)];
            crate::template::escape::restore_blocks(&mut blocks);
            return Ok(article(exhibit, String::new(), blocks));
        }
        Source::Template(c) => *c,
    };
    if !engine.has(clause) {
        return Err(vec![Diagnostic::error(
            codes::E0210,
            &clause.path,
            format!("exhibit {} has a template error", exhibit.label),
        )]);
    }
    let missing = engine.missing_values(clause, blanks, profile);
    if !missing.is_empty() {
        return Err(missing);
    }
    let text = engine
        .render(clause, ctx, articles)
        .map_err(|d| vec![rendering_for(d, clause, profile)])?;
    let final_status = profile.status() == Status::Final;
    if let Some(var) = blank_paths(&text).first()
        && final_status
    {
        let (line, col) = locate_var(clause, var);
        return Err(vec![missing_in_final(profile, clause, var, line, col)]);
    }
    if let Some(offset) = leftover_marker(&text) {
        let d = Diagnostic::error(
            codes::E0303,
            &clause.path,
            format!(
                "exhibit {} still contains template markers after rendering",
                exhibit.label
            ),
        )
        .with_help(format!("near: {}", snippet(&text, offset)));
        return Err(vec![rendering_for(d, clause, profile)]);
    }
    match parse::parse(&text, None) {
        Ok(mut blocks) => {
            crate::template::escape::restore_blocks(&mut blocks);
            Ok(article(exhibit, clause.version.to_string(), blocks))
        }
        Err(e) if e.too_deep => Err(vec![too_deep(profile, clause, &text, &e)]),
        Err(e) => Err(vec![rendering_for(
            Diagnostic::error(
                codes::E0302,
                &clause.path,
                format!(
                    "exhibit {}: {} (near: {})",
                    exhibit.label,
                    e.message,
                    snippet(&text, e.offset)
                ),
            ),
            clause,
            profile,
        )]),
    }
}

fn document(profile: &Profile, mut articles: Vec<Article>) -> Document {
    let r = &profile.raw;
    let draft = profile.status() == Status::Draft;
    if !draft {
        // Drafting notes guide counsel; no signed agreement carries them.
        for a in &mut articles {
            a.blocks
                .retain(|b| !matches!(b, crate::document::Block::Note(_)));
        }
    }
    let blank = crate::document::BLANK.to_string();
    let school = r.school.name.clone().unwrap_or_else(|| blank.clone());
    let agency = r.agency.name.clone().unwrap_or_else(|| blank.clone());
    let short = r
        .agency
        .government
        .clone()
        .or_else(|| r.agency.name.clone())
        .unwrap_or_else(|| school.clone());
    Document {
        title: profile.title().to_string(),
        short_title: format!("{} — {}", profile.title(), short),
        subtitle: if r.parties.is_empty() {
            format!("between {school} and {agency}")
        } else {
            let mut all = vec![school.clone(), agency.clone()];
            all.extend(r.parties.iter().map(|p| p.name.clone()));
            format!("among {}", crate::template::words::join_and(&all))
        },
        parties: [school, agency]
            .into_iter()
            .chain(r.parties.iter().map(|p| p.name.clone()))
            .collect(),
        date: r.agreement.date.map(crate::template::words::long_date),
        date_iso: r.agreement.date,
        draft,
        language: "en-US".to_string(),
        subject: format!(
            "School resource officer agreement for {} ({})",
            r.school.name.as_deref().unwrap_or("a school district"),
            r.agreement.state
        ),
        articles,
    }
}

/// Variable paths of the blank markers in rendered text, in order of first use.
fn blank_paths(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, piece) in text.split(BLANK_MARK).enumerate() {
        if i % 2 == 1 && !out.iter().any(|p| p == piece) {
            out.push(piece.to_string());
        }
    }
    out
}

/// Line and column of the first place in the clause file that mentions the variable.
fn locate_var(clause: &ClauseVersion, var: &str) -> (usize, usize) {
    let candidates = [
        var.to_string(),
        var.rsplit('.').next().unwrap_or(var).to_string(),
    ];
    for needle in candidates {
        if let Some(offset) = clause.body.find(&needle) {
            let (line, col) = crate::diag::line_col(&clause.body, offset);
            return (clause.body_line + line - 1, col);
        }
    }
    (clause.body_line, 1)
}

/// An error raised while rendering `clause` for `profile` names the profile: its
/// values may be the cause (a filter given a bad value, a `ref()` to a clause the
/// profile leaves out, markup in what it prints).
fn rendering_for(mut d: Diagnostic, clause: &ClauseVersion, profile: &Profile) -> Diagnostic {
    let note = format!(
        "rendering clause `{}` for {}",
        clause.id,
        crate::diag::display_path(&profile.path)
    );
    d.help = Some(match d.help.take() {
        Some(help) => format!("{help}; {note}"),
        None => note,
    });
    d.profile = Some(profile.path.clone());
    d
}

/// Lists or quotes nested past [`crate::document::MAX_NESTING`] (E0306), placed where
/// the nesting was written: the clause line when the rendered line is in the clause as
/// written, else the profile value that nests that deep by itself, else the clause.
fn too_deep(
    profile: &Profile,
    clause: &ClauseVersion,
    text: &str,
    e: &parse::ParseError,
) -> Diagnostic {
    let offset = e.offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    if !line.trim().is_empty()
        && let Some(at) = clause.body.find(line)
    {
        let (l, col) = crate::diag::line_col(&clause.body, at + (offset - line_start));
        return Diagnostic::error(
            codes::E0306,
            &clause.path,
            format!("clause `{}`: {}", clause.id, e.message),
        )
        .at(clause.body_line + l - 1, col);
    }
    if let Some((key, at)) = deep_profile_value(&profile.source) {
        return Diagnostic::error(
            codes::E0306,
            &profile.path,
            format!(
                "`{key}`, rendered in clause `{}`: {}",
                clause.id, e.message
            ),
        )
        .at_offset(&profile.source, at)
        .with_help("a profile value is text, not a document outline: remove the leading `>`, `-` or `1.` markers");
    }
    Diagnostic::error(
        codes::E0306,
        &clause.path,
        format!(
            "clause `{}`: {} (near: {})",
            clause.id,
            e.message,
            snippet(text, e.offset)
        ),
    )
    .at(clause.body_line, 1)
}

/// The first string of a profile (dotted key, byte offset of the value) whose text
/// alone nests lists or quotes past the bound. Walks the TOML with a stack, not
/// recursion.
fn deep_profile_value(source: &str) -> Option<(String, usize)> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(source).ok()?;
    type Entry<'a, 'b> = (String, &'a toml::Spanned<DeValue<'b>>);
    fn push_table<'a, 'b>(stack: &mut Vec<Entry<'a, 'b>>, prefix: &str, table: &'a DeTable<'b>) {
        for (k, v) in table.iter() {
            let key = if prefix.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{prefix}.{}", k.get_ref())
            };
            stack.push((key, v));
        }
    }
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut stack: Vec<Entry<'_, '_>> = Vec::new();
    push_table(&mut stack, "", root.get_ref());
    while let Some((key, value)) = stack.pop() {
        match value.get_ref() {
            DeValue::String(s) if parse::nesting_depth(s) > crate::document::MAX_NESTING => {
                found.push((value.span().start, key));
            }
            DeValue::Table(t) => push_table(&mut stack, &key, t),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    stack.push((format!("{key}[{i}]"), item));
                }
            }
            _ => {}
        }
    }
    found.into_iter().min().map(|(at, key)| (key, at))
}

/// Where the first `{{ }} {% %} {# #}` delimiter left in rendered text starts (one pass).
fn leftover_marker(text: &str) -> Option<usize> {
    text.as_bytes()
        .windows(2)
        .position(|w| matches!(w, [b'{', b'{' | b'%' | b'#'] | [b'}' | b'%' | b'#', b'}']))
}

fn snippet(text: &str, offset: usize) -> String {
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let rest = &text[start..];
    let line = rest.lines().next().unwrap_or("");
    let cut: String = line.chars().take(60).collect();
    format!("\"{}\"", crate::template::escape::restore(&cut))
}

#[cfg(test)]
mod tests {
    use super::leftover_marker;

    #[test]
    fn leftover_marker_finds_the_first_delimiter_of_any_kind() {
        assert_eq!(leftover_marker("plain text, 100% {sure}"), None);
        for (text, at) in [
            ("a {{ b", 2),
            ("a }} b", 2),
            ("a {% b", 2),
            ("a %} b", 2),
            ("a {# b", 2),
            ("a #} b", 2),
            ("x #} then {{", 2),
            ("é{{", 2),
        ] {
            assert_eq!(leftover_marker(text), Some(at), "{text}");
        }
    }
}
