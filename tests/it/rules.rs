//! Jurisdiction rules (issue #14): every state with a rules file starts from a
//! compliant agreement, each required tag is really needed (taking it away is an error
//! that cites the law), forbid, window and profile-value rules work, a state without
//! rules is warned about, and docs/rules.md's table is the rule files' own.

use crate::common::{self, mou, repo};
use mou::check::check_profile;
use mou::diag::Diagnostic;
use mou::library::Library;
use mou::project::{Project, ProjectOptions};
use std::path::{Path, PathBuf};

fn project() -> Project {
    let project = Project::open(&ProjectOptions::new(repo().join("clauses")));
    let errors: Vec<String> = project
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "library errors:\n{}", errors.join("\n"));
    project
}

/// The valid fixture for `state`, its dates moved from 2022-23 to 2026-27 when `late`
/// (so that rules in force from July 2026 apply).
fn profile_text(state: &str, late: bool) -> String {
    let text = common::valid().replace("state = \"CT\"", &format!("state = \"{state}\""));
    if late {
        text.replace("2022-", "2026-").replace("2023-", "2027-")
    } else {
        text
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn check(project: &Project, lib: &Library, path: &Path) -> Vec<Diagnostic> {
    let terms = mou::check::terms::library_terms(lib);
    check_profile(path, lib, &project.engine, &terms)
}

fn shown(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| format!("{} {}:{} {}", d.code, d.file.display(), d.line, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_covered_state_starts_compliant() {
    let project = project();
    let lib = &project.library;
    assert!(lib.rules.len() >= 20, "{} states", lib.rules.len());
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for state in lib.rules.keys() {
        for late in [false, true] {
            let name = format!(
                "{}-{}",
                state.to_lowercase(),
                if late { 2026 } else { 2022 }
            );
            let mut text = profile_text(state, late);
            // Where the state's law bars cross-indemnity, the profile chooses what it
            // allows (the default, "mutual", is a cross-indemnity).
            if lib.rules[state]
                .forbid
                .iter()
                .any(|r| r.profile == Some(mou::library::ProfileCheck::CrossIndemnity))
            {
                text = text.replace("[insurance]\n", "[insurance]\nindemnity = \"each-own\"\n");
                assert!(text.contains("each-own"), "{text}");
            }
            let path = write(tmp.path(), &name, &text);
            let diags = check(&project, lib, &path);
            let bad: Vec<Diagnostic> = diags
                .into_iter()
                .filter(|d| d.is_error() || d.code.starts_with("W06"))
                .collect();
            if !bad.is_empty() {
                failures.push(format!("{name}:\n{}", shown(&bad)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn each_required_tag_is_needed_and_its_absence_cites_the_law() {
    let project = project();
    let tmp = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (state, rules) in &project.library.rules {
        let path = write(
            tmp.path(),
            &state.to_lowercase(),
            &profile_text(state, true),
        );
        for rule in &rules.require {
            let Some(tag) = &rule.tag else { continue };
            let mut lib = project.library.clone();
            for c in lib.clauses.values_mut().flatten() {
                c.front.tags.retain(|t| t != tag);
            }
            let diags = check(&project, &lib, &path);
            let found = diags.iter().any(|d| {
                d.code == "E0601"
                    && d.message.contains(&rule.cite)
                    && d.message.contains(&format!("`{tag}`"))
                    && d.line == 2
            });
            if !found {
                failures.push(format!("{state} `{tag}`:\n{}", shown(&diags)));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked >= 50, "{checked} tag rules");
}

/// A scratch library: the project's, with a rules file for NV (a state without one).
fn with_nv_rules(project: &Project, text: &str) -> Library {
    let mut lib = project.library.clone();
    let (rules, diags) =
        mou::check::rule_file::parse(Path::new("clauses/rules/NV.toml"), "NV", text.to_string());
    assert!(diags.is_empty(), "{}", shown(&diags));
    lib.rules.insert("NV".into(), rules.unwrap());
    lib
}

const CITED: &str =
    "cite = \"Test Code § 1\"\nmessage = \"The law says so.\"\nconfidence = \"statute\"\n";

#[test]
fn a_state_without_rules_is_warned_about() {
    let project = project();
    let tmp = tempfile::tempdir().unwrap();
    let path = write(tmp.path(), "nv", &profile_text("NV", false));
    let diags = check(&project, &project.library, &path);
    let w = diags
        .iter()
        .find(|d| d.code == "W0604")
        .unwrap_or_else(|| panic!("{}", shown(&diags)));
    assert_eq!(
        w.message,
        "no jurisdiction rules for NV: its law is not checked"
    );
    assert_eq!(w.line, 2);
    assert!(!w.is_error());
    let lib = with_nv_rules(&project, &format!("[[require]]\ntag = \"duties\"\n{CITED}"));
    assert!(
        !check(&project, &lib, &path)
            .iter()
            .any(|d| d.code == "W0604")
    );
}

#[test]
fn forbidden_tags_are_errors_citing_the_law() {
    let project = project();
    let tmp = tempfile::tempdir().unwrap();
    let path = write(tmp.path(), "nv", &profile_text("NV", false));
    let lib = with_nv_rules(
        &project,
        &format!("[[forbid]]\ntag = \"indemnity\"\n{CITED}"),
    );
    let diags = check(&project, &lib, &path);
    let e = diags
        .iter()
        .find(|d| d.code == "E0607")
        .unwrap_or_else(|| panic!("{}", shown(&diags)));
    assert!(e.message.contains("Test Code § 1"), "{}", e.message);
    assert!(e.message.contains("clause `insurance`"), "{}", e.message);
    assert!(e.is_error());
    // Left out, the clause no longer offends.
    let without = profile_text("NV", false).replace(
        "include = [\"data-collection\"]",
        "include = [\"data-collection\"]\nexclude = [\"insurance\"]",
    );
    let path = write(tmp.path(), "nv-without", &without);
    let diags = check(&project, &lib, &path);
    assert!(
        !diags.iter().any(|d| d.code == "E0607"),
        "{}",
        shown(&diags)
    );
}

#[test]
fn rules_apply_only_inside_their_window() {
    let project = project();
    let tmp = tempfile::tempdir().unwrap();
    let early = write(tmp.path(), "nv-2022", &profile_text("NV", false));
    let late = write(tmp.path(), "nv-2026", &profile_text("NV", true));
    // `advisory-board` is carried by an optional clause the fixture does not include.
    let rule = |window: &str| format!("[[require]]\ntag = \"advisory-board\"\n{CITED}{window}");
    let met =
        |lib: &Library, path: &Path| !check(&project, lib, path).iter().any(|d| d.code == "E0601");
    let from_2025 = with_nv_rules(&project, &rule("since = 2025-01-01\n"));
    assert!(met(&from_2025, &early), "not yet in force in 2022");
    assert!(!met(&from_2025, &late), "in force in 2026");
    let until_2024 = with_nv_rules(&project, &rule("until = 2024-12-31\n"));
    assert!(!met(&until_2024, &early), "in force in 2022");
    assert!(met(&until_2024, &late), "no longer in force in 2026");
    // Both ends are inside the window; the term's start stands in for a missing date.
    let exact = with_nv_rules(&project, &rule("since = 2022-08-09\nuntil = 2022-08-09\n"));
    assert!(!met(&exact, &early));
    let undated = profile_text("NV", false).replace("date = 2022-08-09\n", "");
    let undated = write(tmp.path(), "nv-undated", &undated);
    assert!(!met(&exact, &undated));
    // Illinois: the MOU provisions bind from July 1, 2026 only.
    let il_2022 = write(
        tmp.path(),
        "il-2022",
        &profile_text("IL", false).replace("include = [\"data-collection\"]", "include = []"),
    );
    let il_2026 = write(
        tmp.path(),
        "il-2026",
        &profile_text("IL", true).replace("include = [\"data-collection\"]", "include = []"),
    );
    assert!(met(&project.library, &il_2022));
    let diags = check(&project, &project.library, &il_2026);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "E0601" && d.message.contains("105 ILCS 5/2-3.206")),
        "{}",
        shown(&diags)
    );
}

#[test]
fn profile_value_rules_point_at_the_value() {
    let project = project();
    let tmp = tempfile::tempdir().unwrap();
    let ok = write(tmp.path(), "ky", &profile_text("KY", false));
    let diags = check(&project, &project.library, &ok);
    assert!(
        !diags.iter().any(|d| d.code == "E0608"),
        "{}",
        shown(&diags)
    );
    let text = profile_text("KY", false).replace("officers = 2", "officers = 0");
    let line = text
        .lines()
        .position(|l| l == "officers = 0")
        .expect("the fixture's second school sets officers")
        + 1;
    let visiting = write(tmp.path(), "ky-visiting", &text);
    let diags = check(&project, &project.library, &visiting);
    let e = diags
        .iter()
        .find(|d| d.code == "E0608")
        .unwrap_or_else(|| panic!("{}", shown(&diags)));
    assert_eq!(e.line, line, "{}", shown(&diags));
    assert!(e.message.contains("KRS 158.4414"), "{}", e.message);
    assert!(e.message.contains("Conard High School"), "{}", e.message);
}

#[test]
fn rules_list_and_show() {
    let out = mou().args(["rules", "list"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() >= 20, "{text}");
    assert!(text.contains("Fla. Stat. § 1006.12(1)"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("IL ") && l.contains("statute")),
        "{text}"
    );
    let out = mou().args(["rules", "show", "il"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("IL: 5 rules"), "{text}");
    assert!(text.contains("source:     https://www.ilga.gov/"), "{text}");
    assert!(
        text.contains("applies to: agreements dated on or after 2026-07-01"),
        "{text}"
    );
    let ky = mou().args(["rules", "show", "KY"]).output().unwrap();
    let ky = String::from_utf8(ky.stdout).unwrap();
    assert!(
        ky.contains("requires profile check `every-school-has-officer`"),
        "{ky}"
    );
    let nv = mou().args(["rules", "show", "NV"]).output().unwrap();
    assert_eq!(nv.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&nv.stderr).contains("no jurisdiction rules for NV"),
        "{nv:?}"
    );
}

/// Every rule's source is a web address, and every rule file says at its top what its
/// rules rest on.
#[test]
fn rule_files_say_what_they_rest_on() {
    let project = project();
    for rules in project.library.rules.values() {
        assert!(
            rules.source.starts_with('#'),
            "{}: start with a comment on the law and its sources",
            rules.path.display()
        );
        for r in rules.require.iter().chain(&rules.forbid) {
            if let Some(s) = &r.source {
                assert!(s.starts_with("http"), "{}: {s}", rules.path.display());
            }
        }
    }
}

#[test]
fn docs_table_matches_the_rule_files() {
    let project = project();
    let table = mou::cmd::rules_table(&project.library);
    let doc = std::fs::read_to_string(repo().join("docs/rules.md")).unwrap();
    let start = "<!-- rules-table:start -->\n";
    let end = "<!-- rules-table:end -->";
    let from = doc.find(start).expect("start marker") + start.len();
    let to = doc.find(end).expect("end marker");
    assert!(
        doc[from..to] == table,
        "docs/rules.md is out of date; put this between the markers:\n{table}"
    );
}

/// The line of `text` that starts with `prefix` (1-based).
fn line_of(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}"))
        + 1
}

#[test]
fn forbidden_profile_conditions_are_errors_at_the_value() {
    let project = project();
    let lib = &project.library;
    let tmp = tempfile::tempdir().unwrap();
    // Florida: one public body may not indemnify another.
    let each_own = profile_text("FL", false)
        .replace("[insurance]\n", "[insurance]\nindemnity = \"each-own\"\n");
    let diags = check(&project, lib, &write(tmp.path(), "fl-own", &each_own));
    assert!(
        !diags.iter().any(|d| d.code == "E0607"),
        "{}",
        shown(&diags)
    );
    for indemnity in ["mutual", "agency", "school"] {
        let text = profile_text("FL", false).replace(
            "[insurance]\n",
            &format!("[insurance]\nindemnity = \"{indemnity}\"\n"),
        );
        let diags = check(&project, lib, &write(tmp.path(), indemnity, &text));
        let e = diags
            .iter()
            .find(|d| d.code == "E0607")
            .unwrap_or_else(|| panic!("{indemnity}: {}", shown(&diags)));
        assert!(
            e.message.contains("Fla. Stat. § 768.28(19)(a)"),
            "{}",
            e.message
        );
        assert!(e.message.contains(indemnity), "{}", e.message);
        assert_eq!(e.line, line_of(&text, "indemnity ="), "{}", shown(&diags));
    }
    // The same profile in a state without the rule is fine.
    let text =
        profile_text("CT", false).replace("[insurance]\n", "[insurance]\nindemnity = \"mutual\"\n");
    let diags = check(&project, lib, &write(tmp.path(), "ct", &text));
    assert!(
        !diags.iter().any(|d| d.code == "E0607"),
        "{}",
        shown(&diags)
    );

    // North Carolina: no agreement may rest on a collective bargaining agreement.
    let nc = profile_text("NC", false);
    let diags = check(&project, lib, &write(tmp.path(), "nc", &nc));
    assert!(!diags.iter().any(|d| d.is_error()), "{}", shown(&diags));
    let text = nc.replace(
        "[agency]\n",
        "[agency]\ncollective_bargaining = \"the FOP Lodge 12 contract\"\n",
    );
    let diags = check(&project, lib, &write(tmp.path(), "nc-cba", &text));
    let e = diags
        .iter()
        .find(|d| d.code == "E0607")
        .unwrap_or_else(|| panic!("{}", shown(&diags)));
    assert!(e.message.contains("G.S. § 95-98"), "{}", e.message);
    assert_eq!(
        e.line,
        line_of(&text, "collective_bargaining"),
        "{}",
        shown(&diags)
    );
}

#[test]
fn north_carolina_gets_its_interrogation_and_camera_texts() {
    let project = project();
    let lib = &project.library;
    let tmp = tempfile::tempdir().unwrap();
    let nc = profile_text("NC", false).replace(
        "include = [\"data-collection\"]",
        "include = [\"data-collection\", \"body-worn-camera\"]",
    );
    let diags = check(&project, lib, &write(tmp.path(), "nc", &nc));
    assert!(!diags.iter().any(|d| d.is_error()), "{}", shown(&diags));
    // Pinned to the general camera text, which routes requests as public records.
    let pinned = format!("{nc}versions = {{ body-worn-camera = \"=1.0.0\" }}\n");
    assert!(
        pinned.contains("[clauses]\ninclude"),
        "versions must land in [clauses]"
    );
    let diags = check(&project, lib, &write(tmp.path(), "nc-pinned", &pinned));
    let e = diags
        .iter()
        .find(|d| d.code == "E0607")
        .unwrap_or_else(|| panic!("{}", shown(&diags)));
    assert!(e.message.contains("G.S. § 132-1.4A(b)"), "{}", e.message);
    assert!(e.message.contains("body-worn-camera"), "{}", e.message);
    // Without the interrogation text, the 7B-2101 rule names its citation.
    let pinned = format!("{nc}versions = {{ interviews-searches = \"=1.0.0\" }}\n");
    let diags = check(
        &project,
        lib,
        &write(tmp.path(), "nc-old-interviews", &pinned),
    );
    assert!(
        diags
            .iter()
            .any(|d| d.code == "E0601" && d.message.contains("G.S. § 7B-2101")),
        "{}",
        shown(&diags)
    );
}
