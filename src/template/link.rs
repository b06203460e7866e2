//! Registering a library's clause templates with Tera (issue #19).
//!
//! Tera links templates (checks that every `{% include %}` and `{% extends %}` names a
//! template it has, finds include cycles, resolves block inheritance) each time
//! templates are added, over all templates it holds. Adding 10,000 clause versions one
//! at a time therefore linked 50 million times over, and a clause could include only
//! those added before it — those whose id sorts first. So the templates are added in
//! one batch, linked once; what would make the batch fail is found beforehand, each
//! problem in the clause it belongs to:
//!
//! 1. every body is read by the one scanner ([`super::syntax`]) and made ready for
//!    Tera ([`super::guard`]), which refuses what the loop meter cannot reach (E0216);
//! 2. the include graph (includes and extends, read by the scanner) is checked for
//!    cycles (E0220, at each clause's include tag, with the chain) and for chains
//!    deeper than [`MAX_INCLUDE_DEPTH`] (E0221);
//! 3. a clause that needs a clause with an error cannot be used either (E0211 at its
//!    include tag);
//! 4. the rest are added at once. Only if Tera still refuses the batch (a syntax error,
//!    an unknown function or an include of something outside the library) is each
//!    clause linked alone, in a scratch environment holding it, its parents and
//!    empty stand-ins for what it includes, to find which ones fail and why; the
//!    others are then added at once.
use crate::check::codes;

use super::guard::{self, Prepared};
use super::syntax::{Include, Use};
use super::{Engine, syntax_error_as_written, template_error};
use crate::diag::{Diagnostic, line_col};
use crate::library::{ClauseVersion, Library};
use std::collections::{HashMap, HashSet};

/// Most clauses one chain of includes (or extends) may pass through: Tera follows a
/// chain by recursion when it links and when it renders, so a long chain from a
/// library made elsewhere would exhaust the stack.
pub const MAX_INCLUDE_DEPTH: usize = 16;

/// A clause body ready to be added to Tera.
struct Candidate<'l> {
    clause: &'l ClauseVersion,
    name: String,
    uses: Vec<Use>,
    prepared: Prepared,
    includes: Vec<Include>,
    /// Indices of the candidates the includes name, in the order of `includes`
    /// (`None` for a name outside the library's usable templates).
    targets: Vec<Option<usize>>,
}

impl Candidate<'_> {
    /// Places `d` on `span` of the clause body, underlined, with the file's line.
    fn at(&self, d: Diagnostic, span: std::ops::Range<usize>) -> Diagnostic {
        let lines_before = self.clause.body_line.saturating_sub(1);
        let mut file = "\n".repeat(lines_before);
        file.push_str(&self.clause.body);
        d.at_span(&file, span.start + lines_before..span.end + lines_before)
    }

    /// The candidates this one needs, with the include that names each.
    fn needs(&self) -> impl Iterator<Item = (usize, &Include)> {
        self.targets
            .iter()
            .zip(&self.includes)
            .filter_map(|(t, inc)| t.map(|t| (t, inc)))
    }
}

/// Every clause template of `lib` (standard texts and variants), registered with
/// `engine` (see the module docs).
pub fn register(engine: &mut Engine, lib: &Library) -> Vec<Diagnostic> {
    register_clauses(engine, lib.all_versions())
}

/// `clauses`, registered with `engine` in one batch: a library, or the overlays of the
/// agreements of one command, added once over the library already registered (their
/// templates may include the library's).
pub fn register_clauses<'l>(
    engine: &mut Engine,
    clauses: impl Iterator<Item = &'l ClauseVersion>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut refused: HashSet<String> = HashSet::new();
    let mut cands: Vec<Candidate<'_>> = Vec::new();
    for clause in clauses {
        let scan = super::syntax::scan(&clause.body);
        let uses = scan.uses();
        match guard::prepare_scanned(&scan, &uses) {
            Ok(prepared) => cands.push(Candidate {
                clause,
                name: clause.template_name(),
                includes: scan.includes(),
                uses,
                prepared,
                targets: Vec::new(),
            }),
            Err(r) => {
                let (line, column) = line_col(&clause.body, r.offset);
                diags.push(
                    Diagnostic::error(codes::E0216, &clause.path, r.message)
                        .at(clause.body_line + line - 1, column),
                );
                refused.insert(clause.template_name());
            }
        }
    }
    let index: HashMap<String, usize> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), i))
        .collect();
    for c in &mut cands {
        c.targets = c
            .includes
            .iter()
            .map(|inc| index.get(&inc.name).copied())
            .collect();
    }
    let mut ok = vec![true; cands.len()];
    // An include of a refused clause: the includer cannot be used either.
    for (i, c) in cands.iter().enumerate() {
        if let Some(inc) = c.includes.iter().find(|inc| refused.contains(&inc.name)) {
            diags.push(needs_broken(c, inc));
            ok[i] = false;
        }
    }
    cycles(&cands, &mut ok, &mut diags);
    let order = dependencies_first(&cands);
    needs(&cands, &order, &mut ok, &mut diags);

    if add_all(engine, &cands, &ok).is_err() {
        // Which clauses does Tera refuse? Each alone, what it needs first.
        let base = engine.tera.clone();
        for &i in &order {
            if !ok[i] {
                continue;
            }
            if let Some((_, inc)) = cands[i].needs().find(|(j, _)| !ok[*j]) {
                diags.push(needs_broken(&cands[i], inc));
                ok[i] = false;
            } else if let Err(d) = link_alone(&base, &cands, i) {
                diags.push(d);
                ok[i] = false;
            }
        }
        if add_all(engine, &cands, &ok).is_err() {
            // Tera and the checks above disagree: add one at a time, what each needs
            // first, so that each refusal is reported in its own clause.
            for &i in &order {
                if !ok[i] {
                    continue;
                }
                let c = &cands[i];
                if let Err(e) = engine.tera.add_raw_template(&c.name, &c.prepared.source) {
                    diags.push(error_of(c, e));
                    ok[i] = false;
                }
            }
        }
    }
    for (c, ok) in cands.into_iter().zip(ok) {
        if ok && engine.tera.contains_template(&c.name) {
            engine.uses.insert(c.name.clone(), c.uses);
            engine.shifts.insert(c.name, c.prepared.shifts);
        }
    }
    diags
}

/// Adds every usable candidate in one batch, linked once.
fn add_all(engine: &mut Engine, cands: &[Candidate<'_>], ok: &[bool]) -> tera::TeraResult<()> {
    let batch = cands
        .iter()
        .zip(ok)
        .filter(|(_, ok)| **ok)
        .map(|(c, _)| (c.name.as_str(), c.prepared.source.as_str()));
    engine.tera.add_raw_templates(batch)
}

/// Links candidate `i` alone: with the templates it extends (as written, they were
/// linked alone before it) and an empty stand-in for each other library template it
/// includes, so that only its own problems show.
fn link_alone(base: &tera::Tera, cands: &[Candidate<'_>], i: usize) -> Result<(), Diagnostic> {
    let mut set: Vec<usize> = vec![i];
    let mut k = 0;
    while k < set.len() {
        for (j, inc) in cands[set[k]].needs() {
            if inc.kind == "extends" && !set.contains(&j) {
                set.push(j);
            }
        }
        k += 1;
    }
    let mut templates: Vec<(&str, &str)> = set
        .iter()
        .map(|&j| (cands[j].name.as_str(), cands[j].prepared.source.as_str()))
        .collect();
    for &j in &set {
        for (t, _) in cands[j].needs() {
            if !set.contains(&t) && !templates.iter().any(|(n, _)| *n == cands[t].name) {
                templates.push((cands[t].name.as_str(), ""));
            }
        }
    }
    let mut scratch = base.clone();
    scratch
        .add_raw_templates(templates)
        .map_err(|e| error_of(&cands[i], e))
}

/// Tera's refusal of a candidate, located in its clause file.
fn error_of(c: &Candidate<'_>, e: tera::Error) -> Diagnostic {
    if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
        // Scanned again: only a clause with an error needs its scan twice.
        let scan = super::syntax::scan(&c.clause.body);
        syntax_error_as_written(c.clause, &scan, e, &c.prepared)
    } else {
        template_error(c.clause, &e, Some(&c.prepared.shifts))
    }
}

/// E0211 at the include of a clause that has an error of its own.
fn needs_broken(c: &Candidate<'_>, inc: &Include) -> Diagnostic {
    c.at(
        Diagnostic::error(
            codes::E0211,
            &c.clause.path,
            format!(
                "clause `{}` {} `{}`, which has errors of its own; neither can be used",
                c.clause.id,
                if inc.kind == "extends" {
                    "extends"
                } else {
                    "includes"
                },
                inc.name
            ),
        )
        .with_help(format!(
            "fix `{}` first (its errors are reported in its file)",
            inc.name
        )),
        inc.tag.clone(),
    )
}

/// Candidates in an order where each comes after those it needs (edges that close a
/// cycle are ignored: cycles are reported by [`cycles`]). Iterative: a chain of any
/// length is walked without recursion.
fn dependencies_first(cands: &[Candidate<'_>]) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; cands.len()];
    let mut order = Vec::with_capacity(cands.len());
    for start in 0..cands.len() {
        if mark[start] != Mark::New {
            continue;
        }
        // (node, next edge to follow)
        let mut stack = vec![(start, 0usize)];
        mark[start] = Mark::Open;
        while let Some(&mut (node, ref mut edge)) = stack.last_mut() {
            let next = cands[node].targets.get(*edge).copied();
            *edge += 1;
            match next {
                Some(Some(t)) if mark[t] == Mark::New => {
                    mark[t] = Mark::Open;
                    stack.push((t, 0));
                }
                Some(_) => {}
                None => {
                    mark[node] = Mark::Done;
                    order.push(node);
                    stack.pop();
                }
            }
        }
    }
    order
}

/// In `order` (dependencies first): a candidate that needs one that cannot be used
/// cannot be used either (E0211 at its include), and one that starts a chain of
/// includes longer than [`MAX_INCLUDE_DEPTH`] is refused (E0221 at the include that
/// goes deepest).
fn needs(cands: &[Candidate<'_>], order: &[usize], ok: &mut [bool], diags: &mut Vec<Diagnostic>) {
    // Longest chain from each candidate down, itself included.
    let mut below = vec![1usize; cands.len()];
    for &i in order {
        if !ok[i] {
            continue;
        }
        let c = &cands[i];
        if let Some((_, inc)) = c.needs().find(|(j, _)| !ok[*j]) {
            diags.push(needs_broken(c, inc));
            ok[i] = false;
            continue;
        }
        let Some((deepest, inc)) = c
            .needs()
            .map(|(j, inc)| (below[j], inc))
            .max_by_key(|(d, _)| *d)
        else {
            continue;
        };
        below[i] = deepest + 1;
        if below[i] > MAX_INCLUDE_DEPTH {
            diags.push(c.at(
                Diagnostic::error(
                    codes::E0221,
                    &c.clause.path,
                    format!(
                        "clause `{}` starts a chain of {} clauses, each including the next (through `{}`); the limit is {MAX_INCLUDE_DEPTH}",
                        c.clause.id, below[i], inc.name
                    ),
                )
                .with_help("include what a clause needs from fewer levels down"),
                inc.tag.clone(),
            ));
            ok[i] = false;
        }
    }
}

/// Include cycles: every clause on one gets E0220 at the include that continues the
/// cycle, with the chain from it back to it.
fn cycles(cands: &[Candidate<'_>], ok: &mut [bool], diags: &mut Vec<Diagnostic>) {
    for component in strongly_connected(cands) {
        let cyclic =
            component.len() > 1 || cands[component[0]].targets.contains(&Some(component[0]));
        if !cyclic {
            continue;
        }
        let inside: HashSet<usize> = component.iter().copied().collect();
        let mut members = component.clone();
        members.sort_by(|a, b| cands[*a].name.cmp(&cands[*b].name));
        // Each member's place on a cycle already found: (cycle, position).
        let mut found: Vec<Vec<usize>> = Vec::new();
        let mut place: HashMap<usize, (usize, usize)> = HashMap::new();
        for &m in &members {
            let (cycle, pos) = match place.get(&m) {
                Some(&p) => p,
                None => {
                    let cycle = shortest_cycle(cands, m, &inside);
                    let id = found.len();
                    for (pos, &n) in cycle.iter().enumerate() {
                        place.entry(n).or_insert((id, pos));
                    }
                    found.push(cycle);
                    (id, 0)
                }
            };
            let cycle = &found[cycle];
            let next = cycle[(pos + 1) % cycle.len()];
            let c = &cands[m];
            let Some((_, inc)) = c.needs().find(|(t, _)| *t == next) else {
                continue;
            };
            let chain = chain_from(cands, cycle, pos);
            diags.push(c.at(
                Diagnostic::error(
                    codes::E0220,
                    &c.clause.path,
                    format!("include cycle: {chain}"),
                )
                .with_help(
                    "a clause cannot include itself, directly or through others: remove one of these includes",
                ),
                inc.tag.clone(),
            ));
            ok[m] = false;
        }
    }
}

/// `a → b → … → a`, starting at position `pos` of `cycle`; long cycles shortened.
fn chain_from(cands: &[Candidate<'_>], cycle: &[usize], pos: usize) -> String {
    let n = cycle.len();
    let name = |k: usize| cands[cycle[(pos + k) % n]].name.as_str();
    let mut names: Vec<String> = Vec::new();
    if n <= 8 {
        names.extend((0..n).map(|k| name(k).to_string()));
    } else {
        names.extend((0..3).map(|k| name(k).to_string()));
        names.push(format!("… {} more …", n - 5));
        names.extend((n - 2..n).map(|k| name(k).to_string()));
    }
    names.push(name(0).to_string());
    names.join(" → ")
}

/// The shortest cycle from `start` back to it, inside its component (breadth first).
fn shortest_cycle(cands: &[Candidate<'_>], start: usize, inside: &HashSet<usize>) -> Vec<usize> {
    let mut from: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for (t, _) in cands[node].needs() {
            if t == start {
                let mut path = vec![node];
                let mut at = node;
                while at != start {
                    at = from[&at];
                    path.push(at);
                }
                path.reverse();
                return path;
            }
            if inside.contains(&t) && !from.contains_key(&t) {
                from.insert(t, node);
                queue.push_back(t);
            }
        }
    }
    vec![start]
}

/// Strongly connected components of the include graph (Tarjan's algorithm, without
/// recursion).
fn strongly_connected(cands: &[Candidate<'_>]) -> Vec<Vec<usize>> {
    let n = cands.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            match cands[v].targets.get(*edge).copied() {
                Some(target) => {
                    *edge += 1;
                    let Some(w) = target else { continue };
                    if index[w] == usize::MAX {
                        index[w] = next;
                        low[w] = next;
                        next += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                }
                None => {
                    work.pop();
                    if let Some(&(parent, _)) = work.last() {
                        low[parent] = low[parent].min(low[v]);
                    }
                    if low[v] == index[v] {
                        let mut component = Vec::new();
                        while let Some(w) = stack.pop() {
                            on_stack[w] = false;
                            component.push(w);
                            if w == v {
                                break;
                            }
                        }
                        out.push(component);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(clauses: &[(&str, &str)]) -> Library {
        let mut lib = Library::default();
        for (id, body) in clauses {
            let clause = ClauseVersion::sample(id, "1.0.0", body);
            lib.clauses.insert(id.to_string(), vec![clause]);
        }
        lib
    }

    fn codes(diags: &[Diagnostic]) -> Vec<(&'static str, String, usize, usize)> {
        let mut out: Vec<_> = diags
            .iter()
            .map(|d| {
                let file = d.file.to_string_lossy().into_owned();
                (d.code, file, d.line, d.column)
            })
            .collect();
        out.sort();
        out
    }

    fn render(engine: &Engine, lib: &Library, id: &str) -> String {
        let ctx = tera::Context::new();
        engine
            .render(&lib.clauses[id][0], &ctx, &Default::default())
            .unwrap()
    }

    #[test]
    fn includes_and_extends_resolve_in_any_order() {
        let lib = library(&[
            ("a", "A[{% include \"z@1.0.0\" %}]"),
            ("m", "{% extends \"z@1.0.0\" %}{% block b %}M{% endblock %}"),
            ("z", "Z{% block b %}z{% endblock %}"),
        ]);
        let (engine, diags) = Engine::for_library(&lib);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(render(&engine, &lib, "a"), "A[Zz]");
        assert_eq!(render(&engine, &lib, "m"), "ZM");
    }

    #[test]
    fn cycles_are_reported_in_each_clause() {
        let lib = library(&[
            ("a", "x\n{% include \"b@1.0.0\" %}"),
            ("b", "{% include \"c@1.0.0\" %}"),
            ("c", "  {% include \"a@1.0.0\" %}"),
            ("d", "{% include \"d@1.0.0\" %}"),
            ("e", "{% include \"a@1.0.0\" %}"),
            ("f", "fine"),
        ]);
        let (engine, diags) = Engine::for_library(&lib);
        assert_eq!(
            codes(&diags),
            [
                ("E0211", "clauses/e/1.0.0.md".into(), 4, 1),
                ("E0220", "clauses/a/1.0.0.md".into(), 5, 1),
                ("E0220", "clauses/b/1.0.0.md".into(), 4, 1),
                ("E0220", "clauses/c/1.0.0.md".into(), 4, 3),
                ("E0220", "clauses/d/1.0.0.md".into(), 4, 1),
            ]
        );
        let message = |file: &str| {
            diags
                .iter()
                .find(|d| d.file == std::path::Path::new(file))
                .unwrap()
                .message
                .clone()
        };
        assert_eq!(
            message("clauses/b/1.0.0.md"),
            "include cycle: b@1.0.0 → c@1.0.0 → a@1.0.0 → b@1.0.0"
        );
        assert_eq!(
            message("clauses/d/1.0.0.md"),
            "include cycle: d@1.0.0 → d@1.0.0"
        );
        assert_eq!(render(&engine, &lib, "f"), "fine");
        assert!(!engine.has(&lib.clauses["a"][0]));
    }

    #[test]
    fn broken_clauses_are_found_and_the_rest_registered() {
        let lib = library(&[
            ("a", "{% include \"b@1.0.0\" %}"),
            ("b", "{{ x"),
            ("c", "{{ get_env(name=\"HOME\") }}"),
            ("d", "{% include \"/etc/passwd\" %}"),
            ("e", "{% include \"f@1.0.0\" %} and {{ 1 | nope }}"),
            ("f", "F"),
            ("g", "{% include \"f@1.0.0\" %}"),
        ]);
        let (engine, diags) = Engine::for_library(&lib);
        let found: Vec<(&str, String)> = codes(&diags)
            .into_iter()
            .map(|(c, f, _, _)| (c, f))
            .collect();
        assert_eq!(
            found,
            [
                ("E0210", "clauses/b/1.0.0.md".into()),
                ("E0211", "clauses/a/1.0.0.md".into()),
                ("E0211", "clauses/c/1.0.0.md".into()),
                ("E0211", "clauses/d/1.0.0.md".into()),
                ("E0211", "clauses/e/1.0.0.md".into()),
            ]
        );
        assert!(diags.iter().all(|d| d.line == 4), "{diags:#?}");
        assert_eq!(render(&engine, &lib, "g"), "F");
    }

    #[test]
    fn deep_chains_are_refused() {
        let ids: Vec<String> = (0..=MAX_INCLUDE_DEPTH)
            .map(|i| format!("c{i:02}"))
            .collect();
        let bodies: Vec<String> = (0..=MAX_INCLUDE_DEPTH)
            .map(|i| match ids.get(i + 1) {
                Some(next) => format!("{i}{{% include \"{next}@1.0.0\" %}}"),
                None => "end".to_string(),
            })
            .collect();
        let clauses: Vec<(&str, &str)> = ids
            .iter()
            .zip(&bodies)
            .map(|(i, b)| (i.as_str(), b.as_str()))
            .collect();
        let lib = library(&clauses);
        let (engine, diags) = Engine::for_library(&lib);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, "E0221");
        assert_eq!(diags[0].file, std::path::Path::new("clauses/c00/1.0.0.md"));
        assert!(render(&engine, &lib, "c01").ends_with("end"));
    }
}
