//! `numbering = "decimal"` (SPEC §2): `1. PURPOSE` and `1.1`, references "Section 4",
//! in every format, read back by the programs users open them with.
use crate::common::{mou, valid};
use std::process::Command;

fn run(tool: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (scripts/deps.sh installs it): {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn decimal_numbering_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("decimal.toml");
    std::fs::write(
        &profile,
        valid().replace(
            "status = \"final\"",
            "status = \"final\"\nnumbering = \"decimal\"",
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let built = mou()
        .args(["build", "-f", "md,pdf,docx", "-o"])
        .arg(&out)
        .arg(&profile)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let md = std::fs::read_to_string(out.join("decimal.md")).unwrap();
    assert!(md.contains("\n## 1\\. PURPOSE AND PROGRAM GOALS\n"), "{md}");
    assert!(md.contains("\n### 3.1 Selection\n"), "{md}");
    assert!(
        md.contains("under Section\u{a0}"),
        "references name sections"
    );
    let pdf = run(
        "pdftotext",
        &[
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            out.join("decimal.pdf").as_os_str(),
            "-".as_ref(),
        ],
    );
    let docx = run(
        "pandoc",
        &[
            "-t".as_ref(),
            "plain".as_ref(),
            out.join("decimal.docx").as_os_str(),
        ],
    );
    // The DOCX numbers its headings with a decimal Word list, which pandoc does not
    // print; its references are the same words.
    // Its headings read as the PDF's, in the title's case.
    assert!(docx.contains("Term and Renewal") && regex_like_article_reference(&docx).is_none());
    let numbering = {
        let file = std::fs::File::open(out.join("decimal.docx")).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/numbering.xml").unwrap(), &mut s)
            .unwrap();
        s
    };
    assert!(numbering.contains("<w:numFmt w:val=\"decimal\"/><w:pStyle w:val=\"Heading1\"/><w:suff w:val=\"space\"/><w:lvlText w:val=\"%1.\"/>"));
    for (format, text) in [("md", &md), ("pdf", &pdf)] {
        assert!(
            !text.contains("ARTICLE I"),
            "{format} still has an ARTICLE heading"
        );
        let article_ref = regex_like_article_reference(text);
        assert!(article_ref.is_none(), "{format}: {article_ref:?}");
        assert!(
            text.replace("\\.", ".")
                .to_uppercase()
                .contains("2. TERM AND RENEWAL"),
            "{format}"
        );
    }
    assert!(pdf.contains("3.1 Selection") && docx.contains("Selection"));
}

/// "Article IV" and the like: a reference in the articles style.
fn regex_like_article_reference(text: &str) -> Option<String> {
    text.match_indices("Article ").find_map(|(i, _)| {
        let rest = &text[i + 8..];
        let numeral: String = rest.chars().take_while(|c| "IVXLC".contains(*c)).collect();
        (!numeral.is_empty()).then(|| format!("Article {numeral}"))
    })
}
