//! The end-to-end benchmarks (issues 8 and 17), against SQLite's durable single-row
//! commit rate on the same disk with the same pragmas, measured in the same run:
//!
//! - the JSONL stream piped from a file through the real binary (see [`stream`]), on
//!   SQLite; with `RECERT_BENCH_PG=postgres://…` (a server where the bench may create
//!   and drop databases) also on PostgreSQL with one and with two instances;
//! - a mixed stream through the engine in process, committed 100 messages at a time,
//!   for the handling time per message.
//!
//! `cargo bench --bench throughput` runs the full workload; under `cargo test` it runs
//! a small smoke version so CI exercises it.

mod stream;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use recert_bot::app::{App, Content, Incoming};
use recert_bot::faq::Faq;
use recert_bot::rules::Policy;
use recert_bot::store::Store;

/// A getUpdates page (or a burst of JSONL lines) committed together.
const BATCH: usize = 100;

/// The PostgreSQL server for the PostgreSQL figures.
const PG_ENV: &str = "RECERT_BENCH_PG";

const QUESTIONS: [&str; 12] = [
    "What is a CEU?",
    "how often do i need to recertify",
    "can i still renew if my cert expired",
    "how much is the late fee",
    "what's a petition",
    "what happens if I get audited",
    "what is recertify for life",
    "do I need CPR",
    "where do i find approved providers",
    "how do I submit my CEUs",
    "whats the phone number",
    "how much does recertification cost",
];
const AREAS: [&str; 6] = [
    "nutrition",
    "assessment",
    "program design",
    "exercise technique",
    "business",
    "ethics",
];
const OTHER: [&str; 4] = ["hi", "thanks!", "/help", "🤔"];

fn message(trainer: usize, text: String, at: DateTime<Utc>) -> Incoming {
    let chat = format!("t{trainer}");
    Incoming {
        chat: chat.as_str().into(),
        user: chat,
        name: Some(format!("Trainer {trainer}")),
        message_id: None,
        at,
        content: Content::Text(text),
        reply_to: None,
    }
}

/// The next `messages` messages of the stream (a pair may run one over): 40% FAQ
/// questions, 30% CEU logging with its confirmation, 20% status, 10% other. Generated
/// batch by batch, so the benchmark's own memory stays out of the peak-RSS figure.
fn workload(
    trainers: usize,
    messages: usize,
    at: DateTime<Utc>,
    rng: &mut StdRng,
) -> Vec<Incoming> {
    let mut out = Vec::with_capacity(messages);
    while out.len() < messages {
        out.extend(
            turn(trainers, rng)
                .into_iter()
                .map(|(t, text)| message(t, text, at)),
        );
    }
    out
}

/// One turn of the mixed stream, `(trainer, text)`: 40% an FAQ question, 30% a CEU log
/// and its "yes", 20% `/status`, 10% small talk. The in-process workload and the JSONL
/// stream both draw from it.
fn turn(trainers: usize, rng: &mut StdRng) -> Vec<(usize, String)> {
    let t = rng.gen_range(0..trainers);
    match rng.gen_range(0..100) {
        0..40 => vec![(t, QUESTIONS[rng.gen_range(0..QUESTIONS.len())].into())],
        40..70 => {
            let hours = rng.gen_range(1..=12);
            let day = rng.gen_range(1..=28);
            let area = AREAS[rng.gen_range(0..AREAS.len())];
            let text = format!("did a {hours} hour {area} course on Oct {day}, approved provider");
            vec![(t, text), (t, "yes".into())]
        }
        70..90 => vec![(t, "/status".into())],
        _ => vec![(t, OTHER[rng.gen_range(0..OTHER.len())].into())],
    }
}

async fn open(path: &std::path::Path) -> App {
    let policy = Policy::embedded();
    let faq = Faq::embedded(&policy).expect("FAQ");
    let store = Store::open(path).await.expect("store");
    App::new(store, policy, faq, None, "jsonl")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// Single-row transactions per second SQLite sustains with the store's pragmas.
async fn raw_ceiling(store: &Store, n: usize) -> f64 {
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, v TEXT)")
        .execute(store.sqlite_pool().expect("a SQLite bench"))
        .await
        .expect("table");
    let started = Instant::now();
    for i in 0..n {
        let mut tx = store.begin().await.expect("begin");
        sqlx::query("INSERT INTO bench_raw (v) VALUES (?1)")
            .bind(format!("row {i}"))
            .execute(tx.as_sqlite().expect("a SQLite bench"))
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
    }
    n as f64 / started.elapsed().as_secs_f64()
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn faq_lookup_us(rounds: usize) -> f64 {
    let faq = Faq::embedded(&Policy::embedded()).expect("FAQ");
    let started = Instant::now();
    for _ in 0..rounds {
        for q in QUESTIONS {
            black_box(faq.lookup(black_box(q)));
        }
    }
    started.elapsed().as_secs_f64() * 1e6 / (rounds * QUESTIONS.len()) as f64
}

/// Time to the first reply from the real binary on an existing database.
fn cold_start_ms(db: &std::path::Path) -> Option<f64> {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(["--db", db.to_str()?, "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    writeln!(stdin, r#"{{"chat":"t1","user":"t1","text":"/status"}}"#).ok()?;
    let mut first = String::new();
    BufReader::new(child.stdout.take()?)
        .read_line(&mut first)
        .ok()?;
    let elapsed = started.elapsed().as_secs_f64() * 1e3;
    drop(stdin);
    let _ = child.wait();
    first.contains("\"chat\"").then_some(elapsed)
}

/// The workload's sizes: the full run, or the smoke version under `cargo test`.
struct Sizes {
    trainers: usize,
    messages: usize,
    stream_trainers: usize,
    stream_mixed: usize,
    raw_n: usize,
    faq_rounds: usize,
}

impl Sizes {
    fn new(full: bool) -> Self {
        if full {
            Self {
                trainers: 10_000,
                messages: 100_000,
                stream_trainers: 2_000,
                stream_mixed: 40_000,
                raw_n: 3_000,
                faq_rounds: 20_000,
            }
        } else {
            Self {
                trainers: 50,
                messages: 500,
                stream_trainers: 10,
                stream_mixed: 100,
                raw_n: 50,
                faq_rounds: 10,
            }
        }
    }
}

/// The JSONL stream through the binary on a fresh SQLite file, between two
/// measurements of the single-row commit rate on the same disk; prints both rates and
/// their ratio.
async fn jsonl_against_commits(store: &Store, dir: &Path, sizes: &Sizes) {
    let stream = stream::write(dir, "sqlite", sizes.stream_trainers, sizes.stream_mixed, 1);
    let before = raw_ceiling(store, sizes.raw_n).await;
    let db = dir.join("stream.db");
    let elapsed = stream::run(db.to_str().expect("a UTF-8 temp path"), &stream);
    let after = raw_ceiling(store, sizes.raw_n).await;
    let rate = stream.lines as f64 / elapsed.as_secs_f64();
    let commits = (before + after) / 2.0;
    println!(
        "JSONL stream, SQLite: {} lines ({} trainers registering with their \"yes\", then FAQ, CEU logs with their \"yes\", status, other; every line with an id) piped from a file into `recert-bot jsonl`, every write durable (WAL, synchronous=FULL)",
        stream.lines, sizes.stream_trainers
    );
    println!(
        "  {rate:.0} messages/s ({:.2} s); durable single-row commits: {commits:.0}/s (before {before:.0}, after {after:.0}); ratio {:.2}x (target >= 1.5x)",
        elapsed.as_secs_f64(),
        rate / commits
    );
}

/// The same stream on PostgreSQL, each run on a database of its own created on the
/// server: one instance, then two instances (the stream split by trainer) at once.
async fn jsonl_on_postgres(server: &str, dir: &Path, sizes: &Sizes) {
    for instances in [1, 2] {
        let name = format!("recert_bench_{}_{instances}", std::process::id());
        let stream = stream::write(
            dir,
            &name,
            sizes.stream_trainers,
            sizes.stream_mixed,
            instances,
        );
        let db = pg_database(server, &name, true).await;
        let elapsed = stream::run(&db, &stream);
        pg_database(server, &name, false).await;
        println!(
            "JSONL stream, PostgreSQL, {instances} instance(s) on one database: {:.0} messages/s ({} lines, {:.2} s)",
            stream.lines as f64 / elapsed.as_secs_f64(),
            stream.lines,
            elapsed.as_secs_f64()
        );
    }
}

/// Creates (or drops) the database `name` on the server; its URL.
async fn pg_database(server: &str, name: &str, create: bool) -> String {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(server)
        .await
        .unwrap_or_else(|e| panic!("{PG_ENV}: {e}"));
    let sql = if create {
        format!("CREATE DATABASE {name}")
    } else {
        format!("DROP DATABASE IF EXISTS {name}")
    };
    sqlx::raw_sql(&sql)
        .execute(&mut admin)
        .await
        .expect("create or drop the bench database");
    let _ = admin.close().await;
    let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
    format!("{base}/{name}")
}

#[tokio::main]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let sizes = Sizes::new(full);
    let (trainers, messages, faq_rounds) = (sizes.trainers, sizes.messages, sizes.faq_rounds);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bench.db");
    let app = open(&db).await;
    jsonl_against_commits(app.store(), dir.path(), &sizes).await;
    match std::env::var(PG_ENV).ok().filter(|v| !v.trim().is_empty()) {
        Some(server) => jsonl_on_postgres(&server, dir.path(), &sizes).await,
        None => println!("JSONL stream, PostgreSQL: not run (set {PG_ENV}=postgres://… to run it)"),
    }
    let at: DateTime<Utc> = "2026-11-23T18:00:00Z".parse().expect("instant");
    let mut rng = StdRng::seed_from_u64(7);
    let registrations: Vec<Incoming> = (0..trainers)
        .map(|t| {
            message(
                t,
                format!("my certification expires on 2027-0{}-15", 1 + t % 9),
                at,
            )
        })
        .collect();
    for chunk in registrations.chunks(BATCH) {
        app.handle_batch(chunk.to_vec())
            .await
            .expect("registration batch");
    }

    let mut timings = Vec::with_capacity(messages + BATCH);
    let mut failures = 0usize;
    let mut generating = Duration::ZERO;
    let started = Instant::now();
    while timings.len() < messages {
        let t0 = Instant::now();
        let batch = workload(trainers, BATCH.min(messages - timings.len()), at, &mut rng);
        generating += t0.elapsed();
        // Each message timed inside the batch's transaction, the commit wait excluded.
        let mut tx = app.store().begin().await.expect("begin");
        for m in batch {
            let t = Instant::now();
            failures += usize::from(app.handle_in(&mut tx, m).await.is_err());
            timings.push(t.elapsed());
        }
        tx.commit().await.expect("commit");
    }
    let messages = timings.len();
    let elapsed = started.elapsed().saturating_sub(generating);
    let rate = messages as f64 / elapsed.as_secs_f64();
    let raw = raw_ceiling(app.store(), sizes.raw_n).await;
    timings.sort();
    let saved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ce_entries")
        .fetch_one(app.store().sqlite_pool().expect("a SQLite bench"))
        .await
        .expect("count");
    assert_eq!(failures, 0, "messages failed");
    assert!(saved > 0, "the logging share saved nothing");

    println!(
        "engine in process: {trainers} trainers, {messages} messages (40% FAQ, 30% CEU logging with confirmation, 20% status, 10% other), batches of {BATCH}, synchronous=FULL, WAL"
    );
    println!(
        "  {rate:.0} messages/s ({:.2} s); {saved} entries saved; {raw:.0} single-row commits/s; ratio {:.2}x",
        elapsed.as_secs_f64(),
        rate / raw
    );
    println!(
        "latency per message (excluding commit wait): p50 {:.3} ms, p99 {:.3} ms (target p99 < 1 ms)",
        percentile(&timings, 0.50).as_secs_f64() * 1e3,
        percentile(&timings, 0.99).as_secs_f64() * 1e3
    );
    match peak_rss_mb() {
        Some(mb) => println!("peak RSS: {mb:.1} MB (target < 50 MB)"),
        None => println!("peak RSS: unavailable on this platform"),
    }
    println!(
        "FAQ matching: {:.2} µs per question (target < 20 µs)",
        faq_lookup_us(faq_rounds)
    );
    drop(app);
    match cold_start_ms(&db) {
        Some(ms) => println!(
            "cold start to first reply on an existing database: {ms:.1} ms (target < 100 ms)"
        ),
        None => println!("cold start: the binary did not reply"),
    }
}
