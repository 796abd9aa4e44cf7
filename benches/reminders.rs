//! Times reminder sweeps over 1,000,000 trainers (release build):
//! `cargo bench --bench reminders`. Prints the seeding time, a sweep with nothing due,
//! a sweep with 10,000 due, and delivering those 10,000 through a no-op transport. Under
//! `cargo test` (no `--bench` argument) it runs the same steps on 10,000 trainers.

use std::time::Instant;

use chrono::{DateTime, Utc};
use recert_bot::app::Outgoing;
use recert_bot::reminders::{self, SweepOptions};
use recert_bot::rules::Policy;
use recert_bot::store::Store;
use recert_bot::transport::{Transport, TransportError};

/// (trainers, due): the full workload under `cargo bench`, a smoke run under `cargo test`.
fn sizes() -> (u32, u32) {
    if std::env::args().any(|a| a == "--bench") {
        (1_000_000, 10_000)
    } else {
        (10_000, 100)
    }
}

/// Accepts every message (measures the store side of delivery only).
struct Sink;

impl Transport for Sink {
    fn channel(&self) -> &'static str {
        "jsonl"
    }

    async fn send(&self, _: &Outgoing) -> Result<(), TransportError> {
        Ok(())
    }
}

/// `trainers` trainers (one million in the full run), certifications expiring over the next two years, none with a
/// reminder due on the sweep day: two `INSERT … SELECT` over a recursive counter.
async fn seed(store: &Store, trainers: u32) {
    let mut tx = store.begin().await.expect("begin");
    let conn = tx.as_sqlite().expect("a SQLite bench");
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO trainers (id, channel, user_ref, chat_ref, created_at)
         SELECT i, 'jsonl', 'u' || i, 'u' || i, '2026-01-01T00:00:00.000000Z' FROM n",
    )
    .bind(trainers)
    .execute(&mut *conn)
    .await
    .expect("trainers");
    sqlx::query(
        "INSERT INTO certifications (trainer_id, expires_on, cpr_expires_on, next_reminder_on)
         SELECT id, date('2027-06-20', '+' || (id % 700) || ' days'), '2030-01-01',
                date('2027-03-22', '+' || (id % 700) || ' days')
         FROM trainers",
    )
    .execute(&mut *conn)
    .await
    .expect("certifications");
    tx.commit().await.expect("commit");
}

/// `due` trainers whose certification expires in 30 days: the 30-day reminder is due.
async fn make_due(store: &Store, trainers: u32, due: u32) {
    sqlx::query(
        "UPDATE certifications SET expires_on = '2027-04-02', next_reminder_on = '2027-03-03'
         WHERE trainer_id % (?1 / ?2) = 0",
    )
    .bind(trainers)
    .bind(due)
    .execute(store.sqlite_pool().expect("a SQLite bench"))
    .await
    .expect("due");
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("bench.db"))
        .await
        .expect("store");
    let policy = Policy::embedded();
    // Wednesday 2027-03-03, 10:00 AM Pacific: advisors open.
    let at: DateTime<Utc> = "2027-03-03T18:00:00Z".parse().expect("instant");

    let (trainers, due) = sizes();
    let started = Instant::now();
    seed(&store, trainers).await;
    println!("seed {trainers} trainers: {:.0} ms", ms(started));

    let started = Instant::now();
    let r = reminders::sweep(&store, &policy, at, SweepOptions::default())
        .await
        .expect("sweep");
    println!(
        "sweep, nothing due: {:.2} ms ({} trainers read, {} queued)",
        ms(started),
        r.trainers,
        r.queued.len()
    );

    make_due(&store, trainers, due).await;
    let started = Instant::now();
    let r = reminders::sweep(&store, &policy, at, SweepOptions::default())
        .await
        .expect("sweep");
    println!(
        "sweep, {due} due: {:.0} ms ({} trainers read, {} queued, {} skipped)",
        ms(started),
        r.trainers,
        r.queued.len(),
        r.skipped
    );

    let started = Instant::now();
    let r = reminders::sweep(&store, &policy, at, SweepOptions::default())
        .await
        .expect("sweep");
    println!(
        "sweep again, same day: {:.2} ms ({} queued)",
        ms(started),
        r.queued.len()
    );

    let started = Instant::now();
    let d = reminders::deliver(&store, &policy, &Sink, at)
        .await
        .expect("deliver");
    println!(
        "deliver {} through a no-op transport: {:.0} ms",
        d.sent,
        ms(started)
    );
}
