//! Every diagnostic code with a longer explanation, for `mou check --explain CODE`.

pub const CODES: &[(&str, &str, &str)] = &[
    (
        "E0001",
        "unreadable-file",
        "A profile or folder named on the command line could not be read: it does not exist, or permissions forbid it.",
    ),
    (
        "E0002",
        "profile-too-large",
        "Profiles over 1 MiB are refused before parsing. A real agreement profile is a few kilobytes; a larger one is almost certainly the wrong file.",
    ),
    (
        "E0003",
        "not-utf8",
        "Profiles and clause files must be UTF-8. The position points at the first byte that is not.",
    ),
    (
        "E0101",
        "toml-syntax",
        "The file is not valid TOML. Common causes: a missing closing quote, a bare word where a string is meant (`state = CT` instead of `state = \"CT\"`), or a key set twice.",
    ),
    (
        "E0102",
        "wrong-type",
        "A value has the wrong type: text where a number is expected, a date-time where a date is expected (`2022-08-09`, not `2022-08-09T10:00:00`), and so on.",
    ),
    (
        "E0103",
        "unknown-key",
        "A key is not part of the profile (or front matter) schema. Keys are fixed so that a typo such as `monhts` is caught instead of silently ignored; the help line suggests the closest valid key.",
    ),
    (
        "E0104",
        "invalid-value",
        "A value must be one of a fixed set (status, kind, level, renewal, indemnity, overtime, billing). The help line lists the valid values.",
    ),
    (
        "E0105",
        "missing-key",
        "A required key or table is missing: every profile needs [agreement] with state and status, [school], [agency] with kind, at least one [[schools]], [term], [funding] and [insurance].",
    ),
    (
        "E0110",
        "invalid-id",
        "Agreement ids (and outline names) become file names, so they are limited to lower-case letters, digits and '-'. Without `agreement.id` the id is the file name, which must then follow the same rule.",
    ),
    (
        "E0111",
        "invalid-state",
        "`agreement.state` is a two-letter upper-case postal code such as \"CT\"; it selects state clause variants and the rules in clauses/rules/<STATE>.toml.",
    ),
    (
        "E0112",
        "no-schools",
        "An agreement must list at least one school under [[schools]], each with a non-empty name.",
    ),
    (
        "E0113",
        "too-many-schools",
        "More than 1,000 schools is refused as a limit against runaway input.",
    ),
    (
        "E0114",
        "duplicate-school",
        "The same school is listed twice (names compared without case); the officers table would double-count it.",
    ),
    (
        "E0115",
        "duplicate-id",
        "Two profiles of one build have the same agreement id and would write the same output files. Both files are named; give one an explicit `agreement.id`.",
    ),
    (
        "E0116",
        "too-many-officers",
        "More than 1,000 officers at one school is refused as a limit against runaway input (and so that the agreement's total can never overflow). Example: `officers = 4000000000`. Fix: the number of officers assigned to that school.",
    ),
    (
        "E0117",
        "control-character",
        "Profile values are single lines of text. A line break (`\\n` in a TOML string, or a multi-line string) would add a line, a party or a signature block to the document; a control character such as `\\u0000` or `\\u001b` has no place in an agreement and breaks the XML inside PDF and DOCX files. Fix: write each line of an address as its own list entry, and remove the escape.",
    ),
    (
        "E0120",
        "term-order",
        "`term.end` must be after `term.start`, and a term may run at most 50 years (the limit the payment schedule is derived for).",
    ),
    (
        "E0121",
        "zero-notice",
        "A termination notice period of zero days is not a notice period.",
    ),
    (
        "E0130",
        "bad-amount",
        "Money is a non-negative number of US dollars below one trillion.",
    ),
    (
        "E0131",
        "bad-percent",
        "Percentages (school share, installment percents, annual increase) must be from 0 to 100.",
    ),
    (
        "E0132",
        "bad-months",
        "`funding.months` is the number of months of service billed per year: 1 to 12.",
    ),
    (
        "E0133",
        "billing-installments",
        "`billing = \"installments\"` needs an `installments` list, and an installments list needs that billing value.",
    ),
    (
        "E0134",
        "installment-order",
        "Installments must be listed in order of their due dates.",
    ),
    (
        "E0135",
        "installment-sum",
        "Installment percents must add up to exactly 100, so the schedule pays the school's whole share.",
    ),
    (
        "E0136",
        "aggregate-limit",
        "An insurance aggregate limit below the per-occurrence limit is impossible: the aggregate caps all occurrences together.",
    ),
    (
        "E0140",
        "bad-version-requirement",
        "Clause version requirements use Cargo's syntax: \"^2\", \"=1.0.0\", \">=1.1, <2\".",
    ),
    (
        "E0150",
        "unknown-outline",
        "`agreement.outline` names clauses/outlines/<name>.toml, which does not exist.",
    ),
    (
        "E0151",
        "clause-not-in-outline",
        "`[clauses] include`, `exclude` or `versions` names a clause the outline does not list. Only optional clauses of the outline can be included.",
    ),
    (
        "W0151",
        "include-not-optional",
        "An included clause is always part of the outline, so including it changes nothing.",
    ),
    (
        "E0152",
        "outline-missing-clause",
        "An outline lists a clause id for which the library has no files.",
    ),
    (
        "E0153",
        "no-version",
        "No version of a clause satisfies the profile's requirement and serves the profile's state. The help line lists the versions that exist, with their states.",
    ),
    (
        "E0160",
        "lock-file",
        "`mou build --locked` compares the clause versions it would choose with `mou.lock` (or `--lockfile`), and that file cannot be read, is not a valid lock file (the position points at the problem), or was written by a `mou` with another lock format. Fix: run `mou lock` to write it again, and commit it.",
    ),
    (
        "E0200",
        "no-library",
        "The clause library folder does not exist; pass --library DIR.",
    ),
    (
        "E0201",
        "front-matter-missing",
        "A clause file starts with a `+++` line, TOML front matter, and a closing `+++` line.",
    ),
    (
        "E0202",
        "front-matter-invalid",
        "The front matter is not valid TOML, a value has the wrong type, or a `states` entry is not \"*\" or a two-letter state.",
    ),
    (
        "E0203",
        "front-matter-unknown-key",
        "Front matter keys are title, summary, tags, states, changes, and optionally id and version.",
    ),
    (
        "E0204",
        "clause-id",
        "A clause folder name is not a valid id ([a-z0-9-]), or the front matter's `id` disagrees with the folder.",
    ),
    (
        "E0205",
        "clause-version",
        "A clause file name is not a semantic version (`1.2.0.md`), or the front matter's `version` disagrees with it.",
    ),
    (
        "E0206",
        "duplicate-version",
        "Two files define the same version of one clause.",
    ),
    (
        "E0207",
        "outline-duplicate",
        "An outline lists the same clause twice.",
    ),
    (
        "E0208",
        "file-too-large",
        "Clause, outline and rules files over 1 MiB are refused.",
    ),
    (
        "E0209",
        "unreadable-library-file",
        "A library file could not be read, a symbolic link loop was found (loops are reported, not followed), or a symbolic link points outside the library (not followed, so no file elsewhere is read or quoted).",
    ),
    (
        "E0210",
        "template-syntax",
        "A clause body is not a valid Tera template; the position is in the clause file.",
    ),
    (
        "E0211",
        "template-render",
        "A clause template failed while rendering for this profile: an undefined variable, a filter given the wrong kind of value, and so on.",
    ),
    (
        "E0212",
        "unknown-variable",
        "A clause template uses a variable path the profile schema does not have (for example `term.strat`). Checked for every branch, not only the branches this profile takes.",
    ),
    (
        "E0213",
        "clause-output-too-large",
        "A clause rendered to more than the output limit (1 MiB by default; `--max-clause-output BYTES` changes it). Rendering stops at the limit, so a runaway loop ends quickly instead of filling memory.",
    ),
    (
        "E0214",
        "loop-limit",
        "The loops of one clause ran more than 1,000,000 iterations in all (nested loops multiply). Every `{% for %}` is metered, so a loop nest that would spin for hours stops with this error.",
    ),
    (
        "E0215",
        "render-memory",
        "Rendering one clause took more than 64 MiB of memory (or 8 times the output limit, if that is larger), for example a value doubled again and again (`{% set s = s ~ s %}`). The run stops with exit code 1; outputs already written stay as they were.",
    ),
    (
        "E0216",
        "template-construct-refused",
        "Clause templates may not use list comprehensions (`[x for x in xs]`) or components: they could loop or recurse past the loop meter. Use `{% for %}` instead.",
    ),
    (
        "E0220",
        "include-cycle",
        "A clause includes itself, directly or through other clauses (`{% include %}` or `{% extends %}`), so it could never finish. Each clause on the cycle is reported at the include that continues it, with the chain, for example `include cycle: notices@2.0.0 → zz-extra@1.0.0 → notices@2.0.0`. Fix: remove one of the includes of the chain, or move the text both need into a third clause that includes neither.",
    ),
    (
        "E0221",
        "include-too-deep",
        "A chain of includes (`{% include %}` or `{% extends %}`, each clause including the next) passes through more than 16 clauses. Tera follows such a chain by recursion, so a longer one from a library made elsewhere could exhaust the stack. Example: `a@1.0.0` includes `b@1.0.0`, which includes `c@1.0.0`, and so on 17 levels down. Fix: include what a clause needs from fewer levels down.",
    ),
    (
        "E0301",
        "missing-value",
        "A final agreement uses a value the profile does not give. Found before rendering, for every branch of the clause, not only the branches this profile takes. Set it, or mark the profile status = \"draft\" to print a visible blank.",
    ),
    (
        "W0301",
        "draft-blank",
        "A draft leaves a value blank; it prints as [__________]. It must be filled before the agreement is final.",
    ),
    (
        "E0302",
        "markdown-structure",
        "The rendered clause contains Markdown that an agreement cannot hold: raw HTML, or a fenced block other than `signature`.",
    ),
    (
        "E0303",
        "leftover-markers",
        "Template markers ({{ }}, {% %}, {# #}) remain after rendering, usually from a value that itself contains them.",
    ),
    (
        "E0304",
        "dangling-reference",
        "`ref(id=...)` names a clause that is not a numbered article of this agreement (absent, excluded, or unnumbered).",
    ),
    (
        "W0302",
        "blank-tested",
        "A draft leaves out a value that the condition of an `{% if %}` or `{% elif %}` reads. No stand-in value is compared as if it were known: the condition is taken as false, whatever it compares, so the `else` text (if any) is printed, and this warning says that the text was chosen on a blank. Give the value, even a provisional one, to choose the clause's text.",
    ),
    (
        "E0305",
        "blank-computed",
        "A draft leaves out a value that a clause computes with outside an `{% if %}` condition: arithmetic, a comparison in `{{ }}` or `{% set %}`, a filter or function argument, an `is` test. Nothing can stand in for a blank, so the clause is not rendered. Give the value, even a provisional one (a draft may change it later). A blank may only be printed, where it shows as [__________], or tested by `{% if %}` (W0302).",
    ),
    (
        "E0401",
        "render-failed",
        "A writer (PDF, DOCX) could not produce the file.",
    ),
    (
        "E0402",
        "write-failed",
        "An output file could not be written; earlier outputs are left as they were.",
    ),
    (
        "W0501",
        "notice-period",
        "The termination notice is shorter than 7 days or longer than 180: legal, but rarely intended.",
    ),
    (
        "W0502",
        "overtime-payer",
        "The school pays the whole program but overtime is charged to the agency: check `funding.overtime`.",
    ),
    (
        "W0503",
        "low-insurance",
        "An insurance limit is below $1,000,000, under what most public-entity risk pools require.",
    ),
    (
        "W0504",
        "installment-outside-term",
        "An installment falls due before the term starts or after it ends.",
    ),
    (
        "E0601",
        "rule-not-met",
        "A rule of clauses/rules/<STATE>.toml requires a clause tag that no clause of this agreement has. The message cites the statute; the help line names a clause that carries the tag.",
    ),
    (
        "E0602",
        "rule-unsatisfiable",
        "A rule requires a tag that no clause serving that state has, so no agreement can meet it.",
    ),
    (
        "W0701",
        "term-defined-twice",
        "A defined term (\"the District\") is defined in more than one place.",
    ),
    (
        "W0702",
        "term-unused",
        "A term is defined but never used afterwards.",
    ),
    (
        "W0703",
        "term-undefined",
        "A capitalised term that the library defines elsewhere is used here, but this agreement never defines it (the defining clause may be excluded).",
    ),
];

pub fn explain(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(c, name, text)| format!("{c} {name}\n\n{text}\n"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_unique_and_explained() {
        let mut seen = std::collections::BTreeSet::new();
        for (code, _, _) in super::CODES {
            assert!(seen.insert(*code), "{code} twice");
        }
        assert!(super::explain("e0103").unwrap().contains("unknown-key"));
        assert!(super::explain("E9999").is_none());
    }
}
