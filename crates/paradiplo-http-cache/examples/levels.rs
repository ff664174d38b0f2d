//! What a compression level costs on real pages: size and time per body.
//!
//!     cargo run --release -p paradiplo-http-cache --example levels -- page.html …
//!
//! Prints one Markdown table row per file and level (bench/portal/run.sh
//! writes them to docs/benchmarks.md).

use paradiplo_http_cache::{Encoding, Levels, compress};
use std::time::{Duration, Instant};

const LEVELS: [(Encoding, u32); 9] = [
    (Encoding::Brotli, 1),
    (Encoding::Brotli, 4),
    (Encoding::Brotli, 6),
    (Encoding::Brotli, 9),
    (Encoding::Brotli, 10),
    (Encoding::Brotli, 11),
    (Encoding::Gzip, 1),
    (Encoding::Gzip, 6),
    (Encoding::Gzip, 9),
];

/// The median time of compressing `body` (at least 3 runs, about 0.3 s).
fn time(encoding: Encoding, level: u32, body: &[u8]) -> (usize, Duration) {
    let levels = Levels {
        brotli: level,
        gzip: level,
    };
    let mut runs = Vec::new();
    let start = Instant::now();
    let mut size = body.len();
    while runs.len() < 3 || (start.elapsed() < Duration::from_millis(300) && runs.len() < 200) {
        let t = Instant::now();
        size = compress(encoding, levels, body).map_or(body.len(), |c| c.len());
        runs.push(t.elapsed());
    }
    runs.sort();
    (size, runs[runs.len() / 2])
}

fn main() {
    println!("| body | bytes | coding | level | compressed bytes | ratio | time (median) |");
    println!("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
    for path in std::env::args().skip(1) {
        let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let name = std::path::Path::new(&path)
            .file_name()
            .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        for (encoding, level) in LEVELS {
            let (size, took) = time(encoding, level, &body);
            println!(
                "| {name} | {} | {} | {level} | {size} | {:.1} % | {:.2} ms |",
                body.len(),
                encoding.token(),
                100.0 * size as f64 / body.len() as f64,
                took.as_secs_f64() * 1000.0
            );
        }
    }
}
