//! The JSONL protocol end to end in-process, with a fake bot behind the transport, and
//! the real binary's `--help`.

use std::io::Cursor;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use recert_bot::app::{AppError, Button, Content, Incoming, Outgoing};
use recert_bot::domain::ChatId;
use recert_bot::store::StoreError;
use recert_bot::transport::jsonl::{JsonlOut, run};
use recert_bot::transport::{Handler, Transport};

/// A bot that echoes, offers buttons on "choose", fails on "boom" and records what it got.
#[derive(Default)]
struct FakeBot {
    seen: Mutex<Vec<Incoming>>,
}

fn say(chat: impl Into<ChatId>, text: impl Into<String>) -> Outgoing {
    Outgoing {
        chat: chat.into(),
        text: text.into(),
        buttons: Vec::new(),
        document: None,
        card: None,
        if_undelivered: None,
    }
}

impl FakeBot {
    fn reply(&self, message: Incoming) -> Result<Vec<Outgoing>, AppError> {
        let chat = message.chat.clone();
        self.seen.lock().expect("lock").push(message.clone());
        let text = match message.content {
            Content::Text(text) => text,
            Content::Button(data) => return Ok(vec![say(&chat, format!("pressed {data}"))]),
            other => return Ok(vec![say(&chat, format!("got {other:?}"))]),
        };
        Ok(match text.as_str() {
            "boom" => {
                return Err(AppError::Store(StoreError::Sqlx(sqlx::Error::PoolTimedOut)));
            }
            "choose" => vec![
                say(&chat, "Saving 0.5 CEU."),
                Outgoing {
                    buttons: vec![
                        Button {
                            label: "Save".into(),
                            data: "save".into(),
                        },
                        Button {
                            label: "Cancel".into(),
                            data: "cancel".into(),
                        },
                    ],
                    ..say(&chat, "Save it?")
                },
            ],
            _ if text.len() > 1000 => {
                vec![say(&chat, format!("long message of {} bytes", text.len()))]
            }
            _ => vec![say(&chat, format!("you said {text}"))],
        })
    }
}

impl Handler for FakeBot {
    async fn handle(&self, message: Incoming) -> Result<Vec<Outgoing>, AppError> {
        self.reply(message)
    }

    async fn tick(&self, at: DateTime<Utc>) -> Result<Vec<Outgoing>, AppError> {
        Ok(vec![say(
            "c9",
            format!("reminder as of {}", at.to_rfc3339()),
        )])
    }
}

/// Runs the transport over `input`; returns the output lines and what the bot received.
async fn session(input: impl Into<Vec<u8>>) -> (Vec<String>, Vec<Incoming>) {
    let bot = FakeBot::default();
    let out = JsonlOut::new(Vec::new());
    run(&bot, Cursor::new(input.into()), &out)
        .await
        .expect("transport runs to the end");
    let text = String::from_utf8(out.into_inner()).expect("output is UTF-8");
    let lines = text.lines().map(str::to_string).collect();
    (lines, bot.seen.into_inner().expect("lock"))
}

fn lines(expected: &[&str]) -> Vec<String> {
    expected.iter().map(|s| (*s).to_string()).collect()
}

#[tokio::test]
async fn replies_come_before_their_ack_and_buttons_only_when_offered() {
    let input = [
        r#"{"chat":"c1","user":"u1","text":"hello","at":"2026-11-23T18:00:00Z"}"#,
        r#"{"chat":"c1","user":"u1","text":"choose"}"#,
        r#"{"chat":"c1","user":"u1","button":"save"}"#,
        r#"{"tick":"2026-12-01T10:00:00-08:00"}"#,
    ];
    let (output, _) = session(input.join("\n")).await;
    let expected = [
        r#"{"chat":"c1","text":"you said hello"}"#,
        r#"{"ack":1}"#,
        r#"{"chat":"c1","text":"Saving 0.5 CEU."}"#,
        r#"{"chat":"c1","text":"Save it?","buttons":[{"label":"Save","data":"save"},{"label":"Cancel","data":"cancel"}]}"#,
        r#"{"ack":2}"#,
        r#"{"chat":"c1","text":"pressed save"}"#,
        r#"{"ack":3}"#,
        r#"{"chat":"c9","text":"reminder as of 2026-12-01T18:00:00+00:00"}"#,
        r#"{"ack":4}"#,
    ];
    assert_eq!(output, lines(&expected));
}

#[tokio::test]
async fn invalid_lines_get_an_error_and_an_ack_and_the_stream_goes_on() {
    let input = [
        "{not json",
        "{}",
        "",
        r#"{"chat":"c1","user":"u1","text":"a","button":"b"}"#,
        r#"{"chat":"c1","user":"u1","text":"a","at":"yesterday"}"#,
        r#"{"user":"u1","text":"a"}"#,
        r#"{"chat":"c1","user":"u1","text":"still here"}"#,
    ];
    let (output, seen) = session(input.join("\r\n") + "\r\n").await;
    assert_eq!(output.len(), 13, "{output:#?}");
    assert!(
        output[0].starts_with(r#"{"error":"not valid JSON: "#)
            && output[0].ends_with(r#","line":1}"#),
        "{}",
        output[0]
    );
    let expected = [
        r#"{"ack":1}"#,
        r#"{"error":"empty object: expected a message, a button press or a tick","line":2}"#,
        r#"{"ack":2}"#,
        r#"{"ack":3}"#,
        r#"{"error":"a message carries only one of \"text\", \"button\", \"voice\" or \"file\", found \"text\" and \"button\"","line":4}"#,
        r#"{"ack":4}"#,
        r#"{"error":"\"at\" is not an RFC 3339 instant like 2026-11-23T18:00:00Z: \"yesterday\"","line":5}"#,
        r#"{"ack":5}"#,
        r#"{"error":"missing \"chat\"","line":6}"#,
        r#"{"ack":6}"#,
        r#"{"chat":"c1","text":"you said still here"}"#,
        r#"{"ack":7}"#,
    ];
    assert_eq!(output[1..], lines(&expected));
    assert_eq!(seen.len(), 1, "only the valid line reached the bot");
}

#[tokio::test]
async fn ids_names_times_and_numeric_chats_reach_the_bot() {
    let dir = tempfile::tempdir().expect("dir");
    let cert = dir.path().join("cert.pdf");
    std::fs::write(&cert, b"%PDF-1.4").expect("write");
    let file_line = serde_json::json!({"chat": "c1", "user": "u1", "file": cert}).to_string();
    let input = [
        r#"{"chat":-100123,"user":42,"text":"hi","id":7,"name":"Sam","at":"2026-11-23T10:00:00-08:00"}"#,
        r#"{"chat":"c1","user":"u1","text":"hi","id":"m-2"}"#,
        &file_line,
    ];
    let before = Utc::now();
    let (output, seen) = session(input.join("\n")).await;
    assert_eq!(output[0], r#"{"chat":"-100123","text":"you said hi"}"#);
    let first = &seen[0];
    assert_eq!(
        (first.chat.as_str(), first.user.as_str()),
        ("-100123", "42")
    );
    assert_eq!(first.message_id.as_deref(), Some("7"));
    assert_eq!(first.name.as_deref(), Some("Sam"));
    assert_eq!(first.at.to_rfc3339(), "2026-11-23T18:00:00+00:00");
    assert_eq!(seen[1].message_id.as_deref(), Some("m-2"));
    assert!(
        seen[1].at >= before,
        "a line without \"at\" gets the system clock"
    );
    let file = Content::File {
        reference: cert.to_string_lossy().into_owned(),
        caption: None,
    };
    assert_eq!(seen[2].content, file);
}

#[tokio::test]
async fn a_failing_bot_gets_an_apology_and_the_stream_goes_on() {
    let input = [
        r#"{"chat":"c1","user":"u1","text":"boom"}"#,
        r#"{"chat":"c1","user":"u1","text":"again"}"#,
    ];
    let (output, _) = session(input.join("\n")).await;
    assert_eq!(output.len(), 4, "{output:#?}");
    assert!(
        output[0].starts_with(r#"{"chat":"c1","text":"Sorry, something went wrong"#),
        "{}",
        output[0]
    );
    let expected = [
        r#"{"ack":1}"#,
        r#"{"chat":"c1","text":"you said again"}"#,
        r#"{"ack":2}"#,
    ];
    assert_eq!(output[1..], lines(&expected));
}

#[tokio::test]
async fn long_lines_and_invalid_utf8_do_not_kill_the_stream() {
    let long_text = "x".repeat(100 * 1024);
    let mut input =
        format!("{{\"chat\":\"c1\",\"user\":\"u1\",\"text\":\"{long_text}\"}}\n").into_bytes();
    input.extend_from_slice(b"{\"chat\":\"c1\",\"user\":\"u1\",\"text\":\"caf\xe9\"}\n");
    input.extend_from_slice(&vec![b'y'; 3 << 20]);
    input.extend_from_slice(b"\n{\"chat\":\"c1\",\"user\":\"u1\",\"text\":\"ok\"}");
    let (output, _) = session(input).await;
    let expected = [
        r#"{"chat":"c1","text":"long message of 102400 bytes"}"#,
        r#"{"ack":1}"#,
        r#"{"error":"not valid UTF-8","line":2}"#,
        r#"{"ack":2}"#,
        r#"{"error":"line longer than 1048576 bytes","line":3}"#,
        r#"{"ack":3}"#,
        r#"{"chat":"c1","text":"you said ok"}"#,
        r#"{"ack":4}"#,
    ];
    assert_eq!(output, lines(&expected));
}

#[tokio::test]
async fn the_writer_is_a_transport_for_proactive_messages() {
    let out = JsonlOut::new(Vec::new());
    assert_eq!(out.channel(), "jsonl");
    out.send(&say("adv", "Trainer Sam asks about fees"))
        .await
        .expect("sent");
    let written = String::from_utf8(out.into_inner()).expect("utf8");
    assert_eq!(
        written,
        "{\"chat\":\"adv\",\"text\":\"Trainer Sam asks about fees\"}\n"
    );
}

fn recert_bot(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_recert-bot"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn the_binary_lists_its_commands_and_refuses_bad_instants() {
    let help = recert_bot(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    let words = [
        "telegram",
        "console",
        "jsonl",
        "remind",
        "faq",
        "--db",
        "--policy",
        "--faq-dir",
        "DATABASE_URL",
    ];
    for word in words {
        assert!(text.contains(word), "--help lacks {word}:\n{text}");
    }
    let remind = recert_bot(&["remind", "--help"]);
    let text = String::from_utf8_lossy(&remind.stdout);
    assert!(
        text.contains("--at") && text.contains("--dry-run"),
        "{text}"
    );
    let bad = recert_bot(&["remind", "--at", "tomorrow"]);
    assert!(!bad.status.success());
    assert!(bad.stdout.is_empty(), "nothing on stdout for a usage error");
}

#[tokio::test]
async fn the_console_numbers_buttons_and_takes_the_number_as_a_press() {
    let bot = FakeBot::default();
    let mut output = Vec::new();
    let input = Cursor::new("choose\n2\n/quit\nnever read\n");
    recert_bot::transport::console::run(&bot, input, &mut output, "sam")
        .await
        .expect("console runs");
    let text = String::from_utf8(output).expect("utf8");
    assert!(
        text.starts_with(recert_bot::transport::console::GREETING),
        "{text}"
    );
    assert!(text.contains("Save it?\n[1] Save  [2] Cancel\n"), "{text}");
    assert!(text.contains("sam> pressed cancel\n"), "{text}");
    assert!(text.contains("[to chat c9] reminder as of"), "{text}");
    let seen = bot.seen.into_inner().expect("lock");
    let contents: Vec<_> = seen.iter().map(|m| m.content.clone()).collect();
    let expected = [
        Content::Text("choose".into()),
        Content::Button("cancel".into()),
    ];
    assert_eq!(contents, expected);
    assert!(
        seen.iter()
            .all(|m| m.chat == "console" && m.name.as_deref() == Some("sam"))
    );
}
