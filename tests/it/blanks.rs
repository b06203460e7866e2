//! Issue #18: one reading of template syntax, and values a profile leaves out found
//! from the typed context before rendering, never compared as stand-in numbers.
//! Each case replaces `notices/2.0.0.md` in a copy of the library.

use crate::common;

use common::{mou, repo, valid};
use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    _tmp: tempfile::TempDir,
    md: Option<String>,
}

/// Runs `mou ARGS` on a copy of the library whose notices clause is `body` (its body
/// starts on line 4) and the profile `profile`.
fn run(body: &str, profile: &str, args: &[&str]) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::copy_dir(&repo().join("clauses"), &root.join("clauses"));
    std::fs::write(
        root.join("clauses/notices/2.0.0.md"),
        format!("+++\ntitle = \"Notices\"\n+++\n{body}\n"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("profiles")).unwrap();
    std::fs::write(root.join("profiles/agreement.toml"), profile).unwrap();
    let out = mou()
        .current_dir(root)
        .args(args)
        .args(["--library", "clauses"])
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        md: std::fs::read_to_string(root.join("out/agreement.md")).ok(),
        _tmp: tmp,
    }
}

fn check(body: &str, profile: &str) -> (i32, Vec<Value>) {
    let r = run(
        body,
        profile,
        &["check", "profiles/agreement.toml", "--format", "json"],
    );
    let diags = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    (r.code, diags)
}

fn build(body: &str, profile: &str) -> Run {
    run(
        body,
        profile,
        &["build", "profiles/agreement.toml", "-f", "md", "-o", "out"],
    )
}

fn draft_without(key: &str) -> String {
    let text = valid().replace("status = \"final\"", "status = \"draft\"");
    let line = text
        .lines()
        .find(|l| l.starts_with(key))
        .unwrap_or_else(|| panic!("no {key}"));
    text.replace(&format!("{line}\n"), "")
}

/// Tera prints a raw block as text: no variable in it is checked (it was an E0212),
/// and its delimiters are the markers left in the agreement that they are (E0303).
#[test]
fn a_raw_block_is_text() {
    let (code, diags) = check("Notices.\n{% raw %}{{ term.strat }}{% endraw %}", &valid());
    assert_eq!(code, 1);
    assert!(!diags.iter().any(|d| d["code"] == "E0212"), "{diags:#?}");
    assert!(
        diags.iter().any(|d| d["code"] == "E0303"),
        "the braces are printed: {diags:#?}"
    );
}

/// A final profile that lacks a value a clause tests is refused, even though no
/// branch prints the value (the old stand-in number took the `else`). The error is the
/// profile's, at its `[funding]` table (issue #19), and names the test in the clause.
#[test]
fn a_final_profile_may_not_lack_a_tested_value() {
    let profile = valid().replace("annual_cost = 182000.00\n", "");
    let funding = profile.lines().position(|l| l == "[funding]").unwrap() + 1;
    let (code, diags) = check(
        "Notices.\n{% if funding.annual_cost > 0 %}Paid.{% else %}Free.{% endif %}",
        &profile,
    );
    assert_eq!(code, 1);
    let d = diags
        .iter()
        .find(|d| {
            d["code"] == "E0301"
                && d["message"].as_str().unwrap().starts_with(
                    "clause `notices` uses `funding.annual_cost`, which the final profile",
                )
        })
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d["file"], "profiles/agreement.toml", "{d}");
    assert_eq!(d["line"].as_u64(), Some(funding as u64), "{d}");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("clauses/notices/2.0.0.md:5:7"),
        "{d}"
    );
}

/// In a draft, a condition that reads a blank is false whatever it compares (`>`,
/// `==`, `!=`, through a loop variable or a `set` name alike), and says so.
#[test]
fn a_draft_condition_on_a_blank_is_false_and_warned() {
    let body = "Notices.\n\
        {% if funding.annual_cost > 0 %}Paid.{% else %}Free.{% endif %}\n\
        {% if funding.annual_cost != 0 %}Nonzero.{% else %}Unknown.{% endif %}\n\
        {% set c = funding.annual_cost %}{% if c == 0 %}Zero.{% else %}Unset.{% endif %}\n\
        {% for p in funding.schedule %}{% if p.amount >= 1 %}Big.{% endif %}{% endfor %}Done.";
    let r = build(body, &draft_without("annual_cost"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = r.md.expect("the draft is written");
    assert!(md.contains("Free."), "{md}");
    assert!(md.contains("Unknown."), "{md}");
    assert!(md.contains("Unset."), "{md}");
    for branch in ["Paid.", "Nonzero.", "Zero.", "Big."] {
        assert!(!md.contains(branch), "{branch} chosen on a blank: {md}");
    }
    assert!(
        r.stderr.contains(
            "warning[W0302]: draft profiles/agreement.toml leaves `funding.annual_cost` blank, \
             and clause `notices` tests it: the condition was taken as false"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("clauses/notices/2.0.0.md:5:7"),
        "{}",
        r.stderr
    );
    // The value the clause only prints stays a visible blank.
    assert!(md.contains("[__________]"), "{md}");
}

/// In a draft, computing with a blank outside a condition is an error before
/// rendering (the stand-in number used to print as a large negative amount).
#[test]
fn a_draft_may_not_compute_with_a_blank() {
    let r = build(
        "Notices.\nTwice the cost: {{ funding.annual_cost * 2 }}.",
        &draft_without("annual_cost"),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "error[E0305]: clause `notices` computes with `funding.annual_cost`, which the draft"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("clauses/notices/2.0.0.md:5:"),
        "{}",
        r.stderr
    );
    assert!(r.md.is_none());
}

/// A draft that only prints its blanks builds as before, without new warnings.
#[test]
fn a_draft_that_prints_blanks_is_unchanged() {
    let r = build(
        "Notices.\nCost: {{ funding.annual_cost | money }}; {{ funding.monthly_amount | money }}.",
        &draft_without("annual_cost"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("W0302") && !r.stderr.contains("E0305"));
    assert!(r.md.unwrap().contains("Cost: [__________]; [__________]."));
}
