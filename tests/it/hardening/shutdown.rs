//! Item 6: SIGTERM stops `recert-bot telegram` with status 0 within 10 s, even with the
//! Bot API answering 500 and a burst of updates in hand (it took 51 s; platforms send
//! SIGKILL after 10 s). The figure is printed.

use std::time::Duration;

use serde_json::json;

use super::TelegramBinary;
use crate::fake_telegram::{FakeTelegram, chat_json};

#[tokio::test]
async fn sigterm_exits_0_within_10_s_with_the_api_failing_and_a_burst_queued() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = TelegramBinary::start(&fake, &dir.path().join("tg.db"), &[]).await;
    for i in 0..500_i64 {
        let chat = 1000 + i % 50;
        fake.push(
            "message",
            json!({"message_id": fake.message_id(), "date": 1_700_000_000, "chat": chat_json(chat),
                "from": {"id": chat, "is_bot": false, "first_name": "Ana"}, "text": "/help"}),
        );
    }
    assert!(
        fake.wait_for(Duration::from_secs(20), |f| !f
            .calls("sendmessage")
            .is_empty())
            .await,
        "the burst is being answered"
    );
    fake.fail_everything(true);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let answered = fake.calls("sendmessage").len();
    let (code, took) = bot.terminate().await;
    println!("SIGTERM to exit: {took:?} (sendMessage calls before it: {answered} of 500+)");
    assert_eq!(code, Some(0), "a clean stop");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}
