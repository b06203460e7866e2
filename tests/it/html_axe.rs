//! The HTML in a real browser (issue #17): axe-core, run by headless Chromium over the
//! page of every example, the Tehachapi 2017 → 2018 redline and a hand-made draft with
//! every kind of block, finds no violation of a WCAG 2.0 or 2.1 level A or AA rule. A
//! page broken on purpose proves the harness sees violations. The same browser prints
//! a page, to check the print style sheet.
//!
//! Chromium (Debian's `chromium`) and axe-core (`tests/axe`, `npm ci`) are installed by
//! `scripts/deps.sh`; without them this test fails and says so, it never skips. axe is
//! injected from the local file with `tests/axe/run-axe.js`, which writes the outcome
//! into the DOM that `--dump-dom` prints: no network, no driver, no fixed waits (the
//! virtual time budget lets the page's own tasks finish as fast as they can).

use crate::common::{mou, repo};
use crate::html::{draft_document, pages};
use mou::render::{Format, WriteOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Headless Chromium: `MOU_CHROMIUM`, else `chromium` or `chromium-browser` on PATH.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("MOU_CHROMIUM") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            if dir.join(name).is_file() {
                return dir.join(name);
            }
        }
    }
    panic!(
        "the accessibility test needs headless Chromium and found none on PATH: run \
         scripts/deps.sh (Debian package `chromium`) or set MOU_CHROMIUM"
    );
}

/// axe-core's browser bundle, installed by `scripts/deps.sh`.
fn axe() -> PathBuf {
    let p = repo().join("tests/axe/node_modules/axe-core/axe.min.js");
    assert!(
        p.is_file(),
        "the accessibility test needs axe-core at {}: run scripts/deps.sh (npm ci in tests/axe)",
        p.display()
    );
    p
}

/// What axe found on one page: the violations (one line each, with the elements and
/// what to fix) and how many rules passed.
struct Audit {
    violations: Vec<String>,
    passes: u64,
}

/// Runs axe on `html` in a browser of its own (its own profile folder under `work`).
fn audit(browser: &Path, axe: &Path, work: &Path, html: &str) -> Result<Audit, String> {
    std::fs::create_dir_all(work).unwrap();
    std::fs::copy(axe, work.join("axe.min.js")).unwrap();
    std::fs::copy(repo().join("tests/axe/run-axe.js"), work.join("run-axe.js")).unwrap();
    let at = html.rfind("</body>").ok_or("no </body>")?;
    let page = format!(
        "{}<script src=\"axe.min.js\"></script><script src=\"run-axe.js\"></script>\n{}",
        &html[..at],
        &html[at..]
    );
    let file = work.join("page.html");
    std::fs::write(&file, page).unwrap();
    let out = assert_cmd::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--virtual-time-budget=120000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .timeout(Duration::from_secs(300))
        .output()
        .map_err(|e| format!("cannot run {}: {e}", browser.display()))?;
    let dom = String::from_utf8_lossy(&out.stdout);
    let json = dom
        .split("AXE-RESULT-BEGIN")
        .nth(1)
        .and_then(|s| s.split("AXE-RESULT-END").next())
        .ok_or_else(|| {
            format!(
                "no axe result (exit {:?}); Chromium said:\n{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .filter(|l| !l.contains("dbus"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })?;
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("{e}: {json}"))?;
    if let Some(e) = v.get("error") {
        return Err(format!("axe failed: {e}"));
    }
    let mut violations = Vec::new();
    for viol in v["violations"].as_array().into_iter().flatten() {
        let mut line = format!(
            "{} ({}): {}",
            viol["id"].as_str().unwrap_or("?"),
            viol["impact"].as_str().unwrap_or("?"),
            viol["help"].as_str().unwrap_or("")
        );
        for node in viol["nodes"].as_array().into_iter().flatten().take(5) {
            line.push_str(&format!(
                "\n    at {}: {}\n      {}",
                node["target"],
                node["html"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .take(160)
                    .collect::<String>(),
                node["summary"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', "\n      ")
            ));
        }
        violations.push(line);
    }
    Ok(Audit {
        violations,
        passes: v["passes"].as_u64().unwrap_or(0),
    })
}

#[test]
fn every_page_passes_axe_wcag_2_1_aa_in_chromium() {
    let (browser, axe) = (chromium(), axe());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = mou()
        .args(["build", "profiles", "-f", "html", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut pages = pages(&out);
    let red = mou()
        .args([
            "diff",
            "profiles/tehachapi-2017.toml",
            "profiles/tehachapi-2018.toml",
            "-f",
            "html",
        ])
        .output()
        .unwrap();
    assert!(
        red.status.success(),
        "{}",
        String::from_utf8_lossy(&red.stderr)
    );
    pages.push((
        "tehachapi redline".into(),
        String::from_utf8(red.stdout).unwrap(),
    ));
    let draft = Format::HTML
        .write(&draft_document(), &WriteOptions::default())
        .unwrap();
    let draft = String::from_utf8(draft).unwrap();
    // The control: no language, grey on white, an unscoped header cell.
    let broken = draft
        .replacen("<html lang=\"en-US\">", "<html>", 1)
        .replacen(":root { color: #1b1b1b;", ":root { color: #c8c8c8;", 1);
    assert_ne!(broken, draft);
    pages.push(("hand-made draft".into(), draft));
    let control = "broken on purpose";
    pages.push((control.into(), broken));

    let results = audit_all(&browser, &axe, tmp.path(), &pages);

    let mut failures = Vec::new();
    let mut control_seen = Vec::new();
    for (i, result) in results {
        let name = &pages[i].0;
        match result {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(a) if name == control => {
                control_seen = a.violations;
            }
            Ok(a) => {
                if a.passes < 10 {
                    failures.push(format!(
                        "{name}: only {} axe rules ran and passed",
                        a.passes
                    ));
                }
                for v in a.violations {
                    failures.push(format!("{name}: {v}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "WCAG 2.1 A/AA violations (axe-core in Chromium):\n{}",
        failures.join("\n")
    );
    let ids: Vec<&str> = control_seen
        .iter()
        .map(|v| v.split(' ').next().unwrap())
        .collect();
    assert!(
        ids.contains(&"html-has-lang") && ids.contains(&"color-contrast"),
        "the broken page should fail html-has-lang and color-contrast: {control_seen:?}"
    );
}

/// Audits every page, two browsers at a time: each is several processes, and CI has
/// two cores. The results are in no particular order, each with its page's index.
fn audit_all(
    browser: &Path,
    axe: &Path,
    work: &Path,
    pages: &[(String, String)],
) -> Vec<(usize, Result<Audit, String>)> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((_, html)) = pages.get(i) else { break };
                        let work = work.join(format!("page{i}"));
                        mine.push((i, audit(browser, axe, &work, html)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    })
}

/// `mou serve`'s own pages are published to nobody, but counsel's staff read them: the
/// index, an agreement's preview under its status panel, and a failed rebuild's page
/// (diagnostics over the last good text) meet the same bar as the writer's pages.
#[test]
fn the_serve_pages_pass_axe_too() {
    let (browser, axe) = (chromium(), axe());
    let tmp = crate::incremental::project();
    let root = tmp.path();
    let (mut s, port) = crate::serve::serve(root);
    let mut pages = Vec::new();
    for path in ["/", "/a/tacoma-2021"] {
        let (code, html) = crate::serve::get(port, path);
        assert_eq!(code, 200, "{path}: {html}");
        pages.push((format!("serve {path}"), html));
    }
    let profile = root.join("profiles/tehachapi-2018.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(&profile, format!("{text}\nbroken = = 1\n")).unwrap();
    assert_eq!(s.next_build(), "built 0, failed 1, up to date 0");
    for path in ["/", "/a/tehachapi-2018", "/a/no-such-agreement"] {
        let (_, html) = crate::serve::get(port, path);
        pages.push((format!("serve {path} after a failed rebuild"), html));
    }
    assert!(pages[3].1.contains("error[E0101]"), "{}", pages[3].1);
    let work = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (i, result) in audit_all(&browser, &axe, work.path(), &pages) {
        let name = &pages[i].0;
        match result {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(a) => {
                // The not-found page is a heading and a line: fewer rules apply.
                if a.passes < 5 {
                    failures.push(format!("{name}: only {} axe rules passed", a.passes));
                }
                failures.extend(a.violations.into_iter().map(|v| format!("{name}: {v}")));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "WCAG 2.1 A/AA violations in mou serve's pages:\n{}",
        failures.join("\n")
    );
}

/// Printed by the browser (the print style sheet): US Letter pages, the running head,
/// "Page N of M" from the margin boxes, and a draft's marking on its pages. poppler
/// (`pdfinfo`, `pdftotext`, from scripts/deps.sh) reads the PDF Chromium prints.
#[test]
fn a_page_prints_on_letter_with_page_numbers() {
    let browser = chromium();
    let tmp = tempfile::tempdir().unwrap();
    let run = mou()
        .args([
            "build",
            "profiles/kentucky-city-2025.toml",
            "-f",
            "html",
            "-o",
        ])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = tmp.path().join("kentucky-city-2025.html");
    let pdf = tmp.path().join("printed.pdf");
    let out = assert_cmd::Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg("--no-pdf-header-footer")
        .arg(format!(
            "--user-data-dir={}",
            tmp.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap();
    assert!(pdf.is_file(), "Chromium printed nothing: {out:?}");
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo is installed (poppler-utils, scripts/deps.sh)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(pages > 5, "{info}");
    let text = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&format!("Page 1 of {pages}")),
        "no page numbers"
    );
    assert!(
        text.contains(&format!("Page {pages} of {pages}")),
        "no page numbers"
    );
    assert!(text.contains("City of Ashgrove"), "no running head");
    assert!(
        text.matches("DRAFT").count() >= pages,
        "every page of a draft is marked"
    );
}
