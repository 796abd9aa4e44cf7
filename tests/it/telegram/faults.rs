//! The Telegram transport when the Bot API fails the way production does: 5xx answers
//! (an HTML 502 page too), a 429 on one chat, a flooded advisors' chat, a trainer who
//! blocked the bot; and messages teloxide cannot fully read.

use std::time::Duration;

use recert_bot::app::Outgoing;
use recert_bot::transport::Transport;
use recert_bot::transport::telegram::{self, Outbox, Retry, TelegramSender};
use serde_json::json;
use teloxide::adaptors::throttle::Limits;
use tokio::sync::watch;

use super::{ADVISORS, FAST, WAIT, db, replies_after, say, start, text_message, user};
use crate::fake_telegram::{Answer, FakeTelegram, chat_json};
use recert_bot::retry::Backoff;
use recert_bot::transport::telegram::Mode;

/// The reply outbox alone over the fake, on its own database.
struct Sending {
    sender: TelegramSender,
    _stop: watch::Sender<bool>,
    _db: crate::db::TestDb,
}

async fn sending(fake: &FakeTelegram, limits: Limits) -> Sending {
    let bot = teloxide::Bot::new("123:TEST").set_api_url(fake.url.clone());
    let db = db().await;
    let store = db.open().await;
    let api = telegram::api::Api::new(&bot).expect("api");
    let retry = Retry {
        backoff: Backoff::new(Duration::from_millis(50), Duration::from_millis(200)),
    };
    let outbox = Outbox::new(store, api, limits, retry.backoff).joining_in(Some(ADVISORS));
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(outbox.clone().run(stopped));
    Sending {
        sender: TelegramSender::new(outbox),
        _stop: stop,
        _db: db,
    }
}

async fn queue(s: &Sending, chat: i64, text: &str) {
    s.sender
        .send(&Outgoing::text(chat.to_string(), text))
        .await
        .expect("queued");
}

#[tokio::test]
async fn a_500_and_an_html_502_are_sent_again_until_accepted() {
    let fake = FakeTelegram::start().await;
    let s = sending(&fake, FAST).await;
    fake.script(7, &[Answer::Json500, Answer::Html502]);
    queue(&s, 7, "Your status").await;
    assert!(fake.wait_for(WAIT, |f| f.sent_to(7).len() == 1).await);
    let attempts = fake.attempts_to(7);
    assert_eq!(attempts.len(), 3, "refused twice, then accepted");
    assert!(attempts.iter().all(|a| a["text"] == "Your status"));
}

#[tokio::test]
async fn a_429_on_the_advisors_chat_holds_up_no_other_chat() {
    let fake = FakeTelegram::start().await;
    let s = sending(&fake, FAST).await;
    fake.script(ADVISORS, &[Answer::RetryAfter(20)]);
    queue(&s, ADVISORS, "[#1] Ana asks for a person").await;
    queue(&s, ADVISORS, "[#2] Ben asks for a person").await;
    for chat in 1..=5 {
        queue(&s, chat, "first").await;
        queue(&s, chat, "second").await;
    }
    assert!(
        fake.wait_for(WAIT, |f| (1..=5).all(|c| f.sent_to(c).len() == 2))
            .await,
        "every trainer answered while the advisors' chat waits out its 20 s"
    );
    assert!(fake.sent_to(ADVISORS).is_empty());
    assert_eq!(
        fake.attempts_to(ADVISORS).len(),
        1,
        "the advisors' chat was not tried again before its retry_after"
    );
    assert_eq!(
        super::texts(&fake.sent_to(1)),
        ["first", "second"],
        "in order"
    );
}

#[tokio::test]
async fn a_flooded_advisors_chat_holds_up_no_trainer() {
    let fake = FakeTelegram::start().await;
    // Telegram's own limits: 20 a minute in a group, one a second in a private chat.
    let s = sending(&fake, Limits::default()).await;
    for n in 0..30 {
        queue(&s, ADVISORS, &format!("[#{n}] a trainer asks for a person")).await;
    }
    for chat in 1..=10 {
        queue(&s, chat, "A person will reply here").await;
    }
    assert!(
        fake.wait_for(WAIT, |f| (1..=10).all(|c| f.sent_to(c).len() == 1))
            .await,
        "every trainer answered"
    );
    let advisors = fake.sent_to(ADVISORS).len();
    assert!(
        (1..30).contains(&advisors),
        "the advisors' chat goes at its own pace: {advisors} of 30 sent"
    );
}

#[tokio::test]
async fn a_trainer_who_blocked_the_bot_is_not_written_to_until_they_write_again() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let bot = start(&fake, &db, Mode::Polling).await;
    let chat = 8;
    fake.script(chat, &[Answer::Blocked]);
    fake.push("message", text_message(&fake, chat, chat, "/help"));
    assert!(
        fake.wait_for(WAIT, |f| f.attempts_to(chat).len() == 1)
            .await
    );
    // Another trainer's conversation goes on meanwhile.
    assert!(!say(&fake, 9, "/help").await.is_empty());
    assert_eq!(
        fake.attempts_to(chat).len(),
        1,
        "not tried again after a 403"
    );
    // They unblocked the bot and write: answered again.
    let before = fake.sent_to(chat).len();
    fake.push("message", text_message(&fake, chat, chat, "/help"));
    assert!(!replies_after(&fake, chat, before).await.is_empty());
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn a_text_with_an_entity_teloxide_does_not_know_is_read_as_text_and_dice_get_the_polite_reply()
 {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let bot = start(&fake, &db, Mode::Polling).await;
    let chat = 11;
    let mut help = text_message(&fake, chat, chat, "/help tomorrow at 5");
    help["entities"] = json!([{"type": "bot_command", "offset": 0, "length": 5},
        {"type": "date_time", "offset": 6, "length": 13, "unix_time": 1_700_000_000}]);
    fake.push("message", help);
    let s = replies_after(&fake, chat, 0).await.join("\n");
    assert!(!s.contains("can't read"), "read as text: {s}");
    let before = fake.sent_to(chat).len();
    fake.push(
        "message",
        json!({"message_id": fake.message_id(), "date": 1_700_000_000, "chat": chat_json(chat),
            "from": user(chat), "dice": {"emoji": "🎲", "value": 3}}),
    );
    let s = replies_after(&fake, chat, before).await.join("\n");
    assert!(s.contains("can't read that kind of message"), "{s}");
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn a_group_upgraded_to_a_supergroup_gets_its_messages_at_the_new_id() {
    let fake = FakeTelegram::start().await;
    let s = sending(&fake, FAST).await;
    fake.script(-500, &[Answer::Migrated(-100_500)]);
    queue(&s, -500, "[#3] Ana asks for a person").await;
    queue(&s, -500, "[#4] Ben asks for a person").await;
    assert!(
        fake.wait_for(WAIT, |f| f.sent_to(-100_500).len() == 2)
            .await
    );
    assert_eq!(
        super::texts(&fake.sent_to(-100_500)),
        ["[#3] Ana asks for a person", "[#4] Ben asks for a person"]
    );
}

#[tokio::test]
async fn a_chat_telegram_does_not_know_is_dropped_with_its_queue() {
    let fake = FakeTelegram::start().await;
    let s = sending(&fake, FAST).await;
    fake.script(12, &[Answer::ChatNotFound]);
    queue(&s, 12, "one").await;
    queue(&s, 12, "two").await;
    queue(&s, 13, "to someone else").await;
    assert!(fake.wait_for(WAIT, |f| f.sent_to(13).len() == 1).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    queue(&s, 12, "three").await;
    queue(&s, 13, "again").await;
    assert!(fake.wait_for(WAIT, |f| f.sent_to(13).len() == 2).await);
    assert_eq!(fake.attempts_to(12).len(), 1, "one attempt, then nothing");
}

#[tokio::test]
async fn trainer_lines_waiting_for_the_advisors_chat_go_as_one_message() {
    let fake = FakeTelegram::start().await;
    let s = sending(&fake, FAST).await;
    fake.script(ADVISORS, &[Answer::RetryAfter(1)]);
    for line in ["hi", "are you there?", "it's about my CPR card"] {
        queue(&s, ADVISORS, &format!("[#1] Ana: {line}")).await;
    }
    assert!(
        fake.wait_for(WAIT, |f| !f.sent_to(ADVISORS).is_empty())
            .await
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        super::texts(&fake.sent_to(ADVISORS)),
        ["[#1] Ana: hi\n[#1] Ana: are you there?\n[#1] Ana: it's about my CPR card"]
    );
}

#[tokio::test]
async fn a_reply_never_sent_before_a_restart_is_sent_after_it_once() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let chat = 14;
    fake.script(chat, &[Answer::Json500; 200]);
    let bot = start(&fake, &db, Mode::Polling).await;
    let update = json!({"update_id": 700, "message": text_message(&fake, chat, chat, "/help")});
    fake.push_raw(update.clone());
    assert!(
        fake.wait_for(WAIT, |f| !f.attempts_to(chat).is_empty())
            .await
    );
    bot.stop().await.unwrap();
    assert!(
        fake.sent_to(chat).is_empty(),
        "nothing got through before the stop"
    );

    // Telegram is healthy again and delivers the same update once more.
    fake.unscript(chat);
    fake.push_raw(update);
    let bot = start(&fake, &db, Mode::Polling).await;
    assert!(
        fake.wait_for(WAIT, |f| !f.sent_to(chat).is_empty()).await,
        "the queued reply is sent"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        fake.sent_to(chat).len(),
        1,
        "once: the redelivery was not handled again"
    );
    bot.stop().await.unwrap();
}
