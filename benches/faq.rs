//! Times `Faq::lookup` over every question of the eval sets (release build):
//! `cargo bench --bench faq`. Under `cargo test` it runs a few rounds only.

use std::hint::black_box;
use std::time::Instant;

use recert_bot::faq::Faq;
use recert_bot::rules::Policy;

fn questions(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["question"].as_str().map(str::to_string))
        .collect()
}

fn main() {
    let started = Instant::now();
    let faq = Faq::embedded(&Policy::embedded()).expect("FAQ loads");
    println!("load: {:.2} ms", started.elapsed().as_secs_f64() * 1e3);
    let mut all = questions("tests/data/faq_dev.jsonl");
    all.extend(questions("tests/data/faq_own.jsonl"));
    all.extend(questions("tests/data/faq_holdout.jsonl"));
    for q in &all {
        black_box(faq.lookup(q));
    }
    // `cargo bench` passes --bench; under `cargo test` a short smoke run is enough.
    let rounds: usize = if std::env::args().any(|a| a == "--bench") {
        2_000
    } else {
        5
    };
    let started = Instant::now();
    for _ in 0..rounds {
        for q in &all {
            black_box(faq.lookup(black_box(q)));
        }
    }
    let per = started.elapsed().as_secs_f64() * 1e6 / (rounds * all.len()) as f64;
    println!(
        "lookup: {} questions x {rounds} rounds, mean {per:.2} µs per question",
        all.len()
    );
    let slowest = all
        .iter()
        .map(|q| {
            let t = Instant::now();
            for _ in 0..200 {
                black_box(faq.lookup(black_box(q)));
            }
            (t.elapsed().as_secs_f64() * 1e6 / 200.0, q)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((us, q)) = slowest {
        println!("slowest: {us:.2} µs for {q:?}");
    }
}
