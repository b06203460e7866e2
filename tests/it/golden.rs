//! Every byte of every example output, pinned: the sha256 of each file `mou build` and
//! `mou diff` write for the examples, in every format and both PDF standards. A
//! refactoring must leave this snapshot alone; a change meant to alter output updates it
//! (`cargo insta review`) and says why in its commit.

use crate::common;

use std::fmt::Write as _;
use std::path::Path;

/// `name  sha256` for every file in `dir`, sorted by name.
fn hashes(dir: &Path, into: &mut String) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let bytes = std::fs::read(dir.join(&name)).unwrap();
        writeln!(into, "{name}  {}", mou::hash::sha256_hex(&bytes)).unwrap();
    }
}

#[test]
fn example_outputs_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let mut listing = String::new();
    for (standard, sub) in [("ua1", "ua1"), ("a2b", "a2b")] {
        let out = tmp.path().join(sub);
        common::mou()
            .args(["build", "profiles", "-q", "-f", "md,pdf,docx", "-o"])
            .arg(&out)
            .args(["--pdf-standard", standard])
            .assert()
            .success();
        writeln!(
            listing,
            "# mou build profiles -f md,pdf,docx --pdf-standard {standard}"
        )
        .unwrap();
        hashes(&out, &mut listing);
    }
    let red = tmp.path().join("redline");
    std::fs::create_dir_all(&red).unwrap();
    for format in ["md", "pdf", "docx"] {
        common::mou()
            .args([
                "diff",
                "profiles/tehachapi-2017.toml",
                "profiles/tehachapi-2018.toml",
                "-f",
                format,
                "-o",
            ])
            .arg(red.join(format!("redline.{format}")))
            .assert()
            .success();
    }
    writeln!(listing, "# mou diff tehachapi-2017 tehachapi-2018").unwrap();
    hashes(&red, &mut listing);
    insta::assert_snapshot!(listing);
}
