//! `--propose DIR`: their edits as files counsel can adopt. Each clause whose text they
//! changed becomes an overlay clause file (docs/library.md) whose body is their text,
//! written as the template would have written it: every `{{ … }}` of the template that
//! their edit left alone stays a variable, everything they touched is their text. The
//! profile values they changed are the profile itself with those values replaced in
//! place (comments and layout kept), and a patch listing them.
//!
//! How the body is made: the clause is rendered with a marker around each expression's
//! output, so the rendered Markdown is known piece by piece (template text, or the
//! output of expression k). Our DOCX text of the clause is aligned character by
//! character with that Markdown (they differ by Markdown syntax and section numbers),
//! their word-level edits are carried over through that alignment, and an expression
//! an edit touches is replaced by its output before the edit applies. Whether the
//! result reproduces their text is checked by building the agreement with it.

use super::text::normalize;
use super::{Built, ClauseReview};
use crate::diag::Diagnostic;
use crate::library::{ClauseVersion, Layer};
use crate::profile::Profile;
use crate::project::Project;
use similar::{Algorithm, DiffOp, DiffTag, capture_diff_slices};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Marks the start of an expression's output; the next character is its index.
const START: char = '\u{F8F0}';
const END: char = '\u{F8F1}';
/// Expression `k` is `INDEX + k` (plane 15, private use).
const INDEX: u32 = 0xF0000;

/// One file of a proposal, relative to DIR.
pub struct File {
    pub path: PathBuf,
    pub text: String,
}

/// What `--propose` will write, and what does not reproduce their text.
pub struct Proposal {
    pub files: Vec<File>,
    pub warnings: Vec<Diagnostic>,
    /// Clause ids whose proposed text builds to exactly theirs.
    pub reproduced: Vec<String>,
}

pub fn propose(
    project: &mut Project,
    profile: &Profile,
    search: &super::values::Search,
    clauses: &[ClauseReview],
    theirs_file: &Path,
) -> Result<Proposal, crate::failure::Failure> {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let (overlay, profile_file) = super::proposal_names(profile);
    let current = search.profile.as_ref().unwrap_or(profile);
    let shown_theirs = theirs_file
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !search.changes.is_empty()
        && let Some(source) = &search.source
    {
        files.push(File {
            path: profile_file.clone(),
            text: source.clone(),
        });
        let mut patch = format!(
            "# Profile values {shown_theirs} changes (mou review). The file {} beside this one is the profile with them made.\n",
            profile_file.display()
        );
        for c in &search.changes {
            patch.push_str(&format!("# {}: {} -> {}\n", c.key, c.from, c.to));
        }
        patch.push_str(&patch_table(&search.changes));
        let stem = profile_file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(File {
            path: PathBuf::from(format!("{stem}.patch.toml")),
            text: patch,
        });
    }
    let library = &project.library;
    let engine = &mut project.engine;
    let plan = crate::resolve::plan(current, library).map_err(crate::diag::Diagnostics)?;
    // Whole articles removed or added are outline changes, not clause text: say what
    // accepting them takes.
    for c in clauses {
        let what = match c.status {
            "removed" => format!(
                "they deleted `{}` whole; to accept, add \"{}\" to `exclude` under [clauses] in the profile",
                c.id, c.id
            ),
            "added" => format!(
                "they added an article (\"{}\"); to accept, write it as a clause in the overlay and `insert` it under [clauses]",
                c.heading
            ),
            _ => continue,
        };
        warnings.push(Diagnostic::warning(
            crate::check::codes::W0851,
            theirs_file,
            what,
        ));
    }
    let mut made: Vec<(usize, ClauseVersion)> = Vec::new();
    for c in clauses.iter().filter(|c| c.status == "changed") {
        let Some(item) = plan.items.iter().find(|i| i.clause.id == c.id.as_str()) else {
            continue;
        };
        let clause = item.clause.clone();
        let built = search.built.as_ref();
        let ours_text = match built {
            Some(b) => b.section(c.section),
            None => Vec::new(),
        };
        let ours_text = if built.is_none() {
            let a = crate::assemble::assemble(current, library, engine)?;
            let date = crate::batch::source_date().or(current.raw.agreement.date);
            Built::new(a.document, date)
                .map_err(crate::failure::Failure::message)?
                .section(c.section)
        } else {
            ours_text
        };
        if ours_text.first() != c.theirs.first() {
            warnings.push(Diagnostic::warning(
                crate::check::codes::W0851,
                theirs_file,
                format!(
                    "they changed the heading of `{}` (\"{}\"); a clause's title is its front matter's, so the proposal keeps ours",
                    c.id,
                    c.theirs.first().map(String::as_str).unwrap_or("")
                ),
            ));
        }
        let body = match edited_body(engine, current, &plan, &clause, &ours_text, &c.theirs) {
            Ok(b) => b,
            Err(why) => {
                warnings.push(Diagnostic::warning(
                    crate::check::codes::W0851,
                    theirs_file,
                    format!("no overlay clause proposed for `{}`: {why}", c.id),
                ));
                continue;
            }
        };
        let version = next_version(library, profile, &clause);
        let mut rel = overlay.join(clause.id.as_str());
        if let Some(v) = &clause.variant {
            rel = rel.join(v);
        }
        rel = rel.join(format!("{version}.md"));
        let text = format!("{}{}", front_matter(&clause, &shown_theirs), body);
        let mut proposed = clause.clone();
        proposed.version = version;
        proposed.body = body;
        proposed.layer = Layer::Overlay("mou-review-proposal".into());
        proposed.path = rel.clone();
        files.push(File { path: rel, text });
        made.push((c.section, proposed));
    }
    // Build the agreement with every proposed clause: which reproduce their text?
    let mut reproduced = Vec::new();
    if !made.is_empty() {
        let diags = engine.add_overlays(made.iter().map(|(_, c)| c));
        warnings.extend(diags.into_iter().map(|mut d| {
            d.severity = crate::diag::Severity::Warning;
            d
        }));
        let mut plan = plan.clone();
        for item in &mut plan.items {
            if let Some((_, c)) = made.iter().find(|(_, c)| c.id == item.clause.id) {
                item.clause = c;
            }
        }
        let date = crate::batch::source_date().or(current.raw.agreement.date);
        let built = crate::assemble::assemble_plan(current, &plan, engine)
            .ok()
            .and_then(|a| Built::new(a.document, date).ok());
        for (section, c) in &made {
            let theirs = clauses
                .iter()
                .find(|x| x.section == *section)
                .map(|x| &x.theirs);
            let same = built
                .as_ref()
                .is_some_and(|b| Some(&b.section(*section)) == theirs);
            if same {
                reproduced.push(c.id.to_string());
            } else {
                warnings.push(Diagnostic::warning(
                    crate::check::codes::W0851,
                    theirs_file,
                    format!(
                        "the proposed `{}` does not build to exactly their text; compare it by hand",
                        c.id
                    ),
                ));
            }
        }
    }
    Ok(Proposal {
        files,
        warnings,
        reproduced,
    })
}

/// The patch as a TOML table: `[term]\ntermination_notice_days = 60`.
fn patch_table(changes: &[super::values::ValueChange]) -> String {
    let mut out = String::new();
    let mut last_table = String::new();
    for c in changes {
        // Arrays of tables are named by index: written as a dotted key comment-free.
        let (table, key) = match c.path.split_last() {
            Some((k, t)) => (super::values::key_name(t), k.clone()),
            None => continue,
        };
        if table.contains('[') || key.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!(
                "# {} = {} (an array entry: set it in the profile)\n",
                c.key, c.to
            ));
            continue;
        }
        if table != last_table {
            out.push_str(&format!("\n[{table}]\n"));
            last_table = table;
        }
        out.push_str(&format!("{key} = {}\n", c.to));
    }
    out
}

fn front_matter(clause: &ClauseVersion, theirs: &str) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let list = |v: &[String]| {
        format!(
            "[{}]",
            v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
        )
    };
    let changes = format!(
        "The other side's edits in {theirs}, taken as returned (mou review --propose), on {} {}.",
        clause.qualified_id(),
        clause.version
    );
    format!(
        "+++\ntitle = {}\nsummary = {}\ntags = {}\nstates = {}\nchanges = {}\n+++\n",
        q(&clause.front.title),
        q(&clause.front.summary),
        list(&clause.front.tags),
        list(&clause.front.states),
        q(&changes)
    )
}

/// The next patch version that neither the library nor the overlay folder has.
fn next_version(
    library: &crate::library::Library,
    profile: &Profile,
    clause: &ClauseVersion,
) -> semver::Version {
    let mut v = clause.version.clone();
    let dir =
        crate::library::stack::overlay_dir(&profile.path, profile.raw.clauses.local.as_deref());
    loop {
        v.patch += 1;
        v.pre = semver::Prerelease::EMPTY;
        let taken_lib = library
            .versions(clause.id.as_str())
            .iter()
            .any(|c| c.version == v && c.variant == clause.variant);
        let taken_dir = dir.as_ref().is_some_and(|d| {
            let mut p = d.join(clause.id.as_str());
            if let Some(var) = &clause.variant {
                p = p.join(var);
            }
            p.join(format!("{v}.md")).exists()
        });
        if !taken_lib && !taken_dir {
            return v;
        }
    }
}

/// The clause body that renders to `theirs` (the article's paragraphs, heading first)
/// where ours renders to `ours`.
fn edited_body(
    engine: &mut crate::template::Engine,
    profile: &Profile,
    plan: &crate::resolve::Plan<'_>,
    clause: &ClauseVersion,
    ours: &[String],
    theirs: &[String],
) -> Result<String, String> {
    let scan = crate::template::syntax::scan(&clause.body);
    if scan.error().is_some() {
        return Err("the template does not scan".into());
    }
    // The template with each expression's output marked.
    let mut marked = String::with_capacity(clause.body.len() + 64);
    let mut exprs: Vec<String> = Vec::new();
    let mut at = 0;
    for piece in scan.pieces() {
        let crate::template::syntax::Piece::Tag(tag) = piece else {
            continue;
        };
        if tag.kind != crate::template::syntax::TagKind::Expr {
            continue;
        }
        let k = exprs.len() as u32;
        let Some(idx) = char::from_u32(INDEX + k) else {
            break;
        };
        let src = &clause.body[tag.span.clone()];
        marked.push_str(&clause.body[at..tag.span.start]);
        let inner = src
            .trim_start_matches("{{")
            .trim_end_matches("}}")
            .trim_matches('-')
            .trim();
        exprs.push(format!("{{{{ {inner} }}}}"));
        let open = if tag.trim_before { "{{-" } else { "{{" };
        let close = if tag.trim_after { "-}}" } else { "}}" };
        marked.push_str(&format!(
            "{open} \"{START}{idx}\" }}}}{{{{ {inner} }}}}{{{{ \"{END}\" {close}"
        ));
        at = tag.span.end;
    }
    marked.push_str(&clause.body[at..]);
    let mut probe = clause.clone();
    probe.body = marked;
    probe.layer = Layer::Overlay("mou-review-marked".into());
    let diags = engine.add_overlays(std::iter::once(&probe));
    if diags.iter().any(Diagnostic::is_error) {
        return Err("the template with marks does not compile".into());
    }
    let (mut ctx, _) = crate::template::profile_context(profile);
    ctx.insert(
        crate::exhibits::EXHIBITS_KEY,
        &crate::exhibits::names(&plan.exhibits),
    );
    let numbering = profile.raw.agreement.numbering;
    let articles: std::collections::BTreeMap<String, String> = plan
        .items
        .iter()
        .filter_map(|i| {
            i.number
                .map(|n| (i.clause.id.to_string(), numbering.reference(n)))
        })
        .collect();
    let rendered = engine
        .render(&probe, &ctx, &articles)
        .map_err(|d| d.message)?;
    let roots: BTreeSet<String> = crate::template::context_json(profile)
        .keys()
        .cloned()
        .collect();
    let segs = segments(&rendered, exprs.len());
    // How often each expression printed: one kept in the overlay must print once.
    let mut printed = vec![0usize; exprs.len()];
    for s in &segs {
        if let Seg::Expr(k, _) = s {
            printed[*k] += 1;
        }
    }
    let keepable: Vec<bool> = (0..exprs.len())
        .map(|k| printed[k] == 1 && top_level(&exprs[k], &roots))
        .collect();
    // Plain characters of the rendered Markdown (M0) and who printed each.
    let mut m0: Vec<char> = Vec::new();
    let mut owner: Vec<Option<usize>> = Vec::new();
    for s in &segs {
        match s {
            Seg::Lit(t) => {
                for c in t.chars() {
                    m0.push(c);
                    owner.push(None);
                }
            }
            Seg::Expr(k, t) => {
                for c in t.chars() {
                    m0.push(c);
                    owner.push(Some(*k));
                }
            }
        }
    }
    // Our text and theirs, body only (the heading is the title's), paragraphs apart
    // as Markdown sets them.
    let body = |paras: &[String]| -> Vec<String> { paras.iter().skip(1).cloned().collect() };
    let (ours_b, theirs_b) = (body(ours), body(theirs));
    let ta = para_tokens(&ours_b);
    let tb = para_tokens(&theirs_b);
    let p: Vec<char> = ta.concat().chars().collect();
    // Edits in character positions of P: (start, end, replacement).
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &ta, &tb) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let start: usize = ta[..o.start].iter().map(|t| t.chars().count()).sum();
        let len: usize = ta[o.clone()].iter().map(|t| t.chars().count()).sum();
        edits.push((start, start + len, tb[n].concat()));
    }
    // P → M0 alignment, character by character.
    let mut p2m: Vec<Option<usize>> = vec![None; p.len()];
    let m0r: Vec<char> = m0.iter().map(|c| restored(*c)).collect();
    for op in capture_diff_slices(Algorithm::Myers, &p, &m0r) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for t in 0..len {
                p2m[old_index + t] = Some(new_index + t);
            }
        }
    }
    // An edit ends after the last character of ours it keeps before its end; it starts
    // at its first character if Markdown has it, else (a section number, which only
    // our DOCX prints) right after the character before, so text inserted ahead of a
    // heading goes ahead of its `###`.
    let map_end = |x: usize| {
        (0..x)
            .rev()
            .find_map(|j| p2m[j].map(|m| m + 1))
            .unwrap_or(0)
    };
    let map_start = |x: usize| match p2m.get(x).copied().flatten() {
        Some(m) => m,
        None if x >= p.len() => m0.len(),
        None => map_end(x),
    };
    let mut mapped: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|(s, e, r)| {
            let ms = map_start(*s);
            let me = if e == s { ms } else { map_end(*e).max(ms) };
            (ms, me, r.clone())
        })
        .collect();
    mapped.sort_by_key(|e| e.0);
    // Expressions an edit touches are baked into text.
    let mut baked = vec![false; exprs.len()];
    for (s, e, _) in &mapped {
        if s < e {
            for k in owner[*s..*e].iter().flatten() {
                baked[*k] = true;
            }
        } else if *s > 0
            && *s < owner.len()
            && let Some(k) = owner[*s - 1]
            && owner[*s] == Some(k)
        {
            baked[k] = true;
        }
    }
    // Write the body.
    let mut out = String::new();
    let mut i = 0;
    let mut next_edit = 0;
    let mut emitted_expr = vec![false; exprs.len()];
    while i <= m0.len() {
        if next_edit < mapped.len() && mapped[next_edit].0 == i {
            let (_, e, r) = &mapped[next_edit];
            let after_break = out.is_empty() || out.ends_with('\n');
            out.push_str(&markdown_text(r, after_break));
            // Expressions the edit removes whole are gone.
            for k in owner[i.min(*e)..*e].iter().flatten() {
                emitted_expr[*k] = true;
            }
            i = (*e).max(i);
            next_edit += 1;
            continue;
        }
        if i == m0.len() {
            break;
        }
        match owner[i] {
            None if restored(m0[i]) == m0[i] => out.push(m0[i]),
            Some(k) if keepable[k] && !baked[k] => {
                if !emitted_expr[k] {
                    out.push_str(&exprs[k]);
                    emitted_expr[k] = true;
                }
            }
            _ => out.push_str(&markdown_text(&restored(m0[i]).to_string(), false)),
        }
        i += 1;
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// A printed value's character as the profile wrote it (see `template::escape`).
fn restored(c: char) -> char {
    crate::template::escape::restore(c.encode_utf8(&mut [0; 4]))
        .chars()
        .next()
        .unwrap_or(c)
}

/// The tokens of [`super::text::tokens`] with paragraphs apart by a blank line.
fn para_tokens(paras: &[String]) -> Vec<&str> {
    super::text::tokens(paras)
        .into_iter()
        .map(|t| if t == "\n" { "\n\n" } else { t })
        .collect()
}

enum Seg {
    Lit(String),
    Expr(usize, String),
}

/// The rendered clause cut at the marks. A mark that names no expression (a profile
/// value or the template holding the mark characters themselves) is text.
fn segments(rendered: &str, exprs: usize) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut rest = rendered;
    while let Some(c) = rest.chars().next() {
        let mut chars = rest.chars();
        chars.next();
        let k = chars
            .next()
            .map(|i| (i as u32).wrapping_sub(INDEX) as usize)
            .filter(|k| *k < exprs);
        if c == START
            && let Some(k) = k
            && let Some(end) = chars.as_str().find(END)
        {
            let body = &chars.as_str()[..end];
            if !lit.is_empty() {
                out.push(Seg::Lit(std::mem::take(&mut lit)));
            }
            out.push(Seg::Expr(k, body.to_string()));
            rest = &chars.as_str()[end + END.len_utf8()..];
            continue;
        }
        lit.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !lit.is_empty() {
        out.push(Seg::Lit(lit));
    }
    out
}

/// Whether an expression reads only the profile's context (and functions): not a loop
/// variable or a `set` name, which mean nothing outside their block.
fn top_level(expr: &str, roots: &BTreeSet<String>) -> bool {
    let inner = expr.trim_start_matches("{{").trim_end_matches("}}");
    let scan = crate::template::syntax::scan(expr);
    let Some(crate::template::syntax::Piece::Tag(tag)) = scan.pieces().first() else {
        return false;
    };
    let _ = inner;
    let toks = &tag.tokens;
    for (i, t) in toks.iter().enumerate() {
        if t.kind != crate::template::syntax::Tok::Ident {
            continue;
        }
        let text = &expr[t.span.clone()];
        let prev = i.checked_sub(1).map(|j| &expr[toks[j].span.clone()]);
        let next = toks.get(i + 1).map(|n| &expr[n.span.clone()]);
        if matches!(prev, Some("." | "|" | "?.")) || matches!(next, Some("(" | "=")) {
            continue;
        }
        if matches!(
            text,
            "and" | "or" | "not" | "in" | "is" | "true" | "false" | "none" | "if" | "else"
        ) {
            continue;
        }
        if !roots.contains(text) {
            return false;
        }
    }
    true
}

/// Text from their DOCX as Markdown that prints it: markup characters escaped, and
/// template openers kept from reading as tags.
fn markdown_text(s: &str, at_line_start: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    let mut line_start = at_line_start;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' && matches!(chars.get(i + 1), Some('{' | '%' | '#')) {
            out.push_str("{{ \"{\" }}");
            i += 1;
            line_start = false;
            continue;
        }
        if line_start {
            // `1.` or `1)` opening a paragraph would start a list.
            let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0 && matches!(chars.get(i + digits), Some('.' | ')')) {
                out.extend(&chars[i..i + digits]);
                out.push('\\');
                out.push(chars[i + digits]);
                i += digits + 1;
                line_start = false;
                continue;
            }
            if matches!(c, '-' | '+' | '=') {
                out.push('\\');
            }
        }
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n';
        i += 1;
    }
    out
}

/// Whether `a` and `b` read the same once white space is collapsed.
pub fn same_text(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_escapes_what_would_be_markup() {
        assert_eq!(
            markdown_text("1. a *b* {{x}}", true),
            "1\\. a \\*b\\* {{ \"{\" }}{x}}"
        );
        assert_eq!(markdown_text("# no", false), "\\# no");
    }

    #[test]
    fn marks_split_outputs_and_stray_marks_are_text() {
        let segs = segments(
            "a\u{F8F0}\u{F0001}x\u{F8F1}b\u{F8F0}\u{F0009}y\u{F8F1}\u{F8F0}",
            2,
        );
        let shown: Vec<String> = segs
            .iter()
            .map(|s| match s {
                Seg::Lit(t) => format!("L{t}"),
                Seg::Expr(k, t) => format!("E{k}{t}"),
            })
            .collect();
        assert_eq!(shown, ["La", "E1x", "Lb\u{F8F0}\u{F0009}y\u{F8F1}\u{F8F0}"]);
    }

    #[test]
    fn expressions_of_loops_are_not_top_level() {
        let roots: BTreeSet<String> = ["term".to_string(), "agency".to_string()].into();
        assert!(top_level(
            "{{ term.termination_notice_days | spelled }}",
            &roots
        ));
        assert!(top_level(
            "{{ ref(id=\"notices\", or=\"this Agreement\") }}",
            &roots
        ));
        assert!(!top_level("{{ s.name }}", &roots));
    }
}
