//! Trainers' own situations, written blind from the domain rules: each scenario's profile
//! is seeded into a fresh database, its message is sent through the real binary's JSONL
//! protocol at its instant, and the reply must (and must not) match its patterns.
//!
//! Every `tests/data/status_*.jsonl` file is run (format: one scenario per line, see
//! `status_dev.jsonl`), plus any files named in `RECERT_STATUS_SCENARIOS`
//! (colon-separated paths). `RECERT_SCENARIO_PRINT=1` prints every reply.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, NaiveDate, Utc};
use recert_bot::conversation::NewEntry;
use recert_bot::rules::{Area, Certification, Ceu, Provider};
use recert_bot::store::{entries, trainers};

use crate::db::TestDb;
use regex::Regex;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Scenario {
    id: String,
    why: String,
    profile: Profile,
    at: DateTime<Utc>,
    ask: String,
    #[serde(default)]
    must_match: Vec<String>,
    #[serde(default)]
    must_not_match: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Profile {
    expires_on: Option<NaiveDate>,
    cpr_expires_on: Option<NaiveDate>,
    #[serde(default)]
    member: bool,
    audit_selected_on: Option<NaiveDate>,
    #[serde(default)]
    audit_done: bool,
    #[serde(default)]
    applied: bool,
    #[serde(default)]
    entries: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    ceus: String,
    area: String,
    completed_on: NaiveDate,
    provider: String,
    #[serde(default)]
    petition_approved: bool,
}

const USER: &str = "trainer";

/// The scenario files: `tests/data/status_*.jsonl` and `RECERT_STATUS_SCENARIOS`.
fn files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/data")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("status_") && n.ends_with(".jsonl"))
        })
        .collect();
    if let Ok(extra) = std::env::var("RECERT_STATUS_SCENARIOS") {
        out.extend(
            extra
                .split(':')
                .filter(|p| !p.is_empty())
                .map(PathBuf::from),
        );
    }
    out.sort();
    out
}

/// Stores the trainer's record as the bot would have it after they told it all this.
async fn seed(db: &TestDb, p: &Profile, at: DateTime<Utc>) {
    let store = db.open().await;
    let mut conn = store.acquire().await.expect("connection");
    let trainer = trainers::upsert(&mut conn, "jsonl", USER, USER, Some("Sam"), at)
        .await
        .expect("trainer")
        .trainer;
    let today = at.date_naive();
    if let Some(expires_on) = p.expires_on {
        let mut cert = Certification::new(expires_on);
        cert.cpr_expires_on = p.cpr_expires_on;
        cert.recertify_for_life = p.member;
        cert.audit_selected_on = p.audit_selected_on;
        cert.audit_closed_on = p.audit_done.then_some(today);
        cert.applied_on = p.applied.then_some(today);
        trainers::save_certification(&mut conn, trainer.id, &cert)
            .await
            .expect("certification");
    }
    for e in &p.entries {
        let entry = NewEntry {
            completed_on: e.completed_on,
            amount: Ceu::parse_ceus(&e.ceus).expect("CEUs"),
            area: Area::ALL
                .into_iter()
                .find(|a| a.label() == e.area || a.key() == e.area)
                .unwrap_or_else(|| panic!("area {}", e.area)),
            provider: Provider::from_key(&e.provider)
                .unwrap_or_else(|| panic!("provider {}", e.provider)),
            title: None,
        };
        let id = entries::insert(&mut conn, trainer.id, &entry, at)
            .await
            .expect("entry");
        if e.petition_approved {
            entries::approve_petition(&mut conn, trainer.id, id)
                .await
                .expect("approve");
        }
    }
    drop(conn);
    store.close().await;
}

/// Sends the scenario's message through `recert-bot jsonl` and returns every text sent.
fn ask(db: &TestDb, s: &Scenario) -> String {
    let line = serde_json::json!({"chat": USER, "user": USER, "text": s.ask, "at": s.at});
    let mut child = Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(["--db", &db.arg(), "jsonl"])
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("RECERT_ADVISOR_CHAT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "{line}").expect("write");
    drop(stdin);
    let out = child.wait_with_output().expect("binary ends");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["chat"] == USER)
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What is wrong with the reply, if anything.
fn judge(s: &Scenario, reply: &str) -> Vec<String> {
    let re = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("{}: {p}: {e}", s.id));
    let mut wrong = Vec::new();
    for p in &s.must_match {
        if !re(p).is_match(reply) {
            wrong.push(format!("does not match {p}"));
        }
    }
    for p in &s.must_not_match {
        if let Some(m) = re(p).find(reply) {
            wrong.push(format!("matches {p} at {:?}", m.as_str()));
        }
    }
    wrong
}

#[tokio::test]
async fn every_scenario_gets_a_true_reply_through_the_binary() {
    let files = files();
    assert!(!files.is_empty(), "no status scenario files");
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        let scenarios: Vec<Scenario> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{file:?}: {l}: {e}")))
            .collect();
        let mut passed = 0;
        for s in &scenarios {
            let db = TestDb::fresh("bot.db").await;
            seed(&db, &s.profile, s.at).await;
            let reply = ask(&db, s);
            if std::env::var_os("RECERT_SCENARIO_PRINT").is_some() {
                eprintln!(
                    "== {} ({}) asks {:?} at {}\n{reply}\n",
                    s.id, s.why, s.ask, s.at
                );
            }
            let wrong = judge(s, &reply);
            if wrong.is_empty() {
                passed += 1;
            } else {
                failures.push(format!(
                    "{} ({}): {}\n  asked {:?} at {}\n  {}\n  reply:\n{reply}",
                    s.id,
                    s.why,
                    file.display(),
                    s.ask,
                    s.at,
                    wrong.join("\n  ")
                ));
            }
        }
        eprintln!(
            "{}: {passed} of {} scenarios pass",
            file.display(),
            scenarios.len()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
