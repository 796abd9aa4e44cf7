//! Item 5: one process per SQLite file, and outbox rows claimed by one worker.
//!
//! - Two processes started at once on a new database: one runs, the other prints one
//!   `error:` line and exits 1 (it once failed with "table trainers already exists").
//! - Two delivery workers at once never send the same row (two `remind` sweeps once
//!   sent 363 of 2,000 trainers the same reminder twice).
//! - A `remind` killed mid-delivery and run again: a reminder goes out twice only when
//!   the kill fell between its send and its mark, so at most once per kill.

use std::collections::HashMap;
use std::io::BufRead as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use recert_bot::app::Outgoing;
use recert_bot::store::{Store, outbox, trainers};
use recert_bot::transport::{Transport, TransportError};

use crate::support::{at, spawn_app};

/// Monday 2026-11-23 10:00 PST: advisors are open, so reminders go out.
const OPEN: &str = "2026-11-23T18:00:00Z";

fn jsonl(db: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(["jsonl", "--db"])
        .arg(db)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

#[test]
fn a_second_process_on_one_database_exits_with_one_error_line() {
    for round in 0..6 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new.db");
        let mut pair = [jsonl(&db), jsonl(&db)];
        let deadline = Instant::now() + Duration::from_secs(15);
        let ended = loop {
            let exited: Vec<usize> = (0..2)
                .filter(|&i| pair[i].try_wait().unwrap().is_some())
                .collect();
            if !exited.is_empty() || Instant::now() > deadline {
                break exited;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(
            ended.len(),
            1,
            "round {round}: exactly one of the two stops at once"
        );
        let (loser, winner) = (ended[0], 1 - ended[0]);
        let out = pair[loser].wait_with_output_ref();
        assert_eq!(out.0, Some(1), "round {round}");
        let err = out.1;
        assert_eq!(err.trim_end().lines().count(), 1, "round {round}: {err}");
        assert!(
            err.starts_with("error: database ")
                && err.contains("in use by another recert-bot process"),
            "{err}"
        );
        assert!(!err.contains("migrat"), "{err}");
        drop(pair[winner].stdin.take());
        let status = pair[winner].wait().unwrap();
        assert!(status.success(), "round {round}: the first one ran on");
    }
}

trait WaitRef {
    fn wait_with_output_ref(&mut self) -> (Option<i32>, String);
}

impl WaitRef for Child {
    fn wait_with_output_ref(&mut self) -> (Option<i32>, String) {
        let code = self.wait().unwrap().code();
        let mut err = String::new();
        if let Some(mut e) = self.stderr.take() {
            std::io::Read::read_to_string(&mut e, &mut err).unwrap();
        }
        (code, err)
    }
}

/// Queues one reminder-like outbox row for each of `n` trainers `t0`, `t1`, ….
async fn seed(store: &Store, n: usize) {
    let mut tx = store.begin().await.unwrap();
    for i in 0..n {
        let chat = format!("t{i}");
        let a = trainers::upsert(&mut tx, "jsonl", &chat, &chat, None, at(OPEN))
            .await
            .unwrap();
        outbox::enqueue(
            &mut tx,
            a.trainer.id,
            &chat,
            &format!("reminder for {chat}"),
            "[]",
            at(OPEN),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// A transport that takes a moment per message and counts what it sent.
#[derive(Default)]
struct Slow {
    sent: Mutex<Vec<String>>,
}

impl Transport for Slow {
    fn channel(&self) -> &'static str {
        "jsonl"
    }

    async fn send(&self, message: &Outgoing) -> Result<(), TransportError> {
        tokio::time::sleep(Duration::from_millis(1)).await;
        self.sent.lock().unwrap().push(message.chat.to_string());
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_delivery_workers_never_send_one_row() {
    let t = spawn_app().await;
    seed(t.app.store(), 400).await;
    let transport = Slow::default();
    let (a, b) = (t.app.clone(), t.app.clone());
    let (ra, rb) = tokio::join!(
        a.deliver_outbox(&transport, at(OPEN)),
        b.deliver_outbox(&transport, at(OPEN))
    );
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    let sent = transport.sent.lock().unwrap().clone();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for chat in &sent {
        *counts.entry(chat).or_default() += 1;
    }
    let twice = counts.values().filter(|&&c| c > 1).count();
    println!(
        "two workers: {} and {} sent, {twice} rows sent twice",
        ra.sent, rb.sent
    );
    assert_eq!(twice, 0, "rows sent twice");
    assert_eq!(counts.len(), 400, "every row sent");
    assert!(
        ra.sent > 0 && rb.sent > 0,
        "both workers took a share: {ra:?} {rb:?}"
    );
}

fn remind(db: &Path, at: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(["remind", "--at", at, "--db"])
        .arg(db)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts")
}

#[tokio::test]
async fn a_remind_killed_mid_delivery_sends_at_most_one_twice_per_kill() {
    const TRAINERS: usize = 2000;
    const KILLS: usize = 3;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("remind.db");
    {
        let store = Store::open(&db).await.unwrap();
        seed(&store, TRAINERS).await;
    }
    let mut printed: Vec<String> = Vec::new();
    // Each run starts a quarter of an hour after the last, past the claims' lease.
    let start = at(OPEN);
    for run in 0..=KILLS {
        let when = (start + chrono::Duration::minutes(15 * run as i64)).to_rfc3339();
        let mut child = remind(&db, &when);
        let out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut lines = out.lines();
        let mut read = 0;
        while let Some(Ok(l)) = lines.next() {
            printed.push(l);
            read += 1;
            if run < KILLS && read == 150 {
                child.kill().unwrap();
            }
        }
        child.wait().unwrap();
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for l in &printed {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        *counts
            .entry(v["chat"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let twice = counts.values().filter(|&&c| c > 1).count();
    println!("{TRAINERS} reminders, {KILLS} SIGKILLs mid-delivery: {twice} printed twice");
    assert_eq!(counts.len(), TRAINERS, "every reminder went out");
    assert!(counts.values().all(|&c| c <= 2));
    assert!(twice <= KILLS, "{twice} duplicates for {KILLS} kills");
}
