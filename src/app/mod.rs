//! The application service: the one brain every transport shares. It offers two
//! things: [`App::handle`] (one message: load the trainer's record and dialogue state,
//! run the pure conversation step, apply its effects and the new state in one
//! transaction, commit, and only then return the replies) and [`App::tick`] (the
//! scheduled work). The hand-off desk ([`Desk`]) and the reminders are services of
//! their own over the store; the app calls them inside its transactions.
//!
//! - `turn`: one trainer's turn in a private chat, and the group-chat answer.
//! - `effects`: applying the step's effects, with what they produce.
//! - `tick`: the scheduled work, outbox delivery, FAQ misses.
//! - `scheduler`: the interval loop that runs the tick inside a long-lived transport.

use crate::store::Conn;
use std::sync::Arc;

use tracing::Instrument;

use crate::config::Settings;
use crate::faq::Faq;
use crate::handoff::Desk;
use crate::rules::Policy;
use crate::store::{Store, StoreError, messages};

// The message types live in the leaf `domain` module; these paths keep working.
use crate::domain::ChatId;
pub use crate::domain::{
    Attachment, Button, Content, Incoming, Outgoing, VoiceFailure, personal, private_prompt,
};

mod effects;
mod scheduler;
mod tick;
mod turn;

pub use scheduler::run_scheduler;

/// Why a message could not be handled. The trainer gets a polite sentence; the log gets
/// this, with its cause chain.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("encoding the record: {0}")]
    Encode(#[from] serde_json::Error),
}

/// The running bot: store, policy, FAQ and the advisors' desk, shared by every chat.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    policy: Arc<Policy>,
    faq: Arc<Faq>,
    desk: Desk,
    channel: &'static str,
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
        let faq = match &settings.intents {
            Some(path) => faq.with_intents(path)?,
            None => faq,
        };
        let store = Store::connect(&settings.db).await?;
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
        crate::ops::install();
        let policy = Arc::new(policy);
        let faq = Arc::new(faq);
        let desk = Desk::new(Arc::clone(&policy), Arc::clone(&faq), advisor_chat);
        Self {
            store,
            policy,
            faq,
            desk,
            channel,
        }
    }

    /// Restricts the advisors' commands to these user ids (empty: anyone in the chat).
    #[must_use]
    pub fn with_advisor_ids(mut self, ids: Vec<String>) -> Self {
        self.desk = self.desk.with_advisor_ids(ids);
        self
    }

    /// Whether `user` writing in `chat` is refused: the chat is the advisors' chat and
    /// an allow-list is set that does not name them. Transports use it to answer a
    /// refused button press with a short text instead of silence.
    #[must_use]
    pub fn refuses_in_advisor_chat(&self, chat: &str, user: &str) -> bool {
        self.desk.refuses(chat, user)
    }

    /// Records whether the bot can post in the advisors' chat (a transport's start-up
    /// check); while not, trainers asking for a person get the phone number.
    pub fn set_advisor_chat_reachable(&self, reachable: bool) {
        self.desk.set_reachable(reachable);
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

    /// Handles one incoming message in its own transaction: everything it changes is
    /// committed before the replies are returned. A message id already handled returns
    /// no replies.
    ///
    /// # Errors
    /// The store failed; nothing of this message was applied.
    pub async fn handle(&self, message: Incoming) -> Result<Vec<Outgoing>, AppError> {
        let span = tracing::info_span!("message", chat = %message.chat);
        async {
            let mut tx = self.store.begin().await?;
            let out = self.handle_in(&mut tx, message).await?;
            tx.commit().await?;
            Ok(out)
        }
        .instrument(span)
        .await
    }

    /// Handles messages in order in ONE transaction (group commit). Nothing is returned
    /// before the commit, so no reply ever promises what a crash could still lose. If a
    /// message fails, or the commit does, the batch is rolled back and handled again one
    /// message per transaction ([`App::handle`]), so a failure is reported in its own
    /// slot and the others apply.
    ///
    /// # Errors
    /// The database could not be reached at all; then nothing of the batch was applied.
    pub async fn handle_batch(
        &self,
        messages: Vec<Incoming>,
    ) -> Result<Vec<Result<Vec<Outgoing>, AppError>>, AppError> {
        let mut tx = self.store.begin().await?;
        let mut results = Vec::with_capacity(messages.len());
        for message in &messages {
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
        }
        if let Err(error) = tx.commit().await {
            tracing::warn!(error = %error, "committing a batch failed; handling it one message at a time");
            return Ok(self.one_by_one(messages).await);
        }
        Ok(results)
    }

    async fn one_by_one(&self, messages: Vec<Incoming>) -> Vec<Result<Vec<Outgoing>, AppError>> {
        let mut results = Vec::with_capacity(messages.len());
        for message in messages {
            results.push(self.handle(message).await);
        }
        results
    }

    /// One message inside the caller's transaction, which the caller commits (group
    /// commit, and the benchmark's timing of one message without the commit wait).
    ///
    /// # Errors
    /// The store failed; roll the transaction back.
    pub async fn handle_in(
        &self,
        tx: &mut Conn,
        message: Incoming,
    ) -> Result<Vec<Outgoing>, AppError> {
        let started = std::time::Instant::now();
        let result = self.handle_one(tx, message).await;
        let outcome = match &result {
            Ok(out) if out.is_empty() => "silent",
            Ok(_) => "replied",
            Err(_) => "failed",
        };
        crate::ops::message_handled(outcome, started.elapsed());
        result
    }

    async fn handle_one(
        &self,
        tx: &mut Conn,
        message: Incoming,
    ) -> Result<Vec<Outgoing>, AppError> {
        let message = without_nul(message);
        messages::lock_chat(tx, self.channel, &message.chat).await?;
        let desk = self.desk.is_desk(&message.chat);
        if !desk && message.is_private() {
            // Reads whether the id was handled with the rest of the turn.
            return self.turn(tx, message).await;
        }
        if let Some(id) = &message.message_id
            && !messages::mark_processed(tx, self.channel, &message.chat, id, message.at).await?
        {
            duplicate(id);
            return Ok(Vec::new());
        }
        if desk {
            return Ok(self.desk.advisor_message(tx, &message).await?);
        }
        Ok(self.group_message(&message))
    }

    /// The polite sentence a trainer sees when handling failed.
    #[must_use]
    pub fn apology(chat: impl Into<ChatId>) -> Outgoing {
        Outgoing::text(
            chat,
            "Sorry, something went wrong on our side and nothing was changed. Please try again in a moment.",
        )
    }
}

/// Logs a redelivered message that is acknowledged without acting.
fn duplicate(id: &str) {
    tracing::info!(message_id = %id, "duplicate message ignored");
}

/// The message with every NUL character replaced by U+FFFD: a NUL carries no meaning in
/// a chat, and PostgreSQL's text columns cannot hold it, so both backends store the
/// same text.
fn without_nul(mut m: Incoming) -> Incoming {
    fn clean(s: &mut String) {
        if s.contains('\0') {
            *s = s.replace('\0', "\u{fffd}");
        }
    }
    clean(&mut m.chat.0);
    clean(&mut m.user);
    for s in [&mut m.name, &mut m.message_id, &mut m.reply_to]
        .into_iter()
        .flatten()
    {
        clean(s);
    }
    match &mut m.content {
        Content::Text(s) | Content::Button(s) | Content::Voice { transcript: s } => clean(s),
        Content::File { reference, caption } => {
            clean(reference);
            if let Some(c) = caption {
                clean(c);
            }
        }
        Content::VoiceFailed { .. } | Content::Unsupported => {}
    }
    m
}
