//! `mou renew`: the next term's profile of every example keeps the original's
//! comments and layout, passes `mou check` as a draft, and differs from the original
//! agreement only in dates and prices.

use crate::common::{copy_dir, mou, repo};
use std::path::Path;

fn renew(profile: &Path, extra: &[&str]) -> String {
    let out = mou()
        .arg("renew")
        .arg(profile)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "mou renew {}: {}",
        profile.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A word of a date or an amount: a month, a number, an ordinal, a sum of money.
fn date_or_price(word: &str) -> bool {
    let w = word.trim_matches(|c: char| ",.;:()\"".contains(c));
    mou::date::MONTHS.contains(&w) || w.starts_with(|c: char| c.is_ascii_digit() || c == '$')
}

#[test]
fn each_example_renews_to_a_draft_that_checks_and_differs_only_in_dates_and_prices() {
    let dir = tempfile::tempdir().unwrap();
    let (old_dir, new_dir) = (dir.path().join("old"), dir.path().join("new"));
    copy_dir(&repo().join("profiles"), &old_dir);
    copy_dir(&repo().join("profiles"), &new_dir);
    let mut renewed = 0;
    for entry in std::fs::read_dir(&old_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let original = std::fs::read_to_string(&path).unwrap();
        let profile = mou::profile::Profile::from_file(&path).unwrap();
        if profile.raw.term.start.is_none() || profile.raw.term.end.is_none() {
            continue;
        }
        let text = renew(&path, &[]);
        let name = path.file_name().unwrap();
        let new_path = new_dir.join(name);
        std::fs::write(&new_path, &text).unwrap();
        renewed += 1;

        // Layout and comments kept: after the opening note, the same lines in the same
        // order, except the values renewed.
        let body = text.split_once("\n\n").unwrap().1;
        assert!(text.starts_with("# Renewed with `mou renew` from "));
        let (a, b): (Vec<&str>, Vec<&str>) = (original.lines().collect(), body.lines().collect());
        assert_eq!(a.len(), b.len(), "{}", path.display());
        for (x, y) in a.iter().zip(&b) {
            if x != y {
                let key = x.split('=').next().unwrap().trim();
                assert!(
                    [
                        "date",
                        "status",
                        "id",
                        "start",
                        "end",
                        "first_due",
                        "annual_cost",
                        "school_amount",
                        "per_officer_amount",
                        "estimated_annual_cost",
                        "years"
                    ]
                    .contains(&key)
                        || x.trim_start().starts_with("{ due ="),
                    "{}: {x:?} became {y:?}",
                    path.display()
                );
            }
        }
        let p = mou::profile::Profile::from_file(&new_path).unwrap();
        assert_eq!(p.status(), mou::profile::Status::Draft);
        // The next term follows the current one: at once, or (a term shorter than a
        // year) a year after it began.
        let (start, end) = (
            profile.raw.term.start.unwrap(),
            profile.raw.term.end.unwrap(),
        );
        let next = p.raw.term.start.unwrap();
        assert!(
            Some(next) == end.next_day() || Some(next) == start.add_months(12),
            "{}: {next}",
            path.display()
        );

        // It checks as a draft.
        let out = mou().arg("check").arg(&new_path).output().unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );

        // The redline of the two agreements changes dates and prices only.
        let out = mou()
            .arg("diff")
            .arg(&path)
            .arg(&new_path)
            .output()
            .unwrap();
        assert!(out.status.success());
        let md = String::from_utf8(out.stdout).unwrap();
        let mut changed = 0;
        for tag in ["ins", "del"] {
            for part in md.split(&format!("<{tag}>")).skip(1) {
                let inner = part.split(&format!("</{tag}>")).next().unwrap();
                for word in inner.split_whitespace() {
                    changed += 1;
                    assert!(
                        date_or_price(word),
                        "{}: the redline changes {word:?} in {inner:?}",
                        path.display()
                    );
                }
            }
        }
        assert!(changed > 0, "{}: the term's dates change", path.display());
    }
    assert!(renewed >= 12, "{renewed}");
}

#[test]
fn prices_follow_the_increase_or_the_yearly_amounts() {
    // Tacoma: 3% a year over three contract years (the last one partial).
    let text = renew(&repo().join("profiles/tacoma-2021.toml"), &[]);
    let want = (46_800_000f64 * 1.03f64.powi(3)).round() as i64;
    assert_eq!(want, 51_139_624);
    assert!(text.contains("annual_cost = 511396.24\n"), "{text}");
    assert!(text.contains("# - funding.annual_cost 468000.00 -> 511396.24: 3% a year"));
    // Bayshore lists no amounts past its term: each new year keeps the last one, said so.
    let text = renew(
        &repo().join("profiles/bayshore-2023.toml"),
        &["--years", "2"],
    );
    assert!(text.contains("years = [213310.85, 213310.85]\n"), "{text}");
    assert!(text.contains("end = 2028-07-31\n"));
    assert!(text.contains("change `years` to the negotiated prices"));
}

#[test]
fn renew_bad_input() {
    // A term without a start: nothing to renew by, a located error.
    let out = mou()
        .args(["renew", "profiles/kentucky-city-2025.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E0801") && err.contains("profiles/kentucky-city-2025.toml:41"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    let out = mou()
        .args(["renew", "profiles/tehachapi-2018.toml", "--years", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // -o writes the file whole; an unwritable target leaves nothing behind.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("tehachapi-2019.toml");
    let out = mou()
        .args(["renew", "profiles/tehachapi-2018.toml", "-q", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("id = \"tehachapi-2019\"") && text.contains("status = \"draft\""));
}
