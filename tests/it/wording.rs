//! The wording fixes of issue #12: each state by its full name, "the" only before a
//! name that takes it, a sheriff named as a sheriff, and no collective bargaining
//! agreement the profile does not name.

use crate::common;
use mou::project::{Project, ProjectOptions};

fn project() -> Project {
    Project::open(&ProjectOptions::new(common::repo().join("clauses")))
}

/// The agreement `tests/fixtures/valid.toml` makes after `edit`, as Markdown.
fn agreement(project: &Project, edit: impl Fn(String) -> String) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("p.toml");
    std::fs::write(&path, edit(common::valid())).unwrap();
    let a = project.assemble(&path).unwrap_or_else(|d| panic!("{d}"));
    mou::render::markdown::render(&a.document)
}

fn example(name: &str) -> String {
    mou::render::markdown::render(&common::example_document(name))
}

#[test]
fn states_by_their_full_names() {
    let p = project();
    for (code, name) in [
        ("FL", "State of Florida"),
        ("TX", "State of Texas"),
        ("VA", "Commonwealth of Virginia"),
        ("PA", "Commonwealth of Pennsylvania"),
        ("MA", "Commonwealth of Massachusetts"),
        ("DC", "District of Columbia"),
    ] {
        let text = agreement(&p, |t| {
            t.replace("state = \"CT\"", &format!("state = \"{code}\""))
        });
        assert!(
            text.contains(&format!("under the laws of the {name}, charged")),
            "{code}"
        );
        assert!(
            text.contains(&format!(
                "interpreted under, the laws of the {name}, without"
            )),
            "{code}"
        );
        assert!(!text.contains(&format!("State of {code}")), "{code}");
    }
    assert!(
        example("kentucky-city-2025.toml").contains("the laws of the Commonwealth of Kentucky")
    );
}

#[test]
fn no_article_before_a_name_that_takes_none() {
    let text = agreement(&project(), |t| {
        t.replace("Town of West Hartford", "Mayfield Village")
            .replace("state = \"CT\"", "state = \"OH\"")
    });
    assert!(
        text.contains("the police department of Mayfield Village."),
        "{text}"
    );
    assert!(text.contains("a law enforcement agency of Mayfield Village,"));
    assert!(!text.contains("the Mayfield Village"));
    // The v1 "City of" / "Town of" forms keep theirs.
    assert!(
        example("west-hartford-2022.toml")
            .contains("the police department of the Town of West Hartford")
    );
}

#[test]
fn a_sheriff_is_named_as_a_sheriff() {
    let text = example("guilford-sheriff-2024.toml");
    for wrong in [
        "police vehicle",
        "Sheriff of the Sheriff",
        "law enforcement agency of",
        "police department of",
        "and of Guilford County",
    ] {
        assert!(
            !text.contains(wrong),
            "`{wrong}` in the sheriff's agreement"
        );
    }
    for right in [
        "the office of the Sheriff of Guilford County",
        "whose sworn deputies",
        "law enforcement vehicle",
        "When a position is to be filled, the Sheriff, or a designee,",
        "an employee of the Sheriff, and is not",
    ] {
        assert!(text.contains(right), "`{right}` missing");
    }
    // A police department keeps its police vehicle.
    assert!(example("tacoma-2021.toml").contains("police vehicle"));
}

#[test]
fn a_collective_bargaining_agreement_only_when_named() {
    for name in [
        "cathedral-city-2021.toml",
        "guilford-sheriff-2024.toml",
        "kentucky-city-2025.toml",
        "la-porte-2024.toml",
        "palm-springs-2021.toml",
        "tacoma-2021.toml",
        "tehachapi-2017.toml",
        "tehachapi-2018.toml",
        "west-hartford-2022.toml",
    ] {
        assert!(
            !example(name)
                .to_lowercase()
                .contains("collective bargaining"),
            "{name}"
        );
    }
    let text = agreement(&project(), |t| {
        t.replace(
            "kind = \"police\"",
            "kind = \"police\"\ncollective_bargaining = \"West Hartford Police Union, AFSCME Local 1029\"",
        )
    });
    let named =
        "the collective bargaining agreement with West Hartford Police Union, AFSCME Local 1029";
    assert_eq!(text.matches(named).count(), 3, "{text}");
}

#[test]
fn an_entity_acting_through_its_department_and_its_signers() {
    let text = example("la-porte-2024.toml");
    assert!(text.contains(
        "between La Porte Independent School District (\"the District\") and the City of La Porte, acting through the La Porte Police Department (\"the City\")."
    ));
    assert!(text.contains("**ATTEST:**\\\nCity of La Porte"));
    assert!(text.contains("**APPROVED AS TO FORM:**\\\nCity of La Porte"));
    assert!(text.contains("notice of non-renewal at least ninety (90) days"));
    let nc = example("guilford-sheriff-2024.toml");
    assert!(nc.contains(
        "This instrument has been preaudited in the manner required by the Local Government Budget and Fiscal Control Act (G.S. 159-28)."
    ));
    assert!(nc.contains(
        "This instrument has been preaudited in the manner required by the School Budget and Fiscal Control Act (G.S. 115C-441)."
    ));
    assert!(nc.contains(
        "The Board may extend this Agreement for up to two (2) further periods of one (1) year each"
    ));
    assert!(nc.contains("The parties ratify and confirm everything done"));
}

#[test]
fn each_party_for_its_own_acts_or_no_indemnity_at_all() {
    let p = project();
    let with = |indemnity: &str| {
        agreement(&p, |t| {
            t.replace(
                "[insurance]\n",
                &format!("[insurance]\nindemnity = \"{indemnity}\"\n"),
            )
            .replace(
                "[clauses]\n",
                "[clauses]\nversions = { insurance = \"^2\" }\n",
            )
        })
    };
    let own = with("each-own");
    assert!(own.contains(". Responsibility for own acts\n"));
    assert!(own.contains("Neither party will indemnify, defend or hold harmless the other"));
    assert!(own.contains("governmental immunity"));
    assert!(!own.contains(". Indemnification\n"));
    assert!(!own.contains("insurance and indemnification"));
    let none = with("none");
    assert!(!none.contains("ndemnif"), "{none}");
    assert!(none.contains(". Required coverage\n"));
    let mutual = with("mutual");
    assert!(mutual.contains(". Indemnification\n"));
    assert!(mutual.contains("insurance and indemnification"));
}

#[test]
fn three_parties_are_never_spoken_of_as_two() {
    // guilford-sheriff-2024: the Board, the Sheriff and the County that funds him.
    let three = example("guilford-sheriff-2024.toml").to_lowercase();
    for two in [
        "either party",
        "neither party",
        "both parties",
        "the other party ",
    ] {
        assert!(!three.contains(two), "{two:?} in a three-party agreement");
    }
    assert!(three.contains("any party may terminate this agreement"));
    assert!(three.contains("without the prior written consent of the other parties"));
    // Two parties keep the words that fit two.
    let two = example("west-hartford-2022.toml").to_lowercase();
    assert!(two.contains("either party"), "two-party wording changed");
}
