//! `extends`: parallel agreements of one district sharing a base profile (SPEC §2).
use crate::common::{mou, valid};
use std::path::Path;

/// The fixture split in two: the district's shared terms (`base.toml`) and one
/// agency's agreement that extends them.
fn split(dir: &Path) {
    let v = valid();
    let agency_start = v.find("[agency]").unwrap();
    let schools_start = v.find("[[schools]]").unwrap();
    let agreement = &v[..v.find("[school]").unwrap()];
    let school = &v[v.find("[school]").unwrap()..agency_start];
    let agency = &v[agency_start..schools_start];
    let rest = &v[schools_start..];
    std::fs::write(dir.join("base.toml"), format!("{school}{rest}")).unwrap();
    std::fs::write(
        dir.join("police.toml"),
        format!("extends = \"base.toml\"\n\n{agreement}{agency}"),
    )
    .unwrap();
}

fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = mou().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_profile_inherits_its_base_and_the_base_is_not_built_alone() {
    let dir = tempfile::tempdir().unwrap();
    split(dir.path());
    let out = dir.path().join("out");
    let (code, _, err) = run(&[
        "build".as_ref(),
        "-f".as_ref(),
        "md".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("built 1,"), "{err}");
    assert!(!out.join("base.md").exists());
    let md = std::fs::read_to_string(out.join("police.md")).unwrap();
    // From the base: the schools and the money; from the profile: the agency.
    assert!(
        md.contains("Conard High School") && md.contains("$127,400.00"),
        "{md}"
    );
    assert!(md.contains("West Hartford Police Department"));

    // The same text as the profile written out whole.
    std::fs::write(dir.path().join("whole.toml"), valid()).unwrap();
    let whole = dir.path().join("whole");
    let (code, _, err) = run(&[
        "build".as_ref(),
        "-f".as_ref(),
        "md".as_ref(),
        "-o".as_ref(),
        whole.as_os_str(),
        dir.path().join("whole.toml").as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    let whole_md = std::fs::read_to_string(whole.join("whole.md")).unwrap();
    assert_eq!(md, whole_md);
}

#[test]
fn an_error_in_a_base_value_points_at_the_base() {
    let dir = tempfile::tempdir().unwrap();
    split(dir.path());
    let base = dir.path().join("base.toml");
    let text = std::fs::read_to_string(&base)
        .unwrap()
        .replace("school_share_percent = 70", "school_share_percent = 170");
    std::fs::write(&base, &text).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("school_share_percent"))
        .unwrap()
        + 1;
    let (code, _, err) = run(&["check".as_ref(), dir.path().join("police.toml").as_os_str()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("E0131"), "{err}");
    assert!(err.contains(&format!("base.toml:{line}:24")), "{err}");

    // A key the profile itself overrides is located in the profile.
    let police = dir.path().join("police.toml");
    let mut own = std::fs::read_to_string(&police).unwrap();
    own.push_str("\n[funding]\nschool_share_percent = 150\n");
    std::fs::write(&police, &own).unwrap();
    let (_, _, err) = run(&["check".as_ref(), police.as_os_str()]);
    let own_line = own.lines().count();
    assert!(err.contains(&format!("police.toml:{own_line}:24")), "{err}");
}

#[test]
fn a_wrong_key_in_a_base_is_located_in_the_base() {
    let dir = tempfile::tempdir().unwrap();
    split(dir.path());
    let base = dir.path().join("base.toml");
    let text = std::fs::read_to_string(&base)
        .unwrap()
        .replace("months = 10", "monthz = 10");
    std::fs::write(&base, text).unwrap();
    let (code, _, err) = run(&["check".as_ref(), dir.path().join("police.toml").as_os_str()]);
    assert_eq!(code, 1);
    assert!(err.contains("E0103") && err.contains("base.toml:"), "{err}");
    assert!(err.contains("did you mean `months`"), "{err}");
}

#[test]
fn cycles_and_missing_bases_are_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    split(dir.path());
    let base = dir.path().join("base.toml");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(&base, format!("extends = \"police.toml\"\n{text}")).unwrap();
    let police = dir.path().join("police.toml");
    let (code, _, err) = run(&[
        "build".as_ref(),
        "-o".as_ref(),
        dir.path().join("o").as_os_str(),
        police.as_os_str(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("E0162") && err.contains("cycle"), "{err}");
    assert!(err.contains("base.toml:1:11"), "{err}");
    assert!(!dir.path().join("o").join("police.md").exists());

    std::fs::write(&base, &text).unwrap();
    let own = std::fs::read_to_string(&police)
        .unwrap()
        .replace("\"base.toml\"", "\"bsae.toml\"");
    std::fs::write(&police, own).unwrap();
    let (code, _, err) = run(&["check".as_ref(), police.as_os_str()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("E0161") && err.contains("police.toml:1:11"),
        "{err}"
    );
}

#[test]
fn overlapping_agreements_covering_one_school_are_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    split(dir.path());
    // A second agency's agreement on the same base: the same schools, the same term.
    let police = std::fs::read_to_string(dir.path().join("police.toml")).unwrap();
    std::fs::write(
        dir.path().join("sheriff.toml"),
        police
            .replace(
                "West Hartford Police Department",
                "Hartford County Sheriff's Office",
            )
            .replace("kind = \"police\"", "kind = \"sheriff\""),
    )
    .unwrap();
    let (code, _, err) = run(&["check".as_ref(), dir.path().as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("W0163") && err.contains("Hall High School"),
        "{err}"
    );
    assert!(err.contains("also covered by police"), "{err}");
}
