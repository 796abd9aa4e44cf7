//! The advisors' chat over Telegram: a ticket's card edited in place when it is
//! claimed and closed (its Claim button gone), failures told to the other side, an
//! unreachable advisors' chat giving trainers the phone number, and usage lines.

use crate::db::TestDb;
use recert_bot::app::App;
use recert_bot::faq::Faq;
use recert_bot::rules::Policy;
use recert_bot::transport::telegram::Mode;
use serde_json::{Value, json};

use super::{ADVISORS, BOT_ID, Running, WAIT, db, start_app, text_message, texts};
use crate::fake_telegram::{Answer, FakeTelegram, chat_json};
use crate::hardening::always_open_policy;

const TRAINER: i64 = 31;
const ADVISOR: i64 = 7001;

async fn open_desk(fake: &FakeTelegram) -> (Running, TestDb) {
    let db = db().await;
    let dir = db.dir();
    let policy = Policy::load(&always_open_policy(&dir)).expect("policy");
    let faq = Faq::embedded(&policy).expect("faq");
    let store = db.open().await;
    let app = App::new(store, policy, faq, Some(ADVISORS.to_string()), "telegram");
    (start_app(fake, app, Mode::Polling).await, db)
}

fn advisor_says(fake: &FakeTelegram, text: &str) {
    let mut m = text_message(fake, ADVISORS, ADVISOR, text);
    m["from"] = json!({"id": ADVISOR, "is_bot": false, "first_name": "Sam"});
    fake.push("message", m);
}

/// The trainer asks for a person; returns the card as sent.
async fn card(fake: &FakeTelegram) -> Value {
    super::register(fake, TRAINER).await;
    fake.push("message", text_message(fake, TRAINER, TRAINER, "/human"));
    assert!(
        fake.wait_for(WAIT, |f| !f.sent_to(ADVISORS).is_empty())
            .await,
        "a card"
    );
    fake.sent_to(ADVISORS)[0].clone()
}

/// The trainer asks for a person and Sam claims the ticket (its card edited).
async fn claimed(fake: &FakeTelegram) {
    let card = card(fake).await;
    press_claim(fake, &card);
    assert!(
        fake.wait_for(WAIT, |f| !f.edits_in(ADVISORS).is_empty())
            .await,
        "claimed"
    );
}

fn press_claim(fake: &FakeTelegram, card: &Value) {
    fake.push(
        "callback_query",
        json!({"id": "cb-claim", "from": {"id": ADVISOR, "is_bot": false, "first_name": "Sam"},
            "chat_instance": "ci", "data": "claim:1",
            "message": {"message_id": card["sent_message_id"], "date": 1_700_000_000,
                "chat": chat_json(ADVISORS), "from": {"id": BOT_ID, "is_bot": true, "first_name": "Recert"},
                "text": card["text"]}}),
    );
}

#[tokio::test]
async fn the_card_is_edited_in_place_on_claim_release_and_close_and_loses_its_claim_button() {
    let fake = FakeTelegram::start().await;
    let (bot, _db) = open_desk(&fake).await;
    let card = card(&fake).await;
    let text = card["text"].as_str().unwrap();
    for line in [
        "New hand-off [#1]",
        "tg://user?id=31",
        "Reason:",
        "Earned: ",
        "Expiration:",
        "Phase:",
        "Fees due:",
        "Audit:",
    ] {
        assert!(text.contains(line), "{line} on the card: {text}");
    }
    assert!(!text.contains("claim:1"), "no raw button data: {text}");
    assert_eq!(
        card["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "claim:1"
    );
    press_claim(&fake, &card);
    assert!(
        fake.wait_for(WAIT, |f| !f.edits_in(ADVISORS).is_empty())
            .await,
        "edited"
    );
    let (edited, claimed) = fake.edits_in(ADVISORS)[0].clone();
    assert_eq!(
        json!(edited),
        card["sent_message_id"],
        "the card's own message"
    );
    assert!(
        claimed["text"].as_str().unwrap().contains("claimed by Sam"),
        "{claimed}"
    );
    assert_eq!(
        claimed["reply_markup"],
        json!({"inline_keyboard": []}),
        "Claim removed"
    );

    advisor_says(&fake, "/release 1");
    assert!(
        fake.wait_for(WAIT, |f| f.edits_in(ADVISORS).len() == 2)
            .await
    );
    let (_, released) = fake.edits_in(ADVISORS)[1].clone();
    assert_eq!(
        released["reply_markup"]["inline_keyboard"][0][0]["callback_data"], "claim:1",
        "back in line, Claim offered again: {released}"
    );

    advisor_says(&fake, "/done 1");
    assert!(
        fake.wait_for(WAIT, |f| f.edits_in(ADVISORS).len() == 3)
            .await
    );
    let (_, closed) = fake.edits_in(ADVISORS)[2].clone();
    assert!(
        closed["text"].as_str().unwrap().contains("closed"),
        "{closed}"
    );
    assert_eq!(
        fake.sent_to(ADVISORS).len(),
        1,
        "claim and close posted nothing new: {:?}",
        texts(&fake.sent_to(ADVISORS))
    );
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn a_failed_relay_gives_the_trainer_the_phone_and_a_failed_reply_tells_the_advisor() {
    let fake = FakeTelegram::start().await;
    let (bot, _db) = open_desk(&fake).await;
    claimed(&fake).await;
    let before = fake.sent_to(TRAINER).len();
    fake.script(ADVISORS, &[Answer::Blocked]);
    fake.push(
        "message",
        text_message(&fake, TRAINER, TRAINER, "are you there?"),
    );
    assert!(
        fake.wait_for(WAIT, |f| texts(&f.sent_to(TRAINER)[before..])
            .iter()
            .any(|t| t.contains("1-800-460-6276")))
            .await,
        "the phone number: {:?}",
        texts(&fake.sent_to(TRAINER))
    );

    fake.script(TRAINER, &[Answer::Blocked]);
    advisor_says(&fake, "/r 1 Hello Ana");
    assert!(
        fake.wait_for(WAIT, |f| texts(&f.sent_to(ADVISORS))
            .iter()
            .any(|t| t.contains("could not be delivered")))
            .await,
        "the advisor is told: {:?}",
        texts(&fake.sent_to(ADVISORS))
    );
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn an_advisors_chat_the_bot_cannot_post_in_gives_trainers_the_phone_number() {
    let fake = FakeTelegram::start().await;
    fake.script(ADVISORS, &[Answer::ChatNotFound]);
    let (bot, _db) = open_desk(&fake).await;
    assert!(
        fake.wait_for(WAIT, |f| !f.calls("getchat").is_empty())
            .await
    );
    let s = super::say(&fake, TRAINER, "/human").await;
    assert!(s.contains("1-800-460-6276"), "{s}");
    assert!(!s.contains("A person will reply here"), "{s}");
    assert!(fake.attempts_to(ADVISORS).is_empty(), "no card sent");
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn an_advisor_command_without_its_arguments_gets_its_usage() {
    let fake = FakeTelegram::start().await;
    let (bot, _db) = open_desk(&fake).await;
    advisor_says(&fake, "/r 1");
    assert!(
        fake.wait_for(WAIT, |f| !f.sent_to(ADVISORS).is_empty())
            .await
    );
    assert_eq!(
        texts(&fake.sent_to(ADVISORS)),
        ["Usage: /r ID text: reply to the trainer (or reply to a relayed [#ID] message)"]
    );
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn trainer_lines_that_queue_up_reach_the_advisors_as_one_message() {
    let fake = FakeTelegram::start().await;
    let (bot, _db) = open_desk(&fake).await;
    claimed(&fake).await;
    fake.script(ADVISORS, &[Answer::RetryAfter(2)]);
    for line in ["hi", "are you there?", "it's about my CPR card"] {
        fake.push("message", text_message(&fake, TRAINER, TRAINER, line));
    }
    assert!(
        fake.wait_for(WAIT, |f| f.sent_to(ADVISORS).len() == 2)
            .await
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let relayed = texts(&fake.sent_to(ADVISORS)[1..]);
    assert_eq!(relayed.len(), 1, "{relayed:?}");
    assert_eq!(relayed[0].lines().count(), 3, "{relayed:?}");
    bot.stop().await.unwrap();
}
