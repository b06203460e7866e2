//! The money examples built end to end: each hand-computed figure (worked out from the
//! profile's lines, in the comments) must appear in the agreement as built, and no
//! partial term may be called a year.

use crate::common;

use std::path::Path;

fn built(dir: &Path, id: &str) -> String {
    std::fs::read_to_string(dir.join(format!("{id}.md"))).unwrap()
}

fn contains_all(text: &str, id: &str, wanted: &[&str]) {
    let missing: Vec<&&str> = wanted.iter().filter(|w| !text.contains(**w)).collect();
    assert!(missing.is_empty(), "{id}: missing {missing:#?}");
}

#[test]
fn money_examples_print_the_hand_computed_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut cmd = common::mou();
    cmd.args(["build", "-q", "-f", "md", "-o"]).arg(&out);
    for id in [
        "ashgrove-fixed-2026",
        "cedar-valley-2024",
        "harbor-city-spring-2026",
        "bayshore-2023",
        "pinecrest-county-2024",
    ] {
        cmd.arg(format!("profiles/{id}.toml"));
    }
    cmd.assert().success();

    // (a) A fixed $48,500.00 for the term, two installments of 50%: $24,250.00 each.
    contains_all(
        &built(&out, "ashgrove-fixed-2026"),
        "ashgrove-fixed-2026",
        &[
            "a fixed sum of $48,500.00 for the Term",
            "| 1st | November 1, 2026 | $24,250.00 |",
            "| 2nd | May 1, 2027 | $24,250.00 |",
            "at the rate of $52.50 per hour",
        ],
    );

    // (b) Two funded posts (the middle school post is the agency's alone):
    // 2 x $36,910.00 = $73,820.00; stipends 2 x $2,000.00 = $4,000.00; in all
    // $77,820.00 over ten monthly payments of $7,782.00. Overtime shared 50/50.
    let cedar = built(&out, "cedar-valley-2024");
    contains_all(
        &cedar,
        "cedar-valley-2024",
        &[
            "$36,910.00 for each officer post that it funds under Article V for the Term.",
            "The District funds two (2) posts, so the amount payable is $73,820.00 for the Term",
            "a stipend of $2,000.00 for each officer post that it funds, for the Term, which is $4,000.00",
            "| 1st | August 15, 2024 to September 14, 2024 | August 15, 2024 | $7,782.00 |",
            "| 10th | May 15, 2025 to June 14, 2025 | May 15, 2025 | $7,782.00 |",
            "will pay fifty percent (50%) of the cost of the overtime worked, calculated at the rate of $68.00 per hour",
            "the District will pay $45.00 per hour for each officer",
            "two (2) supervising officers, of the rank of sergeant or above",
            "The Department bears the whole cost of the post at Cedar Valley Middle School",
            "may withdraw the officer assigned to Cedar Valley Middle School",
            "| D.A.R.E. Officer | 1 | 724 hours a year | Baker 6th Grade Campus |",
            "The regular workweek of each officer is forty (40) hours, and the officer's duty day is 7:15 a.m. to 3:45 p.m. on school days.",
        ],
    );
    assert_eq!(cedar.matches("| $7,782.00 |").count(), 10);
    // No collective bargaining agreement is named in the money (none is in the profile).
    let funding = &cedar[cedar.find("FUNDING AND INVOICING").unwrap()..];
    let funding = &funding[..funding.find("\n## ").unwrap()];
    assert!(!funding.contains("collective bargaining"), "{funding}");

    // (c) Five months, January 5 to May 29, 2026: $30,000.00 for the term in five
    // monthly payments of $6,000.00; never called a year.
    let harbor = built(&out, "harbor-city-spring-2026");
    contains_all(
        &harbor,
        "harbor-city-spring-2026",
        &[
            "a fixed sum of $30,000.00 for the Term",
            "five (5) months of service in the Term",
            "| 1st | January 5, 2026 to February 4, 2026 | January 5, 2026 | $6,000.00 |",
            "| 5th | May 5, 2026 to May 29, 2026 | May 5, 2026 | $6,000.00 |",
        ],
    );
    assert_eq!(harbor.matches("| $6,000.00 |").count(), 5);
    assert!(
        !harbor.contains("full year"),
        "the five-month term is called a year"
    );
    let funding = &harbor[harbor.find("FUNDING AND INVOICING").unwrap()..];
    let funding = &funding[..funding.find("\n## ").unwrap()];
    for year in ["each year", "contract year", "annual"] {
        assert!(
            !funding.contains(year),
            "the five-month term is called {year:?}"
        );
    }

    // (d) Listed yearly amounts, each split over two semesters: 207,078.08 / 2 =
    // 103,539.04; 210,128.24 / 2 = 105,064.12; 213,310.85 / 2 = 106,655.425, paid
    // as 106,655.43 then 106,655.42 so the year adds up to the cent.
    contains_all(
        &built(&out, "bayshore-2023"),
        "bayshore-2023",
        &[
            "| 1st | August 1, 2023 to July 31, 2024 | $207,078.08 |",
            "| 2nd | August 1, 2024 to July 31, 2025 | $210,128.24 |",
            "| 3rd | August 1, 2025 to July 31, 2026 | $213,310.85 |",
            "| 1st | August 1, 2023 to January 31, 2024 | August 1, 2023 | $103,539.04 |",
            "| 4th | February 1, 2025 to July 31, 2025 | February 1, 2025 | $105,064.12 |",
            "| 5th | August 1, 2025 to January 31, 2026 | August 1, 2025 | $106,655.43 |",
            "| 6th | February 1, 2026 to July 31, 2026 | February 1, 2026 | $106,655.42 |",
            "of the rank of lieutenant or above",
        ],
    );

    // (e) Quarters invoiced the day after they end, paid within 45 days: October 1 +
    // 45 = November 15, 2024; January 1 + 45 = February 15, 2025; April 1 + 45 =
    // May 16, 2025; July 1 + 45 = August 15, 2025. Capped at $1,500,000.00.
    contains_all(
        &built(&out, "pinecrest-county-2024"),
        "pinecrest-county-2024",
        &[
            "| 1st | July 1, 2024 to September 30, 2024 | November 15, 2024 |",
            "| 2nd | October 1, 2024 to December 31, 2024 | February 15, 2025 |",
            "| 3rd | January 1, 2025 to March 31, 2025 | May 16, 2025 |",
            "| 4th | April 1, 2025 to June 30, 2025 | August 15, 2025 |",
            "will not exceed $1,500,000.00 for the Term",
            "estimate the Actual Cost of the Term at $1,420,000.00",
            "within forty-five (45) days after receiving it",
            "due quarterly, in arrears,",
        ],
    );
}

/// `tests/fixtures/valid.toml` with its `[funding]` table replaced.
fn with_funding(dir: &Path, name: &str, funding: &str) -> std::path::PathBuf {
    let valid = common::valid();
    let start = valid.find("[funding]").unwrap();
    let end = valid.find("[insurance]").unwrap();
    let text = format!(
        "{}[funding]\n{funding}\n\n{}",
        &valid[..start],
        &valid[end..]
    );
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn equal_down_installments_say_what_is_not_owed() {
    let tmp = tempfile::tempdir().unwrap();
    let dues: Vec<String> = (0..10)
        .map(|k| {
            let (y, m) = if k < 4 { (2022, 9 + k) } else { (2023, k - 3) };
            format!("{{ due = {y}-{m:02}-01, percent = 10 }}")
        })
        .collect();
    let profile = with_funding(
        tmp.path(),
        "equal-down",
        &format!(
            "model = \"fixed\"\nschool_amount = 12345.67\nmonths = 10\nbilling = \"installments\"\ninstallment_rounding = \"equal-down\"\npayee = \"West Hartford Police Department\"\ninstallments = [{}]",
            dues.join(", ")
        ),
    );
    let out = tmp.path().join("out");
    common::mou()
        .args(["build", "-q", "-f", "md", "-o"])
        .arg(&out)
        .arg(&profile)
        .assert()
        .success();
    let md = built(&out, "equal-down");
    // 10% of $12,345.67 = $1,234.567, rounded down: $1,234.56; ten of them fall
    // seven cents short. The payee, named by its full name, prints as its short name.
    assert_eq!(md.matches("| $1,234.56 |").count(), 10, "{md}");
    contains_all(
        &md,
        "equal-down",
        &[
            "will pay the Department a fixed sum of $12,345.67 for the Term",
            "the payments fall short of the amount owed by $0.07 in all",
            "The difference is not owed",
        ],
    );
}

#[test]
fn a_final_profile_must_give_its_models_amount() {
    let tmp = tempfile::tempdir().unwrap();
    let profile = with_funding(
        tmp.path(),
        "fixed-missing",
        "model = \"fixed\"\nmonths = 10\nbilling = \"annual\"",
    );
    let out = common::mou()
        .args(["build", "-q", "-f", "md", "-o"])
        .arg(tmp.path().join("out"))
        .arg(&profile)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[E0301]") && err.contains("`funding.school_amount`"),
        "{err}"
    );
    // A value of another model is not asked for: no annual cost, no share.
    assert!(!err.contains("funding.annual_cost"), "{err}");
    assert!(!tmp.path().join("out/fixed-missing.md").exists());
}

/// The short outline's funding text states each pricing model in its own terms: a
/// fixed sum, a sum per officer with stipends, a share of the actual cost with its cap.
#[test]
fn the_short_outline_states_every_pricing_model() {
    let project = mou::project::Project::open(&mou::project::ProjectOptions::new(
        common::repo().join("clauses"),
    ));
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str]); 3] = [
        (
            "ashgrove-fixed-2026",
            &[
                "a fixed sum of $48,500.00 for the Term",
                "| 2nd | May 1, 2027 | $24,250.00 |",
            ],
        ),
        (
            "cedar-valley-2024",
            &[
                "$36,910.00 for each officer post that it funds, two (2) posts in all, which is $73,820.00",
                "stipend of $2,000.00 for each officer post that it funds, which is $4,000.00",
                "| 10th | May 15, 2025 | $7,782.00 |",
            ],
        ),
        (
            "pinecrest-county-2024",
            &[
                "one hundred percent (100%) of the actual cost",
                "will not exceed $1,500,000.00 for the Term",
                "payable within forty-five (45) days",
            ],
        ),
    ];
    for (id, wanted) in cases {
        let text = std::fs::read_to_string(common::repo().join(format!("profiles/{id}.toml")))
            .unwrap()
            .replace("outline = \"mou\"", "outline = \"mou-short\"")
            .replace("status = \"final\"", "status = \"draft\"");
        // The short outline has no optional articles to include.
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("include = "))
            .map(|l| format!("{l}\n"))
            .collect();
        let path = tmp.path().join(format!("{id}.toml"));
        std::fs::write(&path, text).unwrap();
        let a = project
            .assemble(&path)
            .unwrap_or_else(|d| panic!("{id}: {d}"));
        let md = mou::render::markdown::render(&a.document);
        contains_all(&md, id, wanted);
    }
}
