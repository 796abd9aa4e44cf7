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

mod instants;

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
