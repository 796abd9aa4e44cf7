//! The test harness: a real App on a fresh database (SQLite, or PostgreSQL when
//! `RECERT_TEST_PG` is set: see [`crate::db`]), driven like a chat.

use chrono::{DateTime, Utc};
use recert_bot::app::{App, Content, Incoming, Outgoing};
use recert_bot::domain::{Action, MAX_DATA_BYTES};
use recert_bot::faq::Faq;
use recert_bot::rules::Policy;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sqlx::Row;

pub const ADVISORS: &str = "advisors";

use crate::db::{TestDb, conn};

/// A running app on its own temporary database.
pub struct TestApp {
    pub app: App,
    pub db: TestDb,
}

/// Every button the bot sends reads back as an [`Action`] and fits Telegram's limit
/// (checked on every reply of every test that goes through [`TestApp::send`]).
pub fn assert_buttons_are_actions(replies: &[Outgoing]) {
    for b in replies.iter().flat_map(|o| &o.buttons) {
        let action: Action = b.data.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(action.to_string(), b.data, "one encoding per action");
        assert!(
            b.data.len() <= MAX_DATA_BYTES,
            "{:?} is over 64 bytes",
            b.data
        );
    }
}

/// An instant from RFC 3339 text.
pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("test instant")
        .with_timezone(&Utc)
}

pub async fn spawn_app() -> TestApp {
    let db = TestDb::fresh("test.db").await;
    let app = open(&db, Policy::embedded()).await;
    TestApp { app, db }
}

/// A fresh app with trainer `chat` registered at `when` (expiring March 15, 2027, the
/// date read back and confirmed).
pub async fn spawn_registered(chat: &str, when: &str) -> TestApp {
    let t = spawn_app().await;
    t.say(chat, "my certification expires March 15, 2027", when)
        .await;
    t.say(chat, "yes", when).await;
    t
}

/// A stored entry as [`TestApp::entries`] reads it: minutes, area, completion date,
/// provider.
pub type Entry = (i64, String, String, String);

/// The entry of `minutes` of `area` completed `on` from `provider`, for comparing with
/// [`TestApp::entries`].
pub fn entry(minutes: i64, area: &str, on: &str, provider: &str) -> Entry {
    (minutes, area.into(), on.into(), provider.into())
}

pub async fn open(db: &TestDb, policy: Policy) -> App {
    let store = db.open().await;
    let faq = Faq::embedded(&policy).expect("embedded FAQ");
    App::new(store, policy, faq, Some(ADVISORS.to_string()), "jsonl")
}

impl TestApp {
    /// Reopens the same database, as after a restart.
    pub async fn restart(&mut self) {
        self.app = open(&self.db, Policy::embedded()).await;
    }

    pub async fn send(
        &self,
        chat: &str,
        content: Content,
        when: &str,
        id: Option<&str>,
    ) -> Vec<Outgoing> {
        let replies = self
            .app
            .handle(Incoming {
                chat: chat.into(),
                user: chat.into(),
                name: Some(format!("Trainer {chat}")),
                message_id: id.map(str::to_string),
                at: at(when),
                content,
                reply_to: None,
            })
            .await
            .expect("handled");
        assert_buttons_are_actions(&replies);
        replies
    }

    /// The trainer in `chat` types `text` at `when`; returns the bot's replies.
    pub async fn say(&self, chat: &str, text: &str, when: &str) -> Vec<Outgoing> {
        self.send(chat, Content::Text(text.into()), when, None)
            .await
    }

    /// The trainer presses a button.
    pub async fn press(&self, chat: &str, data: &str, when: &str) -> Vec<Outgoing> {
        self.send(chat, Content::Button(data.into()), when, None)
            .await
    }

    /// Stored entries of the trainer in `chat`: (minutes, area key, completed_on, provider).
    pub async fn entries(&self, chat: &str) -> Vec<Entry> {
        let mut conn = conn(self.app.store()).await;
        recert_bot::on!(&mut conn, |c| sqlx::query(
            "SELECT e.minutes, e.area, CAST(e.completed_on AS TEXT), e.provider FROM ce_entries e
             JOIN trainers t ON t.id = e.trainer_id WHERE t.user_ref = $1 ORDER BY e.id",
        )
        .bind(chat)
        .fetch_all(c)
        .await
        .expect("query")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect())
    }

    /// The stored expiration date of the trainer in `chat`.
    pub async fn expiration(&self, chat: &str) -> Option<String> {
        let mut conn = conn(self.app.store()).await;
        recert_bot::on!(&mut conn, |c| {
            sqlx::query_scalar(
            "SELECT CAST(c.expires_on AS TEXT) FROM certifications c JOIN trainers t ON t.id = c.trainer_id WHERE t.user_ref = $1",
        )
        .bind(chat)
        .fetch_optional(c)
        .await
        .expect("query")
        })
    }
}

/// All reply texts joined, for matching.
pub fn text(replies: &[Outgoing]) -> String {
    replies
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The button data offered in the replies.
pub fn buttons(replies: &[Outgoing]) -> Vec<String> {
    replies
        .iter()
        .flat_map(|r| r.buttons.iter().map(|b| b.data.clone()))
        .collect()
}

/// An eval file: one JSON object per line, blank lines skipped.
pub fn jsonl<T: DeserializeOwned>(path: &str) -> Vec<T> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {l}: {e}")))
        .collect()
}

/// Whether an eval file's pattern matches, case-insensitively.
pub fn matches(pattern: &str, text: &str) -> bool {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
        .is_match(text)
}

/// A line of the FAQ question sets.
#[derive(Debug, Deserialize)]
pub struct FaqCase {
    pub question: String,
    pub topic: Option<String>,
    #[serde(default)]
    pub reply_must_match: Vec<String>,
    #[serde(default)]
    pub reply_must_not_match: Vec<String>,
}

/// A line of the CE logging sets.
#[derive(Debug, Deserialize)]
pub struct CeCase {
    pub at: DateTime<Utc>,
    pub text: String,
    pub expect: CeExpect,
}

/// What a CE logging line should store, or that it must be refused.
#[derive(Debug, Deserialize)]
pub struct CeExpect {
    #[serde(default)]
    pub reject: bool,
    pub ceus: Option<String>,
    pub area: Option<String>,
    pub completed_on: Option<chrono::NaiveDate>,
}
