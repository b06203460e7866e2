//! Render the ~10-page fixture agreement N times and print the time per render.
//!
//! cargo run --release --example pdf_speed -- [N] [out.pdf] [--draft] [--a2b]

#[path = "../tests/fixtures/pdf/fixture.rs"]
mod fixture;

use std::time::Instant;

use mou::render::pdf::{self, PdfOptions, PdfStandard};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(50);
    let out = args.iter().find(|a| a.ends_with(".pdf"));
    let doc = if args.iter().any(|a| a == "--draft") {
        fixture::draft_agreement()
    } else {
        fixture::agreement()
    };
    let opts = PdfOptions {
        standard: if args.iter().any(|a| a == "--a2b") {
            PdfStandard::A2b
        } else {
            PdfStandard::Ua1
        },
        producer: "mou 0.1.0".to_string(),
        date: mou::date::Date::new(2022, 8, 9),
        esign_anchors: false,
    };

    // The first render pays for parsing the embedded fonts once per process.
    let start = Instant::now();
    let bytes = pdf::render(&doc, &opts)?;
    let first = start.elapsed();

    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(pdf::render(std::hint::black_box(&doc), &opts)?);
    }
    let per = start.elapsed().as_secs_f64() * 1000.0 / n.max(1) as f64;

    let layout_start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(pdf::layout::layout(std::hint::black_box(&doc)));
    }
    let layout_ms = layout_start.elapsed().as_secs_f64() * 1000.0 / n.max(1) as f64;

    let pages = pdf::layout::layout(&doc).pages.len();
    println!(
        "{pages} pages, {} bytes: first render {:.2} ms, then {per:.2} ms/render ({layout_ms:.2} ms layout) over {n}",
        bytes.len(),
        first.as_secs_f64() * 1000.0
    );
    if let Some(path) = out {
        std::fs::write(path, &bytes)?;
        println!("wrote {path}");
    }
    Ok(())
}
