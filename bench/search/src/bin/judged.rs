//! The judged query set (`bench/search/judged.tsv`) against the bundled
//! registry: R@1, R@5 and MRR per kind of query and overall, for the tuning
//! half and the held-back half.
//!
//! `cargo run -p paradiplo-bench-search --bin judged -- [--queries PATH]
//! [--data DIR] [--misses]` from the repository root.

use paradiplo_core::{RecordState, Registry};
use paradiplo_dataset::{DirSource, read_dataset};
use paradiplo_search::SearchIndex;
use paradiplo_search::judged::{self, Report};
use std::path::PathBuf;

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

/// The published records of the dataset in `dir`.
fn published(dir: &str) -> Result<Registry, String> {
    let dataset = read_dataset(&DirSource(PathBuf::from(dir))).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("{e:?}")).collect();
        format!("dataset {dir}:\n{}", lines.join("\n"))
    })?;
    let mut registry = Registry::new();
    for r in dataset.registry.iter() {
        if dataset.state_of(r.kind(), r.slug()) == RecordState::Published {
            registry.push(r.clone());
        }
    }
    Ok(registry)
}

fn table(report: &Report, kinds: &[String]) {
    println!("| kind | half | queries | R@1 | R@5 | MRR |");
    println!("|---|---|--:|--:|--:|--:|");
    for kind in kinds.iter().map(String::as_str).chain(["all"]) {
        for (held, name) in [(false, "tuning"), (true, "held back")] {
            let s = report.get(held, kind);
            if s.n == 0 {
                continue;
            }
            let bold = if kind == "all" { "**" } else { "" };
            println!(
                "| {bold}{kind}{bold} | {name} | {} | {:.2} | {:.2} | {:.2} |",
                s.n, s.r1, s.r5, s.mrr
            );
        }
    }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let path = arg(&args, "--queries", "bench/search/judged.tsv");
    let data = arg(&args, "--data", "data/quebec");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let queries = judged::parse(&path, &text)?;
    let registry = published(&data)?;
    let index = SearchIndex::in_ram().map_err(|e| e.to_string())?;
    let docs = index.index_registry(&registry).map_err(|e| e.to_string())?;
    let report = judged::evaluate(&index, &queries);
    let mut kinds: Vec<String> = queries.iter().map(|q| q.kind.clone()).collect();
    kinds.sort();
    kinds.dedup();
    println!(
        "{} queries ({} held back) over {docs} indexed records of {data}\n",
        queries.len(),
        queries.iter().filter(|q| q.held_back()).count()
    );
    table(&report, &kinds);
    if args.iter().any(|a| a == "--misses") {
        println!("\nNot first (line, half, kind, query, rank, expected, top 5):");
        for (j, rank, top) in &report.misses {
            let half = if j.held_back() { "held" } else { "tune" };
            println!(
                "{}:{} {half} {} {:?} rank {:?} expected {:?} got {:?}",
                path, j.line, j.kind, j.query, rank, j.expected, top
            );
        }
    }
    Ok(())
}
