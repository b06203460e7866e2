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
        "E0120",
        "term-order",
        "`term.end` must be after `term.start`.",
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
        "E0301",
        "missing-value",
        "A final agreement uses a value the profile does not give. Set it, or mark the profile status = \"draft\" to print a visible blank.",
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
        "E0305",
        "nesting-too-deep",
        "Lists and block quotes nest more than 32 levels deep in a rendered clause (a list in a list is two levels). Agreements nest three or four; text nested thousands of levels deep (a value of `> > > ...` or `- - - ...`) would exhaust the stack of every writer, so it is refused where it was written: the clause line, or the profile value that nests by itself.",
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
        "E0403",
        "unprintable-characters",
        "The PDF's embedded font (Liberation Serif) has no glyph for some characters of the agreement (Chinese, Japanese, Korean, Arabic, emoji…), or they are right-to-left text (Hebrew, Arabic) that the PDF would set reversed. Rather than print \"?\" in a name, the agreement is not written; the message lists the characters and where they are, and the position points at the profile value when it holds them. The Markdown and DOCX outputs keep such characters: build with -f md,docx, or write the value in Latin script.",
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
