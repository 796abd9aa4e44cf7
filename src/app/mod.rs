//! The application service: the one brain every transport shares. It loads a trainer's
//! record and dialogue state from the store, runs the pure conversation step, applies
//! the effects and the new state in one transaction, commits, and only then returns the
//! replies for the transport to send.
//!
//! - `turn`: loading the record and state, remembering the turn, the outgoing messages.
//! - `effects`: applying the step's effects to the store.
//! - `ops`: the tick, reminder sweep and delivery, FAQ misses.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::conversation::{self, Context, Effect, Reply};
use crate::faq::Faq;
use crate::rules::Policy;
use crate::store::trainers;
use crate::store::{Store, StoreError, messages, tickets};
use sqlx::SqliteConnection;
use tracing::Instrument;

pub use crate::conversation::{Button, Content, VoiceFailure};

mod effects;
mod ops;
mod privacy;
mod turn;

pub use privacy::{personal, private_prompt};

/// A message the bot sends to a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    /// The chat id as the transport writes it (Telegram ids as decimal strings).
    pub chat: String,
    /// Plain text, no markup.
    pub text: String,
    pub buttons: Vec<Button>,
    /// A file sent with the message (the `/export` record); absent on most messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Document>,
}

impl Outgoing {
    /// Plain text to a chat.
    #[must_use]
    pub fn text(chat: &str, text: impl Into<String>) -> Self {
        Self {
            chat: chat.to_string(),
            text: text.into(),
            buttons: Vec::new(),
            document: None,
        }
    }

    /// One of the conversation's replies, sent to a chat.
    #[must_use]
    pub fn reply(chat: &str, reply: Reply) -> Self {
        Self {
            chat: chat.to_string(),
            text: reply.text,
            buttons: reply.buttons,
            document: None,
        }
    }
}

/// A file the bot sends, with its content as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The file name offered to the trainer, e.g. `recert-bot-export-2026-11-23.json`.
    pub name: String,
    /// The media type, e.g. `application/json`.
    pub mime: String,
    pub content: String,
}

/// One incoming message or button press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The chat it came from (equal to `user` in a private chat).
    pub chat: String,
    /// The sender's id on the transport.
    pub user: String,
    /// The sender's display name, if the transport knows it.
    pub name: Option<String>,
    /// A message id unique within the chat: a message whose id was already handled is
    /// acknowledged without acting again (even across restarts).
    pub message_id: Option<String>,
    pub at: DateTime<Utc>,
    pub content: Content,
    /// The text of the message this one replies to, if the transport knows it (an
    /// advisor replying to a relayed `[#ID]` message).
    pub reply_to: Option<String>,
}

/// Why a message could not be handled. The trainer gets a polite sentence; the log gets
/// this, with its cause chain.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("serialising the dialogue state: {0}")]
    State(#[from] serde_json::Error),
}

/// Each message's result in its slot, and each message's handling time.
pub type BatchOutcome = (
    Vec<Result<Vec<Outgoing>, AppError>>,
    Vec<std::time::Duration>,
);

/// The running bot: store, policy and FAQ, shared by every chat.
#[derive(Debug, Clone)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) policy: Arc<Policy>,
    pub(crate) faq: Arc<Faq>,
    pub(crate) advisor_chat: Option<String>,
    /// When non-empty, only these users may act in the advisors' chat.
    pub(crate) advisor_ids: Vec<String>,
    pub(crate) channel: &'static str,
}

impl App {
    /// Opens the database (creating and migrating it), loads the policy and the FAQ.
    ///
    /// # Errors
    /// The database cannot be opened or migrated (the message names the path), or the
    /// policy or FAQ does not load or validate (the message names the file).
    pub async fn start(settings: &Settings, channel: &'static str) -> anyhow::Result<Self> {
        let policy = match &settings.policy {
            Some(path) => Policy::load(path)?,
            None => Policy::embedded(),
        };
        let faq = match &settings.faq_dir {
            Some(dir) => Faq::load_dir(dir, &policy)?,
            None => Faq::embedded(&policy)?,
        };
        let store = Store::open(&settings.db).await?;
        let app = Self::new(store, policy, faq, settings.advisor_chat.clone(), channel);
        Ok(app.with_advisor_ids(settings.advisor_ids.clone()))
    }

    /// Assembles an app from parts already loaded (tests, benchmarks).
    #[must_use]
    pub fn new(
        store: Store,
        policy: Policy,
        faq: Faq,
        advisor_chat: Option<String>,
        channel: &'static str,
    ) -> Self {
        Self {
            store,
            policy: Arc::new(policy),
            faq: Arc::new(faq),
            advisor_chat,
            advisor_ids: Vec::new(),
            channel,
        }
    }

    /// Restricts the advisors' commands to these user ids (empty: anyone in the chat).
    #[must_use]
    pub fn with_advisor_ids(mut self, ids: Vec<String>) -> Self {
        self.advisor_ids = ids;
        self
    }

    /// Whether `user` writing in `chat` is refused: the chat is the advisors' chat and
    /// an allow-list is set that does not name them. Transports use it to answer a
    /// refused button press with a short text instead of silence.
    #[must_use]
    pub fn refuses_in_advisor_chat(&self, chat: &str, user: &str) -> bool {
        self.advisor_chat.as_deref() == Some(chat) && !self.is_advisor(user)
    }

    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    #[must_use]
    pub const fn store(&self) -> &Store {
        &self.store
    }

    #[must_use]
    pub const fn channel(&self) -> &'static str {
        self.channel
    }

    /// Handles one incoming message: everything it changes is committed before the
    /// replies are returned. A message id already handled returns no replies.
    ///
    /// # Errors
    /// The store failed; nothing of this message was applied.
    pub async fn handle(&self, message: Incoming) -> Result<Vec<Outgoing>, AppError> {
        let mut results = self.handle_batch(vec![message]).await?;
        results.pop().unwrap_or_else(|| Ok(Vec::new()))
    }

    /// Handles messages in order in ONE transaction (group commit). Nothing is returned
    /// before the commit, so no reply ever promises what a crash could still lose. If a
    /// message fails, the batch is rolled back and handled again one message per
    /// transaction, so the failure is reported in its own slot and the others apply.
    ///
    /// # Errors
    /// The database could not be reached at all; then nothing of the batch was applied.
    pub async fn handle_batch(
        &self,
        messages: Vec<Incoming>,
    ) -> Result<Vec<Result<Vec<Outgoing>, AppError>>, AppError> {
        Ok(self.handle_batch_timed(messages).await?.0)
    }

    /// As [`App::handle_batch`], also returning each message's handling time (the
    /// batch's commit wait excluded), for the benchmark.
    ///
    /// # Errors
    /// As [`App::handle_batch`].
    pub async fn handle_batch_timed(
        &self,
        messages: Vec<Incoming>,
    ) -> Result<BatchOutcome, AppError> {
        let mut tx = self.store.begin().await?;
        let mut results = Vec::with_capacity(messages.len());
        let mut timings = Vec::with_capacity(messages.len());
        for message in &messages {
            let started = std::time::Instant::now();
            let span = tracing::info_span!("message", chat = %message.chat);
            match self
                .handle_in(&mut tx, message.clone())
                .instrument(span)
                .await
            {
                Ok(out) => results.push(Ok(out)),
                Err(error) => {
                    tracing::warn!(error = %error, "a message of a batch failed; handling the batch one message at a time");
                    // A failed rollback has already discarded the connection.
                    let _ = tx.rollback().await;
                    return Ok(self.one_by_one(messages).await);
                }
            }
            timings.push(started.elapsed());
        }
        if let Err(error) = tx.commit().await {
            tracing::warn!(error = %error, "committing a batch failed; handling it one message at a time");
            return Ok(self.one_by_one(messages).await);
        }
        Ok((results, timings))
    }

    /// Each message in its own transaction: a failure rolls back that message alone.
    async fn one_by_one(&self, messages: Vec<Incoming>) -> BatchOutcome {
        let mut results = Vec::with_capacity(messages.len());
        let mut timings = Vec::with_capacity(messages.len());
        for message in messages {
            let started = std::time::Instant::now();
            results.push(self.handle_alone(message).await);
            timings.push(started.elapsed());
        }
        (results, timings)
    }

    async fn handle_alone(&self, message: Incoming) -> Result<Vec<Outgoing>, AppError> {
        let mut tx = self.store.begin().await?;
        let out = self.handle_in(&mut tx, message).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One message inside the caller's transaction.
    async fn handle_in(
        &self,
        tx: &mut SqliteConnection,
        message: Incoming,
    ) -> Result<Vec<Outgoing>, AppError> {
        if let Some(id) = &message.message_id
            && !messages::mark_processed(tx, self.channel, &message.chat, id, message.at).await?
        {
            tracing::info!(message_id = %id, "duplicate message ignored");
            return Ok(Vec::new());
        }
        if let Some(desk) = self.advisor_chat.as_deref()
            && desk == message.chat
        {
            return self.advisor_message(tx, &message, desk).await;
        }
        if !message.is_private() {
            return Ok(self.group_message(&message));
        }
        let arrival = trainers::upsert(
            tx,
            self.channel,
            &message.user,
            &message.chat,
            message.name.as_deref(),
            message.at,
        )
        .await?;
        let trainer = arrival.trainer;
        if arrival.open_ticket.is_some()
            && let Some(ticket) = tickets::open_for(tx, trainer.id).await?
        {
            return self
                .relay_from_trainer(tx, &ticket, &trainer, &message.content, message.at)
                .await;
        }
        let profile = self.profile(tx, &trainer).await?;
        let state = turn::state(arrival.dialogue.as_deref());
        let voice = matches!(message.content, Content::Voice { .. });
        let ctx = Context {
            policy: &self.policy,
            faq: &self.faq,
            profile: &profile,
            now: message.at,
            voice,
            advisors: self.advisor_chat.is_some(),
        };
        let before = state.clone();
        let outcome = conversation::step(state, &message.content, &ctx);
        let forgotten = outcome.effects.contains(&Effect::Forget);
        for effect in &outcome.effects {
            self.apply(tx, &trainer, effect, message.at).await?;
        }
        let mut replies = outcome.replies;
        if let Content::Voice { transcript } = &message.content {
            replies.insert(
                0,
                Reply::text(format!("I heard: \u{201c}{transcript}\u{201d}")),
            );
        }
        if !forgotten {
            let state = (outcome.state != before).then_some(&outcome.state);
            turn::remember(tx, trainer.id, &message, state, &replies).await?;
        }
        self.outgoing(
            tx,
            &trainer,
            message.at,
            &message.chat,
            replies,
            &outcome.effects,
        )
        .await
    }

    /// The polite sentence a trainer sees when handling failed.
    #[must_use]
    pub fn apology(chat: &str) -> Outgoing {
        Outgoing::text(
            chat,
            "Sorry, something went wrong on our side and nothing was changed. Please try again in a moment.",
        )
    }
}
