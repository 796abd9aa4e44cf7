//! Item 7: what the Bot API hands over. Only messages and button presses are asked
//! for; an update that does not parse is logged with its id and the parse error, never
//! its text or names; a `message_reaction` neither crashes the bot nor comes back.

use std::time::Duration;

use serde_json::json;

use super::TelegramBinary;
use crate::fake_telegram::{FakeTelegram, chat_json};

#[tokio::test]
async fn odd_updates_are_skipped_by_id_without_their_content_in_the_log() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tg.db");
    let bot = TelegramBinary::start(&fake, &db, &[]).await;
    let reaction = fake.push(
        "message_reaction",
        json!({"chat": chat_json(77), "message_id": 5, "date": 1_700_000_000,
            "user": {"id": 77, "is_bot": false, "first_name": "Zelda-Private"},
            "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "👍"}]}),
    );
    let broken = fake.push(
        "message",
        json!({"message_id": 6, "date": "card 4242 4242 4242 4242", "chat": chat_json(77),
            "from": {"id": 77, "is_bot": false, "first_name": "Zelda-Private"}, "text": "card 4242"}),
    );
    fake.push(
        "message",
        json!({"message_id": 7, "date": 1_700_000_000, "chat": chat_json(77),
            "from": {"id": 77, "is_bot": false, "first_name": "Zelda"}, "text": "/help"}),
    );
    let wait = Duration::from_secs(15);
    assert!(
        fake.wait_for(wait, |f| !f.sent_to(77).is_empty()).await,
        "still answering"
    );
    let confirmed = |f: &FakeTelegram| {
        f.calls("getupdates")
            .iter()
            .any(|b| b["offset"].as_i64().unwrap_or(0) > broken)
    };
    assert!(
        fake.wait_for(wait, confirmed).await,
        "the odd updates are confirmed"
    );
    for call in fake.calls("getupdates") {
        let mut kinds: Vec<&str> = call["allowed_updates"]
            .as_array()
            .map(|a| a.iter().filter_map(|k| k.as_str()).collect())
            .unwrap_or_default();
        kinds.sort_unstable();
        assert_eq!(kinds, ["callback_query", "message"], "{call}");
    }
    let log = bot.stderr();
    assert!(
        log.lines()
            .any(|l| l.contains("WARN") && l.contains(&format!("update_id={broken}"))),
        "{log}"
    );
    assert!(
        !log.contains("4242") && !log.contains("Zelda"),
        "content logged: {log}"
    );
    assert!(!log.contains("panicked"), "{log}");
    let (code, _) = bot.terminate().await;
    assert_eq!(code, Some(0));
    // A restart does not meet them again.
    let calls = fake.calls("getupdates").len();
    let again = TelegramBinary::start(&fake, &db, &[]).await;
    assert!(
        fake.wait_for(wait, |f| f.calls("getupdates").len() > calls + 1)
            .await
    );
    assert!(!again.stderr().contains(&format!("update_id={reaction}")));
    let (code, _) = again.terminate().await;
    assert_eq!(code, Some(0));
}
