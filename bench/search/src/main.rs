//! Search benchmark: the paradiplo-search index (tantivy) against SQLite FTS5
//! on the same generated French corpus and the same 200 queries.
//!
//!     cargo run --release -p paradiplo-bench-search -- --records 1000000
//!
//! Options: `--records N` (default 1 000 000), `--dir PATH` (default: a new
//! folder under the system temp dir, removed at the end), `--rounds R` (timed
//! passes over the queries after one warm-up pass, default 3), `--reuse` (keep the
//! tantivy index already in `--dir`), `--tantivy-only` (skip FTS5), `--probe QUERY`
//! (repeatable: time these queries alone 40 times each and stop).
//! Everything is deterministic (fixed seeds); only timings vary.

use paradiplo_core::Lang;
use paradiplo_search::{IndexDoc, SearchIndex, SearchRequest};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SEED: u64 = 0x5EED_CAFE_F00D_2026;

/// SplitMix64: small, fast, and the same on every machine.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A skewed pick: low indexes are much more frequent (like word use).
    fn zipf(&mut self, n: usize) -> usize {
        ((n as f64) * self.unit().powf(2.6)) as usize % n
    }
}

const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "br", "cr", "dr",
    "fr", "gr", "pr", "tr", "pl", "bl", "cl", "qu", "gu", "",
];
const VOWELS: &[&str] = &[
    "a", "e", "i", "o", "u", "é", "è", "ê", "à", "â", "ô", "î", "ou", "ai", "au", "eu", "oi", "ui",
];
const SUFFIXES: &[&str] = &[
    "", "", "", "tion", "ment", "ité", "ique", "eur", "age", "ance", "ois", "ière", "al", "elle",
    "ée", "isme", "iste", "erie", "esse", "ard",
];
/// Real words so that the corpus reads like the registry's.
const REAL: &[&str] = &[
    "accord",
    "coopération",
    "énergie",
    "culture",
    "économie",
    "éducation",
    "santé",
    "québec",
    "bavière",
    "europe",
    "commercial",
    "entente",
    "jeunesse",
    "environnement",
    "numérique",
    "recherche",
    "innovation",
    "transport",
    "sécurité",
    "francophonie",
    "organisation",
    "internationale",
    "région",
    "partenaire",
    "sommet",
    "conférence",
    "mission",
    "délégation",
    "gouvernement",
    "ministère",
    "développement",
    "échange",
    "climat",
    "forêt",
    "hydroélectricité",
    "aviation",
    "langue",
    "française",
    "diversité",
    "patrimoine",
    "mobilité",
    "étudiants",
    "agriculture",
    "pêches",
    "tourisme",
    "aéronautique",
    "métropole",
    "fleuve",
    "université",
];

/// Several thousand distinct French-looking words, with accents.
fn vocabulary(size: usize) -> Vec<String> {
    let mut rng = Rng::new(SEED ^ 1);
    let mut seen = std::collections::HashSet::new();
    let mut words: Vec<String> = Vec::with_capacity(size);
    for w in REAL {
        seen.insert(w.to_string());
        words.push(w.to_string());
    }
    while words.len() < size {
        let syllables = 2 + rng.below(3);
        let mut w = String::new();
        for _ in 0..syllables {
            w.push_str(ONSETS[rng.below(ONSETS.len())]);
            w.push_str(VOWELS[rng.below(VOWELS.len())]);
        }
        w.push_str(SUFFIXES[rng.below(SUFFIXES.len())]);
        if w.chars().count() >= 4 && seen.insert(w.clone()) {
            words.push(w);
        }
    }
    // Interleave real words through the frequency ranks.
    let mut shuffled = Vec::with_capacity(words.len());
    let (real, made) = words.split_at(REAL.len());
    let mut r = real.iter();
    for (i, w) in made.iter().enumerate() {
        if i % 40 == 0
            && let Some(x) = r.next()
        {
            shuffled.push(x.clone());
        }
        shuffled.push(w.clone());
    }
    shuffled.extend(r.cloned());
    shuffled
}

const KINDS: &[(&str, u32)] = &[
    ("agreement", 40),
    ("event", 25),
    ("intervention", 15),
    ("organization", 10),
    ("partner", 5),
    ("grouping", 3),
    ("page", 2),
];
const REGIONS: &[&str] = &[
    "western_europe",
    "eastern_europe",
    "north_america",
    "central_america",
    "south_america",
    "asia",
    "middle_east",
    "africa",
    "oceania",
];
const DOMAINS: &[&str] = &[
    "changements-climatiques",
    "commerce",
    "culture",
    "droits-de-la-personne",
    "eau",
    "economie",
    "education",
    "energie",
    "environnement",
    "gouvernance",
    "langue-francaise",
    "mobilite-jeunesse",
    "numerique",
    "recherche-innovation",
    "sante",
    "securite",
    "transports",
];
const STATUSES: &[&str] = &[
    "negotiation",
    "signed",
    "in_approval",
    "approved",
    "in_force",
    "not_in_force",
    "ended",
    "replaced",
];

/// One generated record, the same for both engines.
struct Rec {
    kind: &'static str,
    slug: String,
    title: String,
    summary: String,
    partner: String,
    region: &'static str,
    domains: Vec<&'static str>,
    status: Option<&'static str>,
    year: i32,
}

struct Corpus {
    vocab: Vec<String>,
    partners: Vec<String>,
}

impl Corpus {
    fn new() -> Corpus {
        let vocab = vocabulary(6_000);
        let mut rng = Rng::new(SEED ^ 2);
        let partners = (0..500)
            .map(|_| {
                let a = &vocab[rng.below(vocab.len())];
                let b = &vocab[rng.below(vocab.len())];
                let mut name = format!("État de {a}-{b}");
                // Capitalize like a proper name.
                if let Some(i) = name.find(a.as_str()) {
                    let upper: String = a.chars().take(1).flat_map(char::to_uppercase).collect();
                    let first = a.chars().next().map(char::len_utf8).unwrap_or(0);
                    name.replace_range(i..i + first, &upper);
                }
                name
            })
            .collect();
        Corpus { vocab, partners }
    }

    fn words(&self, rng: &mut Rng, n: usize) -> String {
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&self.vocab[rng.zipf(self.vocab.len())]);
        }
        out
    }

    fn record(&self, i: u64) -> Rec {
        let mut rng = Rng::new(SEED ^ i.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let mut pick = rng.below(100) as u32;
        let mut kind = KINDS[0].0;
        for (k, w) in KINDS {
            if pick < *w {
                kind = k;
                break;
            }
            pick -= w;
        }
        let title_len = 4 + rng.below(7);
        let mut title = self.words(&mut rng, title_len);
        if let Some(first) = title.chars().next() {
            let upper: String = first.to_uppercase().collect();
            title.replace_range(0..first.len_utf8(), &upper);
        }
        let summary_len = 20 + rng.below(31);
        let summary = format!("{}.", self.words(&mut rng, summary_len));
        let n_domains = 1 + rng.below(3);
        let mut domains: Vec<&'static str> = Vec::new();
        for _ in 0..n_domains {
            let d = DOMAINS[rng.zipf(DOMAINS.len())];
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
        Rec {
            kind,
            slug: format!("r{i}"),
            title,
            summary,
            partner: self.partners[rng.zipf(self.partners.len())].clone(),
            region: REGIONS[rng.zipf(REGIONS.len())],
            domains,
            status: (kind == "agreement").then(|| STATUSES[rng.below(STATUSES.len())]),
            year: 1960 + rng.below(66) as i32,
        }
    }

    /// 200 queries of one to three words; one in four typed without accents.
    fn queries(&self) -> Vec<String> {
        let mut rng = Rng::new(SEED ^ 3);
        (0..200)
            .map(|i| {
                let n = match i % 10 {
                    0..=3 => 1,
                    4..=7 => 2,
                    _ => 3,
                };
                // Query words come from the first few thousand ranks: real
                // queries use words that are in the data.
                let words: Vec<String> = (0..n)
                    .map(|_| self.vocab[rng.zipf(2_000)].clone())
                    .collect();
                let q = words.join(" ");
                if i % 4 == 3 { fold(&q) } else { q }
            })
            .collect()
    }
}

fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'â' => 'a',
            'é' | 'è' | 'ê' => 'e',
            'î' => 'i',
            'ô' => 'o',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn status_field(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

struct Latency {
    p50: Duration,
    p95: Duration,
    p99: Duration,
    mean: Duration,
}

fn latency(mut samples: Vec<Duration>) -> Latency {
    samples.sort();
    let at =
        |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    Latency {
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        mean,
    }
}

/// CPU time of the whole process, every thread (Linux scheduler statistics,
/// in nanoseconds): unlike elapsed time, it barely moves when other work
/// shares the cores.
fn cpu_time() -> Duration {
    let mut ns = 0u64;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.flatten() {
            if let Ok(stat) = std::fs::read_to_string(task.path().join("schedstat")) {
                ns += (stat.split_whitespace().next())
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
    }
    Duration::from_nanos(ns)
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

struct Args {
    records: u64,
    dir: Option<PathBuf>,
    rounds: usize,
    /// Reuse the tantivy index already in --dir (profiling queries only).
    reuse: bool,
    /// Skip the FTS5 baseline (profiling tantivy only).
    tantivy_only: bool,
    /// Time these queries alone, many times, and stop (profiling).
    probes: Vec<String>,
}

fn args() -> Args {
    let mut a = Args {
        records: 1_000_000,
        dir: None,
        rounds: 3,
        reuse: false,
        tantivy_only: false,
        probes: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match arg.as_str() {
            "--records" => a.records = value("--records").parse().expect("--records N"),
            "--dir" => a.dir = Some(PathBuf::from(value("--dir"))),
            "--rounds" => a.rounds = value("--rounds").parse().expect("--rounds R"),
            "--reuse" => a.reuse = true,
            "--tantivy-only" => a.tantivy_only = true,
            "--probe" => a.probes.push(value("--probe")),
            other => panic!(
                "unknown argument {other}: use --records N, --dir PATH, --rounds R, \
                 --reuse, --tantivy-only, --probe QUERY"
            ),
        }
    }
    a
}

/// Where the two indexes live; `tmp` is removed at the end when no `--dir`
/// was given.
struct Places {
    tmp: Option<PathBuf>,
    tantivy_dir: PathBuf,
    fts_path: PathBuf,
    /// The tantivy index already there is kept (`--reuse`).
    reuse: bool,
}

fn prepare_places(args: &Args) -> Places {
    let tmp = match &args.dir {
        Some(d) => {
            std::fs::create_dir_all(d).expect("bench dir");
            None
        }
        None => Some(
            std::env::temp_dir().join(format!("paradiplo-bench-search-{}", std::process::id())),
        ),
    };
    let base = args.dir.clone().or(tmp.clone()).unwrap();
    let tantivy_dir = base.join("tantivy");
    let fts_path = base.join("fts5.db");
    let reuse = args.reuse && tantivy_dir.join("meta.json").exists();
    if !reuse {
        let _ = std::fs::remove_dir_all(&tantivy_dir);
    }
    let _ = std::fs::remove_file(&fts_path);
    std::fs::create_dir_all(&base).unwrap();
    Places {
        tmp,
        tantivy_dir,
        fts_path,
        reuse,
    }
}

/// What one engine measured.
struct Measured {
    build: Duration,
    size: u64,
    latency: Latency,
    /// Matches per query, in query order.
    totals: Vec<u64>,
}

fn main() {
    let args = args();
    let places = prepare_places(&args);
    println!("records: {}", args.records);
    println!(
        "cpus: {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!("load average at start: {}", loadavg());
    let corpus = Corpus::new();
    let queries = corpus.queries();
    println!(
        "vocabulary: {} words; queries: {}",
        corpus.vocab.len(),
        queries.len()
    );

    let started = Instant::now();
    if !places.reuse {
        build_tantivy(&corpus, args.records, &places.tantivy_dir);
    }
    let build = started.elapsed();
    let size = dir_size(&places.tantivy_dir);
    let index = SearchIndex::open_local(&places.tantivy_dir).expect("reopen");
    println!(
        "tantivy: built in {:.1} s, {} MiB on disk, {} docs",
        build.as_secs_f64(),
        mib(size),
        index.num_docs()
    );
    if !args.probes.is_empty() {
        probe_tantivy(&index, &queries, &args.probes);
        return;
    }
    let (totals, latency) = time_tantivy(&index, &queries, args.rounds);
    let hwm_after_tantivy = status_field("VmHWM:").unwrap_or(0);
    println!(
        "tantivy: p50 {} ms, p95 {} ms, p99 {} ms, mean {} ms; VmHWM so far {} MiB",
        ms(latency.p50),
        ms(latency.p95),
        ms(latency.p99),
        ms(latency.mean),
        mib(hwm_after_tantivy * 1024)
    );
    drop(index);
    if args.tantivy_only {
        return;
    }
    let tantivy = Measured {
        build,
        size,
        latency,
        totals,
    };
    let fts = measure_fts(&corpus, &queries, &args, &places.fts_path);
    let hwm = status_field("VmHWM:").unwrap_or(0);
    print_comparison(&tantivy, &fts);
    println!();
    println!(
        "peak memory (VmHWM): {} MiB after tantivy, {} MiB for the whole run",
        mib(hwm_after_tantivy * 1024),
        mib(hwm * 1024)
    );
    println!("load average at end: {}", loadavg());
    if let Some(t) = places.tmp {
        let _ = std::fs::remove_dir_all(t);
    }
}

/// The paradiplo-search index over the generated corpus, merged.
fn build_tantivy(corpus: &Corpus, records: u64, dir: &Path) {
    let index = SearchIndex::create(dir, 2, 300_000_000).expect("index");
    let docs = (0..records).map(|i| {
        let r = corpus.record(i);
        // What the registry's records carry since issue 19: the year as a
        // searchable year, the title as an exact name, a link.
        IndexDoc {
            kind: r.kind.to_string(),
            link_kind: r.kind.to_string(),
            link_slug: r.slug.clone(),
            slug: r.slug,
            exact: vec![r.title.clone()],
            title_fr: r.title,
            body_fr: r.summary,
            partner_fr: r.partner.clone(),
            related_fr: r.partner,
            regions: vec![r.region.to_string()],
            domains: r.domains.iter().map(|d| d.to_string()).collect(),
            status: r.status.map(str::to_string),
            year: Some(r.year),
            years_main: vec![r.year],
            years: vec![r.year],
            ..IndexDoc::default()
        }
    });
    index.bulk_load(docs).expect("bulk load");
    index.wait_merges().expect("merges");
}

/// One tantivy query as the portal runs it (20 hits, no snippets): the
/// number of matches and of hits.
fn run_tantivy(index: &SearchIndex, q: &str) -> (u64, usize) {
    let mut req = SearchRequest::new(q, Lang::Fr);
    req.limit = 20;
    req.snippets = false;
    let r = index.search(&req).expect("search");
    (r.total, r.hits.len())
}

/// The minimum of many runs says what the code costs even when other work
/// shares the machine; the median says what it usually takes. `--probe @all`
/// ranks the 200 benchmark queries by their minimum.
fn probe_tantivy(index: &SearchIndex, queries: &[String], probes: &[String]) {
    let all = probes.iter().any(|p| p == "@all");
    let probes: Vec<&str> = if all {
        queries.iter().map(String::as_str).collect()
    } else {
        probes.iter().map(String::as_str).collect()
    };
    let repeat = if all { 10 } else { 40 };
    let mut timed: Vec<(Duration, Duration, Duration, &str, u64)> = probes
        .iter()
        .map(|q| {
            let total = run_tantivy(index, q).0;
            let mut runs: Vec<(Duration, Duration)> = (0..repeat)
                .map(|_| {
                    let (t, cpu) = (Instant::now(), cpu_time());
                    std::hint::black_box(run_tantivy(index, q));
                    (t.elapsed(), cpu_time().saturating_sub(cpu))
                })
                .collect();
            runs.sort();
            let cpu = runs.iter().map(|r| r.1).min().unwrap_or_default();
            (runs[0].0, runs[runs.len() / 2].0, cpu, *q, total)
        })
        .collect();
    if all {
        timed.sort_by_key(|t| std::cmp::Reverse(t.0));
        timed.truncate(12);
    }
    for (min, median, cpu, q, total) in timed {
        println!(
            "  probe {q:?}: {total} matches, min {} ms, median {} ms, CPU (all threads) min {} ms",
            ms(min),
            ms(median),
            ms(cpu)
        );
    }
}

/// One warm-up pass, then `rounds` timed passes; prints the slowest queries.
fn time_tantivy(index: &SearchIndex, queries: &[String], rounds: usize) -> (Vec<u64>, Latency) {
    let mut totals = Vec::new();
    for q in queries {
        totals.push(run_tantivy(index, q).0); // warm-up
    }
    let mut samples = Vec::new();
    let mut slowest: Vec<(Duration, &str, u64)> = Vec::new();
    for _ in 0..rounds {
        for (q, total) in queries.iter().zip(&totals) {
            let t = Instant::now();
            std::hint::black_box(run_tantivy(index, q));
            let d = t.elapsed();
            samples.push(d);
            slowest.push((d, q, *total));
        }
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (d, q, total) in slowest.iter().take(8) {
        println!(
            "  slow tantivy query: {q:?}: {} ms, {total} matches",
            ms(*d)
        );
    }
    (totals, latency(samples))
}

/// The SQLite FTS5 baseline: built, then timed like tantivy.
fn measure_fts(corpus: &Corpus, queries: &[String], args: &Args, fts_path: &Path) -> Measured {
    let started = Instant::now();
    let db = build_fts(corpus, args.records, fts_path);
    let build = started.elapsed();
    let size = std::fs::metadata(fts_path).map(|m| m.len()).unwrap_or(0);
    println!(
        "fts5: built in {:.1} s, {} MiB on disk",
        build.as_secs_f64(),
        mib(size)
    );
    let mut totals = Vec::new();
    for q in queries {
        totals.push(run_fts(&db, q).0); // warm-up
    }
    let mut samples = Vec::new();
    for _ in 0..args.rounds {
        for q in queries {
            let t = Instant::now();
            std::hint::black_box(run_fts(&db, q));
            samples.push(t.elapsed());
        }
    }
    let latency = latency(samples);
    drop(db);
    Measured {
        build,
        size,
        latency,
        totals,
    }
}

fn build_fts(corpus: &Corpus, records: u64, fts_path: &Path) -> rusqlite::Connection {
    let mut db = rusqlite::Connection::open(fts_path).expect("sqlite");
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;
         CREATE TABLE docs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, region TEXT NOT NULL,
                            status TEXT, year INTEGER NOT NULL);
         CREATE TABLE doc_domains (doc INTEGER NOT NULL, domain TEXT NOT NULL);
         CREATE VIRTUAL TABLE fts USING fts5(title, summary, partner,
                            tokenize = 'unicode61 remove_diacritics 2');",
    )
    .expect("schema");
    let tx = db.transaction().unwrap();
    insert_fts_records(&tx, corpus, records);
    tx.commit().unwrap();
    db.execute_batch(
        "CREATE INDEX doc_domains_doc ON doc_domains (doc);
         INSERT INTO fts (fts) VALUES ('optimize');
         CREATE TEMP TABLE m (id INTEGER PRIMARY KEY);",
    )
    .unwrap();
    db
}

fn insert_fts_records(tx: &rusqlite::Transaction, corpus: &Corpus, records: u64) {
    let mut d = tx
        .prepare("INSERT INTO docs (id, kind, region, status, year) VALUES (?1, ?2, ?3, ?4, ?5)")
        .unwrap();
    let mut dd = tx
        .prepare("INSERT INTO doc_domains (doc, domain) VALUES (?1, ?2)")
        .unwrap();
    let mut f = tx
        .prepare("INSERT INTO fts (rowid, title, summary, partner) VALUES (?1, ?2, ?3, ?4)")
        .unwrap();
    for i in 0..records {
        let r = corpus.record(i);
        let id = i as i64 + 1;
        d.execute(rusqlite::params![id, r.kind, r.region, r.status, r.year])
            .unwrap();
        for dm in &r.domains {
            dd.execute(rusqlite::params![id, dm]).unwrap();
        }
        f.execute(rusqlite::params![id, r.title, r.summary, r.partner])
            .unwrap();
    }
}

/// One FTS5 query with the same work as the portal's: the top 20 by bm25
/// (title weighted like tantivy's), then the five facet counts and the total.
fn run_fts(db: &rusqlite::Connection, q: &str) -> (u64, usize) {
    let m: String = q
        .split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut top = db
        .prepare_cached(
            "SELECT rowid, title, bm25(fts, 3.0, 1.0, 0.7) AS s FROM fts WHERE fts MATCH ?1 ORDER BY s LIMIT 20",
        )
        .unwrap();
    let hits: Vec<(i64, String)> = top
        .query_map([&m], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    db.execute("DELETE FROM m", []).unwrap();
    db.prepare_cached("INSERT INTO m (id) SELECT rowid FROM fts WHERE fts MATCH ?1")
        .unwrap()
        .execute([&m])
        .unwrap();
    let mut facet_rows = 0usize;
    for sql in [
        "SELECT d.kind, COUNT(*) FROM m JOIN docs d ON d.id = m.id GROUP BY d.kind",
        "SELECT d.region, COUNT(*) FROM m JOIN docs d ON d.id = m.id GROUP BY d.region",
        "SELECT d.status, COUNT(*) FROM m JOIN docs d ON d.id = m.id WHERE d.status IS NOT NULL GROUP BY d.status",
        "SELECT d.year, COUNT(*) FROM m JOIN docs d ON d.id = m.id GROUP BY d.year",
        "SELECT dd.domain, COUNT(*) FROM m JOIN doc_domains dd ON dd.doc = m.id GROUP BY dd.domain",
    ] {
        let mut st = db.prepare_cached(sql).unwrap();
        facet_rows += st
            .query_map([], |r| {
                Ok((r.get::<_, rusqlite::types::Value>(0)?, r.get::<_, i64>(1)?))
            })
            .unwrap()
            .count();
    }
    let total: i64 = db
        .prepare_cached("SELECT COUNT(*) FROM m")
        .unwrap()
        .query_row([], |r| r.get(0))
        .unwrap();
    std::hint::black_box(facet_rows);
    (total as u64, hits.len())
}

/// The Markdown table of the two engines side by side.
fn print_comparison(tantivy: &Measured, fts: &Measured) {
    let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64();
    let mean_matches = |t: &[u64]| t.iter().sum::<u64>() as f64 / t.len() as f64;
    println!();
    println!("| | paradiplo-search (tantivy) | SQLite FTS5 | FTS5 ÷ tantivy |");
    println!("|---|---|---|---|");
    println!(
        "| index build | {:.1} s | {:.1} s | {:.2} |",
        tantivy.build.as_secs_f64(),
        fts.build.as_secs_f64(),
        fts.build.as_secs_f64() / tantivy.build.as_secs_f64()
    );
    println!(
        "| index size | {} MiB | {} MiB | {:.2} |",
        mib(tantivy.size),
        mib(fts.size),
        fts.size as f64 / tantivy.size as f64
    );
    for (name, a, b) in [
        ("p50", tantivy.latency.p50, fts.latency.p50),
        ("p95", tantivy.latency.p95, fts.latency.p95),
        ("p99", tantivy.latency.p99, fts.latency.p99),
        ("mean", tantivy.latency.mean, fts.latency.mean),
    ] {
        println!(
            "| latency {name} | {} ms | {} ms | {:.1} |",
            ms(a),
            ms(b),
            ratio(a, b)
        );
    }
    println!(
        "| mean matches per query | {:.0} | {:.0} | |",
        mean_matches(&tantivy.totals),
        mean_matches(&fts.totals)
    );
}
