//! The holes found when the bot was attacked (issue 12), each closed and checked through
//! the real binary: JSONL on stdin/stdout, and Telegram against the fake Bot API.
//!
//! - `instants`: `at` / `tick` outside 2000–2100 are input errors.
//! - `advisors`: the advisor allow-list is applied from the settings.
//! - `routing`: personal messages go only to a trainer's private chat.
//! - `faults`: a failed write transaction does not jam the store.
//! - `voice_files`: the JSONL `voice` and `file` paths read only regular files.
//! - `one_process`: one process per SQLite file; outbox rows are claimed.
//! - `updates`: what the Bot API hands over: unknown kinds, unparseable updates.
//! - `shutdown`: SIGTERM stops the Telegram bot within 10 s.

mod advisors;
mod faults;
mod instants;
mod one_process;
mod routing;
mod shutdown;
mod updates;
mod voice_files;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Runs `recert-bot jsonl` on `db` with `env`, feeding `lines`; returns the process
/// output (stdout, stderr, status).
pub fn jsonl_run(db: &Path, env: &[(&str, &str)], lines: &[String]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .arg("jsonl")
        .arg("--db")
        .arg(db)
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("RECERT_ADVISOR_CHAT")
        .env_remove("RECERT_ADVISOR_IDS")
        .env_remove("RECERT_STT_URL")
        .env_remove("DATABASE_URL")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().expect("stdin");
    for line in lines {
        writeln!(stdin, "{line}").expect("write a line");
    }
    drop(stdin);
    child.wait_with_output().expect("the binary ends")
}

/// The JSON lines a run wrote on stdout.
pub fn out_lines(o: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// The texts of the messages to `chat`, joined.
pub fn said_to(lines: &[Value], chat: &str) -> String {
    lines
        .iter()
        .filter(|v| v["chat"] == chat)
        .filter_map(|v| v["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A JSONL message line from `user` in `chat` at `at` with `content` merged in.
pub fn line(chat: &str, user: &str, at: &str, content: Value) -> String {
    let mut l = serde_json::json!({"chat": chat, "user": user, "name": "Ana", "at": at});
    if let (Some(l), Some(c)) = (l.as_object_mut(), content.as_object()) {
        l.extend(c.clone());
    }
    l.to_string()
}

/// The embedded policy with advisors open around the clock (00:00–23:59 every day, no
/// holidays), for tests that run on the real clock.
pub fn always_open_policy(dir: &Path) -> std::path::PathBuf {
    let days = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let text = include_str!("../../faq/policy.toml");
    let mut out = String::new();
    let mut in_closed = false;
    for l in text.lines() {
        let key = l.split('=').next().unwrap_or("").trim();
        if in_closed {
            in_closed = !l.trim_end().ends_with(']');
            continue;
        }
        if days.contains(&key) {
            out.push_str(&format!("{key} = \"00:00-23:59\"\n"));
        } else if key == "closed_dates" {
            out.push_str("closed_dates = []\n");
            in_closed = !l.trim_end().ends_with(']');
        } else {
            out.push_str(l);
            out.push('\n');
        }
    }
    let path = dir.join("always-open.toml");
    std::fs::write(&path, out).expect("write the policy");
    path
}

/// `recert-bot telegram` against a fake Bot API, its stderr collected.
pub struct TelegramBinary {
    pub child: tokio::process::Child,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl TelegramBinary {
    /// Starts the binary on `db` with `env` and waits for its first getUpdates.
    pub async fn start(
        fake: &crate::fake_telegram::FakeTelegram,
        db: &Path,
        env: &[(&str, &str)],
    ) -> Self {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_recert-bot"))
            .arg("telegram")
            .arg("--db")
            .arg(db)
            .env_remove("RECERT_ADVISOR_CHAT")
            .env_remove("RECERT_ADVISOR_IDS")
            .env_remove("RECERT_STT_URL")
            .env_remove("DATABASE_URL")
            .env("TELOXIDE_TOKEN", "123:TEST")
            .env("TELOXIDE_API_URL", fake.url.as_str())
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the binary starts");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let pipe = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        tokio::spawn(async move {
            use tokio::io::AsyncBufReadExt as _;
            let mut lines = tokio::io::BufReader::new(pipe).lines();
            while let Ok(Some(l)) = lines.next_line().await {
                let mut s = sink.lock().unwrap();
                s.push_str(&l);
                s.push('\n');
            }
        });
        let started = fake
            .wait_for(std::time::Duration::from_secs(20), |f| {
                !f.calls("getupdates").is_empty()
            })
            .await;
        let bot = Self { child, stderr };
        assert!(started, "the bot polls: {}", bot.stderr());
        bot
    }

    /// What the binary logged so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends SIGTERM; returns the exit code and how long the exit took.
    pub async fn terminate(mut self) -> (Option<i32>, std::time::Duration) {
        let pid = self.child.id().expect("running");
        let started = std::time::Instant::now();
        let killed = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let status = tokio::time::timeout(std::time::Duration::from_secs(60), self.child.wait())
            .await
            .expect("the bot exits within a minute")
            .expect("wait");
        (status.code(), started.elapsed())
    }
}
