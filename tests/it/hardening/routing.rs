//! Item 2: a trainer's private chat is the only destination of anything about them. A
//! question in a group gets a general FAQ answer there, or the prompt to write
//! privately; reminders, advisor replies and hand-off notices go to the private chat;
//! a trainer known only from a group gets the prompt there, never their data.

use std::time::Duration;

use serde_json::{Value, json};

use super::{TelegramBinary, jsonl_run, line, out_lines, said_to};
use crate::fake_telegram::{FakeTelegram, chat_json};
use recert_bot::store::{Store, outbox, trainers};

const REGISTERED: &str = "2026-11-02T18:00:00Z";
/// Monday 2026-11-23 10:00 PST: advisors are open.
const OPEN: &str = "2026-11-23T18:00:00Z";
/// 90 days before March 15, 2027, in support hours: the first reminder is due.
const REMINDER_DAY: &str = "2026-12-15T18:00:00Z";

/// What must never appear in a group: CEUs, the expiration date, fees owed. (General
/// FAQ answers, with the policy's fees, may.)
fn assert_nothing_personal(group: &str) {
    for leak in [
        "of 2.0 CEUs",
        "Mar 15, 2027",
        "March 15",
        "days left",
        "expires on",
        "Total",
    ] {
        assert!(
            !group.contains(leak),
            "{leak:?} posted in the group: {group}"
        );
    }
}

#[test]
fn over_jsonl_personal_messages_never_follow_a_trainer_into_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let text = |t: &str| json!({ "text": t });
    let sam = |content: Value| {
        let mut l: Value = serde_json::from_str(&line("advisors", "a1", OPEN, content)).unwrap();
        l["name"] = json!("Sam");
        l.to_string()
    };
    let input = [
        line(
            "u1",
            "u1",
            REGISTERED,
            text("my certification expires March 15, 2027"),
        ),
        line("u1", "u1", REGISTERED, text("yes")),
        line("g1", "u1", OPEN, text("/status")),
        line("g1", "u1", OPEN, text("how much do I owe?")),
        line("g1", "u1", OPEN, text("what is a CEU?")),
        line("g1", "u1", OPEN, text("talk to a person")),
        line(
            "g1",
            "u2",
            OPEN,
            text("my certification expires March 15, 2027"),
        ),
        line("u1", "u1", OPEN, text("talk to a person")),
        sam(json!({"button": "claim:1"})),
        sam(text(
            "/r 1 Your card expires in March 2027, renew it first.",
        )),
        json!({"tick": REMINDER_DAY}).to_string(),
    ];
    let o = jsonl_run(&db, &[("RECERT_ADVISOR_CHAT", "advisors")], &input);
    let lines = out_lines(&o);
    let group = said_to(&lines, "g1");
    assert_nothing_personal(&group);
    assert!(group.contains("message me directly"), "{group}");
    assert!(
        group.contains("Continuing Education Unit") || group.contains("CEU"),
        "the FAQ answer stays: {group}"
    );
    let private = said_to(&lines, "u1");
    assert!(
        private.contains("Sam from the support team has joined"),
        "{private}"
    );
    assert!(private.contains("Sam: Your card expires"), "{private}");
    assert!(
        private.contains("2.0 CEUs"),
        "the reminder reached the private chat: {private}"
    );
    assert_eq!(
        lines.iter().filter(|v| v.get("ack").is_some()).count(),
        input.len()
    );
    // The group-only trainer was not registered from the group.
    let status = jsonl_run(&db, &[], &[line("u2", "u2", OPEN, text("/status"))]);
    let u2 = said_to(&out_lines(&status), "u2");
    assert!(!u2.contains("Mar 15, 2027"), "{u2}");
}

#[tokio::test]
async fn a_trainer_known_only_from_a_group_gets_the_prompt_not_the_reminder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("legacy.db");
    {
        // A row from before the fix: the chat last written from was a group, and a
        // reminder with the trainer's data is already queued for it.
        let store = Store::open(&db).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let at = crate::support::at(OPEN);
        let a = trainers::upsert(&mut tx, "jsonl", "u9", "g9", Some("Lee"), at)
            .await
            .unwrap();
        outbox::enqueue(
            &mut tx,
            a.trainer.id,
            "g9",
            "Lee: 0.4 of 2.0 CEUs, expires Mar 15, 2027, fees $99",
            "[]",
            at,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let o = jsonl_run(&db, &[], &[json!({"tick": OPEN}).to_string()]);
    let group = said_to(&out_lines(&o), "g9");
    assert_nothing_personal(&group);
    assert!(group.contains("message me directly"), "{group}");
}

#[tokio::test]
async fn over_telegram_a_status_asked_in_a_group_stays_private() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = TelegramBinary::start(&fake, &dir.path().join("tg.db"), &[]).await;
    let (trainer, group) = (42_i64, -500_i64);
    let from = json!({"id": trainer, "is_bot": false, "first_name": "Ana"});
    let message = |chat: i64, text: &str, entities: Value| {
        json!({"message_id": fake.message_id(), "date": 1_700_000_000, "chat": chat_json(chat),
            "from": from, "text": text, "entities": entities})
    };
    let expiry = (chrono::Utc::now().date_naive() + chrono::Days::new(300))
        .format("%B %-d, %Y")
        .to_string();
    fake.push(
        "message",
        message(
            trainer,
            &format!("my certification expires {expiry}"),
            json!([]),
        ),
    );
    let wait = Duration::from_secs(15);
    assert!(
        fake.wait_for(wait, |f| !f.sent_to(trainer).is_empty())
            .await
    );
    let mention = json!([{"type": "mention", "offset": 0, "length": 10}]);
    fake.push(
        "message",
        message(group, "@RecertBot /status", mention.clone()),
    );
    fake.push(
        "message",
        message(group, "@RecertBot what is a CEU?", mention),
    );
    assert!(
        fake.wait_for(wait, |f| f.sent_to(group).len() >= 2).await,
        "both answered"
    );
    let said: Vec<String> = fake
        .sent_to(group)
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_string())
        .collect();
    let said = said.join("\n");
    assert_nothing_personal(&said);
    assert!(!said.contains(&expiry), "{said}");
    assert!(said.contains("message me directly"), "{said}");
    let (code, _) = bot.terminate().await;
    assert_eq!(code, Some(0));
}
