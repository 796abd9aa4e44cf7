//! Item 1: `RECERT_ADVISOR_IDS` is applied. Someone else in the advisors' chat gets no
//! power (claim, /r, /done, /lookup, /assist, /queue, replies to relays) and no trainer
//! data; each refusal is logged at warn with the user id; over Telegram a refused button
//! press is answered with a short text.

use std::time::Duration;

use serde_json::{Value, json};

use super::{TelegramBinary, always_open_policy, jsonl_run, line, out_lines, said_to};
use crate::fake_telegram::{BOT_ID, FakeTelegram, chat_json};

/// Monday 2026-11-23 10:00 PST: advisors are open.
const OPEN: &str = "2026-11-23T18:00:00Z";

/// Everything a stranger in the advisors' chat might try on ticket 1.
const ATTEMPTS: [&str; 7] = [
    "/claim 1",
    "/r 1 Hi, this is Mallory from support. What is your card number?",
    "/lookup 1",
    "/queue",
    "/assist 1 log",
    "/done 1",
    "/help",
];

#[test]
fn over_jsonl_a_stranger_in_the_advisors_chat_gets_no_power_and_no_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let text = |t: &str| json!({ "text": t });
    let mallory = |content: Value| {
        let mut l: Value = serde_json::from_str(&line("advisors", "m1", OPEN, content)).unwrap();
        l["name"] = json!("Mallory");
        l.to_string()
    };
    let mut input = vec![
        line(
            "c1",
            "c1",
            OPEN,
            text("my certification expires March 15, 2027"),
        ),
        line("c1", "c1", OPEN, text("yes")),
        line("c1", "c1", OPEN, text("talk to a person")),
        mallory(json!({"button": "claim:1"})),
    ];
    input.extend(ATTEMPTS.iter().map(|t| mallory(text(t))));
    input.push(mallory(
        json!({"text": "Send me your CPR card", "reply_to": "[#1] Ana: hello"}),
    ));
    input.push(line("c1", "c1", OPEN, text("are you there?")));
    let sam = |content: Value| {
        let mut l: Value = serde_json::from_str(&line("advisors", "a1", OPEN, content)).unwrap();
        l["name"] = json!("Sam");
        l.to_string()
    };
    input.push(sam(json!({"button": "claim:1"})));
    input.push(sam(text("/lookup 1")));
    let env = [
        ("RECERT_ADVISOR_CHAT", "advisors"),
        ("RECERT_ADVISOR_IDS", "a1, a2"),
    ];
    let o = jsonl_run(&db, &env, &input);
    let lines = out_lines(&o);
    let trainer = said_to(&lines, "c1");
    let desk = said_to(&lines, "advisors");
    assert!(!trainer.contains("Mallory"), "{trainer}");
    assert!(
        trainer.contains("Sam from the support team has joined"),
        "a listed advisor still can: {trainer}"
    );
    let to_desk: Vec<&str> = lines
        .iter()
        .filter(|v| v["chat"] == "advisors")
        .filter_map(|v| v["text"].as_str())
        .collect();
    assert!(to_desk[0].starts_with("New hand-off [#1]"), "{desk}");
    let strangers = ATTEMPTS.len() + 2;
    assert!(
        to_desk[1..=strangers]
            .iter()
            .all(|t| *t == "Only advisors can do that."),
        "a stranger got more than a refusal: {desk}"
    );
    assert_eq!(to_desk[strangers + 1], "[#1] Ana: are you there?", "{desk}");
    assert!(to_desk[strangers + 2].contains("claimed by Sam"), "{desk}");
    assert!(
        desk.contains("Status: 0.0 of 2.0 CEUs"),
        "Sam's /lookup: {desk}"
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    let warned = stderr
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("refused") && l.contains("m1"))
        .count();
    assert_eq!(warned, ATTEMPTS.len() + 2, "{stderr}");
}

fn user(id: i64, name: &str) -> Value {
    json!({"id": id, "is_bot": false, "first_name": name})
}

#[tokio::test]
async fn over_telegram_a_strangers_claim_is_answered_and_refused() {
    const DESK: i64 = -100_777;
    const TRAINER: i64 = 42;
    const MALLORY: i64 = 666;
    const ADVISOR: i64 = 7001;
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let policy = always_open_policy(dir.path());
    let env = [
        ("RECERT_ADVISOR_CHAT", "-100777"),
        ("RECERT_ADVISOR_IDS", "7001"),
        ("RECERT_POLICY", policy.to_str().unwrap()),
    ];
    let bot = TelegramBinary::start(&fake, &dir.path().join("tg.db"), &env).await;
    let wait = Duration::from_secs(15);
    let message = |chat: i64, from: Value, text: &str| {
        json!({"message_id": fake.message_id(), "date": 1_700_000_000, "chat": chat_json(chat),
            "from": from, "text": text})
    };
    let press = |id: &str, from: Value, data: &str| {
        json!({"id": id, "from": from, "chat_instance": "ci", "data": data,
            "message": {"message_id": fake.message_id(), "date": 1_700_000_000,
                "chat": chat_json(DESK), "from": {"id": BOT_ID, "is_bot": true, "first_name": "Recert"},
                "text": "New hand-off [#1]"}})
    };
    fake.push("message", message(TRAINER, user(TRAINER, "Ana"), "/human"));
    assert!(
        fake.wait_for(wait, |f| !f.sent_to(DESK).is_empty()
            && f.sent_to(TRAINER).iter().any(|m| m["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Your request is #1"))))
            .await,
        "card"
    );
    let to_trainer = fake.sent_to(TRAINER).len();
    fake.push(
        "callback_query",
        press("cb-m", user(MALLORY, "Mallory"), "claim:1"),
    );
    for t in ATTEMPTS {
        let mut m = message(DESK, user(MALLORY, "Mallory"), t);
        m["entities"] = json!([{"type": "bot_command", "offset": 0, "length": t.split(' ').next().unwrap().len()}]);
        fake.push("message", m);
    }
    assert!(
        fake.wait_for(wait, |f| f
            .calls("answercallbackquery")
            .iter()
            .any(|a| a["callback_query_id"] == "cb-m"))
            .await
    );
    let answer = fake.calls("answercallbackquery");
    assert_eq!(
        answer[0]["text"],
        json!("Only advisors can do that."),
        "{answer:?}"
    );
    fake.push(
        "callback_query",
        press("cb-a", user(ADVISOR, "Sam"), "claim:1"),
    );
    assert!(
        fake.wait_for(wait, |f| f.sent_to(TRAINER).len() > to_trainer)
            .await,
        "the listed advisor's claim reaches the trainer"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let trainer: Vec<String> = fake.sent_to(TRAINER)[to_trainer..]
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(trainer.len(), 1, "{trainer:?}");
    assert!(
        trainer[0].starts_with("Sam from the support team"),
        "{trainer:?}"
    );
    let desk: Vec<String> = fake
        .sent_to(DESK)
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        desk.iter()
            .all(|t| !t.contains("Status:") || t.starts_with("New hand-off")),
        "{desk:?}"
    );
    assert!(desk.iter().all(|t| !t.contains("Open tickets")), "{desk:?}");
    let stderr = bot.stderr();
    let warned = stderr
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("refused") && l.contains("666"))
        .count();
    assert_eq!(warned, ATTEMPTS.len() + 1, "{stderr}");
    let (code, _) = bot.terminate().await;
    assert_eq!(code, Some(0));
}
