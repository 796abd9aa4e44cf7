//! The Telegram transport end to end: the real teloxide bot (polling or webhook)
//! against a fake Bot API on 127.0.0.1, on a fresh SQLite file per test.

use std::time::Duration;

use recert_bot::app::{App, Button, Outgoing};
use recert_bot::config::Secret;
use recert_bot::domain::Action;
use recert_bot::faq::Faq;
use recert_bot::retry::Backoff;
use recert_bot::rules::Policy;
use recert_bot::transport::Transport;
use recert_bot::transport::telegram::{
    self, MAX_MESSAGE_CHARS, Mode, Options, Outbox, Retry, StartError, TelegramSender,
};
use serde_json::{Value, json};
use teloxide::adaptors::throttle::Limits;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::db::TestDb;
use crate::fake_telegram::{BOT_ID, FakeTelegram, chat_json};

mod desk;
mod faults;
mod instances;

const ADVISORS: i64 = -100_777;
const WAIT: Duration = Duration::from_secs(10);

/// Limits loose enough that tests do not wait a second per message.
const FAST: Limits = Limits {
    messages_per_sec_chat: 100,
    messages_per_min_chat: 1000,
    messages_per_min_channel_or_supergroup: 1000,
    messages_per_sec_overall: 1000,
};

struct Running {
    task: JoinHandle<Result<(), StartError>>,
    stop: oneshot::Sender<()>,
}

impl Running {
    /// Ctrl-C, as a test sends it; returns how `run` ended.
    async fn stop(self) -> Result<(), StartError> {
        let _ = self.stop.send(());
        tokio::time::timeout(WAIT, self.task)
            .await
            .expect("stopped in time")
            .expect("no panic")
    }
}

async fn app(db: &TestDb) -> App {
    let policy = Policy::embedded();
    let faq = Faq::embedded(&policy).expect("embedded FAQ");
    let store = db.open().await;
    App::new(store, policy, faq, Some(ADVISORS.to_string()), "telegram")
}

fn options(fake: &FakeTelegram, mode: Mode) -> Options {
    let mut o = Options::new(
        Secret::new("123:TEST"),
        Some(fake.url.clone()),
        mode,
        Some(ADVISORS.to_string()),
    );
    o.poll_timeout = Duration::from_secs(1);
    o.limits = FAST;
    o.retry = Retry {
        backoff: Backoff::new(Duration::from_millis(50), Duration::from_millis(200)),
    };
    o.tick_every = Some(Duration::from_secs(3600));
    o
}

async fn start(fake: &FakeTelegram, db: &TestDb, mode: Mode) -> Running {
    start_app(fake, app(db).await, mode).await
}

async fn start_app(fake: &FakeTelegram, app: App, mode: Mode) -> Running {
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(telegram::run(app, options(fake, mode), async move {
        let _ = stopped.await;
    }));
    assert!(
        fake.wait_for(WAIT, |f| !f.calls("getupdates").is_empty()
            || !f.calls("setwebhook").is_empty())
            .await,
        "bot started"
    );
    Running { task, stop }
}

async fn db() -> TestDb {
    TestDb::fresh("tg.db").await
}

fn user(id: i64) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "Ana"})
}

fn text_message(fake: &FakeTelegram, chat: i64, from: i64, text: &str) -> Value {
    json!({"message_id": fake.message_id(), "date": 1_700_000_000, "chat": chat_json(chat),
        "from": user(from), "text": text})
}

fn texts(sent: &[Value]) -> Vec<String> {
    sent.iter()
        .map(|b| b["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Waits for the replies to what was just queued: at least one new message to `chat`,
/// then until the chat has been quiet for a moment.
async fn replies_after(fake: &FakeTelegram, chat: i64, before: usize) -> Vec<String> {
    assert!(
        fake.wait_for(WAIT, |f| f.sent_to(chat).len() > before)
            .await,
        "a reply to {chat}"
    );
    let mut seen = fake.sent_to(chat).len();
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = fake.sent_to(chat).len();
        if now == seen {
            return texts(&fake.sent_to(chat)[before..]);
        }
        seen = now;
    }
}

async fn say(fake: &FakeTelegram, chat: i64, text: &str) -> String {
    let before = fake.sent_to(chat).len();
    fake.push("message", text_message(fake, chat, chat, text));
    replies_after(fake, chat, before).await.join("\n")
}

fn callback(fake: &FakeTelegram, chat: i64, id: &str, data: &str) -> Value {
    json!({"id": id, "from": user(chat), "chat_instance": "ci", "data": data,
        "message": {"message_id": fake.message_id(), "date": 1_700_000_000, "chat": chat_json(chat),
            "from": {"id": BOT_ID, "is_bot": true, "first_name": "Recert"}, "text": "…"}})
}

async fn press(fake: &FakeTelegram, chat: i64, id: &str, data: &str) -> String {
    let before = fake.sent_to(chat).len();
    fake.push("callback_query", callback(fake, chat, id, data));
    replies_after(fake, chat, before).await.join("\n")
}

/// The button data offered in the last message to `chat`.
fn last_buttons(fake: &FakeTelegram, chat: i64) -> Vec<String> {
    let sent = fake.sent_to(chat);
    let Some(last) = sent.last() else {
        return Vec::new();
    };
    last["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["callback_data"].as_str().map(str::to_string))
        .collect()
}

fn expiry() -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(300))
        .format("%Y-%m-%d")
        .to_string()
}

/// The trainer in `chat` gives an expiration date [`expiry`] and confirms it.
async fn register(fake: &FakeTelegram, chat: i64) {
    say(
        fake,
        chat,
        &format!("my certification expires on {}", expiry()),
    )
    .await;
    say(fake, chat, "yes").await;
}

#[tokio::test]
async fn a_conversation_from_start_to_a_logged_ceu_and_a_correct_status() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let bot = start(&fake, &db, Mode::Polling).await;
    let chat = 42;

    let s = say(&fake, chat, "/start").await;
    assert!(
        s.contains("when does your NASM-CPT certification expire"),
        "{s}"
    );
    register(&fake, chat).await;
    let s = say(&fake, chat, "I did a 4 hour nutrition workshop").await;
    assert!(s.contains("When did you complete it"), "{s}");
    say(&fake, chat, "yesterday").await;
    assert!(last_buttons(&fake, chat).contains(&"prov:approved".to_string()));
    let s = press(&fake, chat, "q1", "prov:approved").await;
    assert!(s.contains("Save?"), "{s}");
    let s = press(&fake, chat, "q2", "save").await;
    assert!(s.contains("Saved"), "{s}");
    let s = say(&fake, chat, "/status").await;
    assert!(s.contains("0.4 of 2.0 CEUs"), "{s}");

    let commands = fake.calls("setmycommands");
    let names: Vec<&str> = commands[0]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "start",
            "status",
            "ceus",
            "help",
            "human",
            "reminders",
            "cancel"
        ]
    );
    assert!(
        fake.calls("sendmessage")
            .iter()
            .all(|b| b.get("parse_mode").is_none()),
        "plain text only"
    );
    assert_eq!(bot.stop().await.ok(), Some(()), "clean stop");
}

#[tokio::test]
async fn a_429_on_the_first_send_is_delivered_after_retry_after() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let bot = start(&fake, &db, Mode::Polling).await;
    fake.rate_limit_next_sends(1);
    let s = say(&fake, 7, "/help").await;
    assert!(!s.is_empty());
    let attempts = fake.calls("sendmessage");
    assert_eq!(
        attempts[0]["delivered"],
        json!(false),
        "first attempt refused with 429"
    );
    assert_eq!(
        attempts[0]["text"], attempts[1]["text"],
        "the same message sent again"
    );
    assert_eq!(attempts[1]["delivered"], json!(true));
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn a_redelivered_update_is_acted_on_once() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let bot = start(&fake, &db, Mode::Polling).await;
    let chat = 50;
    register(&fake, chat).await;
    say(
        &fake,
        chat,
        "2 hours of program design from an approved provider yesterday",
    )
    .await;
    assert!(
        last_buttons(&fake, chat).contains(&"save".to_string()),
        "{:?}",
        last_buttons(&fake, chat)
    );

    // The same "yes" twice with one update_id (a crash before confirming), then again
    // under a new update_id (same chat and message id).
    let before = fake.sent_to(chat).len();
    let yes = text_message(&fake, chat, chat, "yes");
    let update = json!({"update_id": 500, "message": yes});
    fake.push_raw(update.clone());
    fake.push_raw(update);
    let s = replies_after(&fake, chat, before).await.join("\n");
    assert!(s.contains("Saved"), "{s}");
    let before = fake.sent_to(chat).len();
    fake.push("message", yes);
    let s = say(&fake, chat, "/status").await;
    assert_eq!(
        fake.sent_to(chat).len() - before,
        texts(&fake.sent_to(chat)[before..]).len()
    );
    assert!(!s.contains("Saved"), "the redelivered yes did nothing: {s}");
    assert!(s.contains("0.2 of 2.0 CEUs"), "one entry, not two: {s}");
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn a_button_press_is_answered() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let bot = start(&fake, &db, Mode::Polling).await;
    press(&fake, 60, "cbq-1", "menu").await;
    let answered = fake.calls("answercallbackquery");
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0]["callback_query_id"], json!("cbq-1"));
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn a_5000_character_reply_is_split_and_a_too_long_button_dropped() {
    let fake = FakeTelegram::start().await;
    let line = "A line of a long answer, about sixty characters in length.\n";
    let long = line.repeat(5000 / line.len() + 1);
    let bot = teloxide::Bot::new("123:TEST").set_api_url(fake.url.clone());
    let db = db().await;
    let store = db.open().await;
    let api = telegram::api::Api::new(&bot).expect("api");
    let outbox = Outbox::new(store, api, FAST, Retry::default().backoff);
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(outbox.clone().run(stopped));
    let sender = TelegramSender::new(outbox);
    let message = Outgoing {
        chat: "70".into(),
        text: long.clone(),
        buttons: vec![
            Button::new("Save", Action::Save),
            Button {
                label: "Too long".into(),
                data: "x".repeat(65),
            },
        ],
        document: None,
        card: None,
        if_undelivered: None,
    };
    sender.send(&message).await.expect("queued");
    assert!(
        fake.wait_for(WAIT, |f| f.sent_to(70).len() == 2).await,
        "both pieces sent"
    );
    let sent = fake.sent_to(70);
    let pieces = texts(&sent);
    assert_eq!(pieces.len(), 2);
    assert!(
        pieces
            .iter()
            .all(|p| p.chars().count() <= MAX_MESSAGE_CHARS)
    );
    assert_eq!(pieces.concat(), long);
    assert!(
        sent[0].get("reply_markup").is_none(),
        "keyboard under the last piece only"
    );
    assert_eq!(
        sent[1]["reply_markup"]["inline_keyboard"],
        json!([[{"text": "Save", "callback_data": "save"}]])
    );
}

#[tokio::test]
async fn junk_updates_are_survived() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let bot = start(&fake, &db, Mode::Polling).await;
    let chat = 80;
    let group = -500;
    let sticker = json!({"message_id": fake.message_id(), "date": 1_700_000_000, "chat": chat_json(chat), "from": user(chat),
        "sticker": {"file_id": "st", "file_unique_id": "st", "type": "regular", "width": 512, "height": 512,
            "is_animated": false, "is_video": false}});
    fake.push("message", sticker);
    let s = replies_after(&fake, chat, 0).await.join("\n");
    assert!(s.contains("can't read that kind of message"), "{s}");
    fake.push(
        "edited_message",
        json!({"message_id": 1, "date": 1_700_000_000, "edit_date": 1_700_000_100,
        "chat": chat_json(chat), "from": user(chat), "text": "edited"}),
    );
    fake.push(
        "channel_post",
        json!({"message_id": 2, "date": 1_700_000_000,
        "chat": {"id": -100_900, "type": "channel", "title": "News"}, "text": "news"}),
    );
    fake.push("something_new", json!({"x": 1}));
    fake.push(
        "message",
        text_message(&fake, group, 81, "just chatting among trainers"),
    );
    fake.push(
        "message",
        json!({"message_id": fake.message_id(), "date": 1_700_000_000, "chat": chat_json(group),
        "from": user(81), "new_chat_members": [user(82)]}),
    );
    let s = say(&fake, chat, "/help").await;
    assert!(!s.is_empty(), "still answering");
    assert!(fake.sent_to(group).is_empty(), "group chatter ignored");
    assert_eq!(
        fake.sent_to(chat).len(),
        1 + texts(&fake.sent_to(chat)[1..]).len()
    );
    let before = fake.sent_to(group).len();
    let mut mention = text_message(&fake, group, 81, "@RecertBot /help");
    mention["entities"] = json!([{"type": "mention", "offset": 0, "length": 10}]);
    fake.push("message", mention);
    let s = replies_after(&fake, group, before).await.join("\n");
    assert!(!s.is_empty(), "a mention in a group is answered");
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn a_restart_keeps_the_dialogue() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let chat = 90;
    let bot = start(&fake, &db, Mode::Polling).await;
    register(&fake, chat).await;
    let s = say(&fake, chat, "I did a 4 hour nutrition workshop").await;
    assert!(s.contains("When did you complete it"), "{s}");
    bot.stop().await.unwrap();

    let bot = start(&fake, &db, Mode::Polling).await;
    say(&fake, chat, "yesterday").await;
    assert!(
        last_buttons(&fake, chat).contains(&"prov:approved".to_string()),
        "dialogue continued"
    );
    bot.stop().await.unwrap();
}

#[tokio::test]
async fn a_webhook_request_with_a_wrong_secret_is_refused() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}").parse().unwrap();
    let mode = Mode::webhook(
        "https://bot.example.com/hook".parse().unwrap(),
        listen,
        Some("right-secret".into()),
    )
    .unwrap();
    let bot = start(&fake, &db, mode).await;
    let set = fake.calls("setwebhook");
    assert!(
        set[0].to_string().contains("right-secret"),
        "setWebhook carries the secret: {set:?}"
    );

    let update = json!({"update_id": 1, "message": text_message(&fake, 95, 95, "/help")});
    let client = reqwest::Client::new();
    let post = |secret: Option<&str>| {
        let mut r = client.post(format!("http://{listen}/hook")).json(&update);
        if let Some(s) = secret {
            r = r.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        r.send()
    };
    for wrong in [Some("wrong-secret"), Some("bad secret!"), None] {
        assert_eq!(post(wrong).await.unwrap().status(), 401, "{wrong:?}");
    }
    assert!(fake.sent_to(95).is_empty(), "nothing acted on");
    assert_eq!(post(Some("right-secret")).await.unwrap().status(), 200);
    assert!(
        !replies_after(&fake, 95, 0).await.is_empty(),
        "the right secret is served"
    );
    bot.stop().await.unwrap();
    assert_eq!(
        fake.calls("deletewebhook").len(),
        usize::from(!db.is_postgres()),
        "webhook removed on shutdown, unless other instances may serve it (PostgreSQL)"
    );
}

#[tokio::test]
async fn start_up_errors_are_one_line() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url: reqwest::Url = format!("http://{closed}").parse().unwrap();
    let db = db().await;
    let mut o = Options::new(Secret::new("123:TEST"), Some(url), Mode::Polling, None);
    o.limits = FAST;
    let e = telegram::run(app(&db).await, o, std::future::pending())
        .await
        .unwrap_err();
    assert!(matches!(e, StartError::Unreachable { .. }), "{e}");
    assert!(
        !e.to_string().contains("123:TEST"),
        "no token in errors: {e}"
    );
    for bad in ["not a url", "ftp://example.com", "http//missing-colon"] {
        let e = telegram::parse_api_url(bad).unwrap_err();
        assert!(
            matches!(e, StartError::BadApiUrl { .. }) && !e.to_string().contains('\n'),
            "{bad}: {e}"
        );
    }
    assert!(telegram::parse_api_url("http://127.0.0.1:8081/").is_ok());
    assert!(matches!(
        Mode::webhook(
            "https://x.example/h".parse().unwrap(),
            closed,
            Some("no spaces allowed".into())
        ),
        Err(StartError::BadSecret)
    ));
    assert_eq!(StartError::MissingToken.to_string().lines().count(), 1);
}

#[tokio::test]
async fn export_sends_the_record_as_a_document() {
    let fake = FakeTelegram::start().await;
    let db = db().await;
    let chat = 95;
    let bot = start(&fake, &db, Mode::Polling).await;
    register(&fake, chat).await;
    let before = fake.calls("senddocument").len();
    say(&fake, chat, "/export").await;
    assert!(
        fake.wait_for(Duration::from_secs(5), |f| f.calls("senddocument").len()
            > before)
            .await,
        "no document sent"
    );
    let sent = fake.calls("senddocument");
    let body = sent.last().expect("a document").to_string();
    assert!(
        body.contains("recert-bot-export"),
        "the file name travels in the multipart body: {body}"
    );
    assert!(
        body.contains(&expiry().to_string()),
        "the record is in the file: {body}"
    );
    bot.stop().await.unwrap();
}
