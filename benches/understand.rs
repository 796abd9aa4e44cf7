//! Times the understanding of a message (release build): training the classifier from
//! `faq/intents.toml` and the FAQ examples, classifying one message, and the whole
//! reading the step makes (classifier, parts, extractors):
//! `cargo bench --bench understand`. Under `cargo test` it runs a few rounds only.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, Utc};
use recert_bot::conversation::reading::read;
use recert_bot::faq::Faq;
use recert_bot::rules::Policy;
use recert_bot::understand::{Expecting, Understanding, intents};

fn texts(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

/// Mean microseconds of `f` over `rounds` passes of `all`.
fn mean_us(all: &[String], rounds: usize, mut f: impl FnMut(&str)) -> f64 {
    let started = Instant::now();
    for _ in 0..rounds {
        for t in all {
            f(black_box(t));
        }
    }
    started.elapsed().as_secs_f64() * 1e6 / (rounds * all.len()) as f64
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let policy = Policy::embedded();
    let started = Instant::now();
    let faq = Faq::embedded(&policy).expect("FAQ loads");
    println!(
        "FAQ load with classifier training: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let file = include_str!("../faq/intents.toml");
    let examples = intents::parse("faq/intents.toml", file, &[], false).expect("intents parse");
    let started = Instant::now();
    let model = Understanding::train(&examples, &[], HashMap::new());
    let (n, features) = model.size();
    println!(
        "training alone: {n} examples, {features} features, {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let all = texts("tests/data/nlu_dev.jsonl");
    let rounds = if bench { 200 } else { 2 };
    let understanding = faq.understanding();
    let classify = mean_us(&all, rounds, |t| {
        black_box(understanding.classify(t, Expecting::Nothing));
    });
    println!(
        "classify: {} messages x {rounds} rounds, mean {classify:.1} µs per message",
        all.len()
    );
    let now: DateTime<Utc> = "2026-12-01T20:00:00Z".parse().expect("instant");
    let tz = policy.contact.trainer_timezone;
    let reading = mean_us(&all, rounds, |t| {
        black_box(read(t, Expecting::Nothing, &faq, now, tz));
    });
    println!("whole reading (parts, classifier, extractors): mean {reading:.1} µs per message");
    let lookup = mean_us(&all, rounds, |t| {
        black_box(faq.lookup(t));
    });
    println!("FAQ lookup: mean {lookup:.1} µs per message");
}
