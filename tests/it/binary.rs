//! The real binary: start-up failures name what is wrong, the FAQ misses report, and a
//! whole hand-off driven over JSONL with the advisors' chat as just another chat id.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bot(args: &[&str], env: &[(&str, &str)], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(args)
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("RECERT_ADVISOR_CHAT")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    child.wait_with_output().expect("binary ends")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_database_that_cannot_be_opened_is_named_in_one_line() {
    let o = bot(&["--db", "/nonexistent/dir/x.db", "jsonl"], &[], "");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: cannot open database /nonexistent/dir/x.db"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_policy_that_does_not_validate_names_file_line_and_field() {
    let dir = tempfile::tempdir().expect("dir");
    let policy = dir.path().join("policy.toml");
    let text = include_str!("../../faq/policy.toml").replace("late = \"30\"", "late = \"thirty\"");
    std::fs::write(&policy, text).expect("write");
    let db = dir.path().join("x.db");
    let o = bot(
        &[
            "--db",
            db.to_str().unwrap(),
            "--policy",
            policy.to_str().unwrap(),
            "jsonl",
        ],
        &[],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("policy.toml: line 22: `fees.late`"), "{err}");
}

#[test]
fn a_changed_fee_in_the_policy_changes_the_answers() {
    let dir = tempfile::tempdir().expect("dir");
    let policy = dir.path().join("policy.toml");
    let text =
        include_str!("../../faq/policy.toml").replace("petition = \"25\"", "petition = \"35\"");
    std::fs::write(&policy, text).expect("write");
    let db = dir.path().join("x.db");
    let input = r#"{"chat":"c1","user":"c1","text":"what does a petition cost","at":"2026-11-24T03:00:00Z"}"#;
    let o = bot(
        &[
            "--db",
            db.to_str().unwrap(),
            "--policy",
            policy.to_str().unwrap(),
            "jsonl",
        ],
        &[],
        &format!("{input}\n"),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("$35"), "{out}");
    assert!(!out.contains("$25"), "{out}");
}

#[test]
fn faq_misses_lists_unanswered_questions_most_frequent_first() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("x.db");
    let db = db.to_str().unwrap();
    let line = |chat: &str, text: &str| {
        format!(
            r#"{{"chat":"{chat}","user":"{chat}","text":"{text}","at":"2026-11-24T03:00:00Z"}}"#
        )
    };
    let input = [
        line("a", "what's the weather like"),
        line("b", "recommend me a protein powder"),
        line("c", "What's the weather like?"),
    ]
    .join("\n");
    bot(&["--db", db, "jsonl"], &[], &format!("{input}\n"));
    let o = bot(&["--db", db, "faq", "misses"], &[], "");
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("2\t") && lines[0].to_lowercase().contains("weather"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("1\t") && lines[1].contains("protein"),
        "{out}"
    );
}

#[test]
fn a_hand_off_over_jsonl() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("x.db");
    let input = [
        r#"{"chat":"c1","user":"c1","name":"Ana","text":"talk to a person","at":"2026-11-23T18:00:00Z"}"#,
        r#"{"chat":"advisors","user":"a1","name":"Sam","button":"claim:1","at":"2026-11-23T18:01:00Z"}"#,
        r#"{"chat":"c1","user":"c1","text":"is my audit deadline 30 days?","at":"2026-11-23T18:02:00Z"}"#,
        r#"{"chat":"advisors","user":"a1","name":"Sam","text":"Yes, 30 days.","reply_to":"[#1] Ana: is my audit deadline 30 days?","at":"2026-11-23T18:03:00Z"}"#,
        r#"{"chat":"advisors","user":"a1","name":"Sam","text":"/done 1","at":"2026-11-23T18:04:00Z"}"#,
    ]
    .join("\n");
    let o = bot(
        &["--db", db.to_str().unwrap(), "jsonl"],
        &[("RECERT_ADVISOR_CHAT", "advisors")],
        &format!("{input}\n"),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let to = |chat: &str| -> Vec<String> {
        lines
            .iter()
            .filter(|v| v["chat"] == chat)
            .map(|v| v["text"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let advisors = to("advisors").join("\n");
    let trainer = to("c1").join("\n");
    assert!(
        advisors.contains("New hand-off [#1]") && advisors.contains("Ana"),
        "{advisors}"
    );
    assert!(
        advisors.contains("[#1] Ana: is my audit deadline 30 days?"),
        "{advisors}"
    );
    assert!(
        trainer.contains("Sam from the support team has joined"),
        "{trainer}"
    );
    assert!(trainer.contains("Sam: Yes, 30 days."), "{trainer}");
    assert!(
        trainer.contains("back with the recertification assistant"),
        "{trainer}"
    );
    assert!(
        !trainer.contains("Once selected for an audit"),
        "the bot spoke during the hand-off: {trainer}"
    );
    let acks = lines.iter().filter(|v| v.get("ack").is_some()).count();
    assert_eq!(acks, 5);
}

#[test]
fn a_bad_intents_file_is_named_with_the_intent_and_line() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("intents.toml");
    let good = std::fs::read_to_string("faq/intents.toml").expect("intents");
    std::fs::write(
        &path,
        good.replacen("name = \"thanks\"", "name = \"thankz\"", 1),
    )
    .unwrap();
    let db = dir.path().join("x.db");
    let args = [
        "--db",
        db.to_str().unwrap(),
        "--intents",
        path.to_str().unwrap(),
        "jsonl",
    ];
    let o = bot(&args, &[], "");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let line = good
        .lines()
        .position(|l| l.contains("name = \"thanks\""))
        .expect("thanks intent")
        + 1;
    assert!(err.contains("intents.toml"), "{err}");
    assert!(
        err.contains("`thankz`") && err.contains(&format!("line {line}")),
        "{err}"
    );
}
