//! The application service: the one brain every transport shares. It loads a trainer's
//! record and dialogue state from the store, runs the pure conversation step, applies
//! the effects and the new state in one transaction, commits, and only then returns the
//! replies for the transport to send.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A button offered under a message; `data` comes back in [`Content::Button`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub data: String,
}

/// A message the bot sends to a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    /// The chat id as the transport writes it (Telegram ids as decimal strings).
    pub chat: String,
    /// Plain text, no markup.
    pub text: String,
    pub buttons: Vec<Button>,
}

/// What arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Text(String),
    /// The data of a button the bot sent.
    Button(String),
    /// A document or photo: the transport's reference to it (Telegram file id, or a
    /// path for JSONL), and the caption if any.
    File {
        reference: String,
        caption: Option<String>,
    },
    /// A voice note already transcribed by the transport's speech-to-text service.
    Voice {
        transcript: String,
    },
    /// A voice note that could not be transcribed; the reason is for the log only.
    VoiceFailed {
        reason: VoiceFailure,
    },
    /// Something the bot does not read (a sticker, a location): answered politely.
    Unsupported,
}

/// Why a voice note could not be turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiceFailure {
    NotConfigured,
    Unavailable,
    TooLarge,
    UnsupportedFormat,
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
}

/// Why a message could not be handled. The trainer gets a polite sentence; the log gets
/// this, with its cause chain.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("store: {0}")]
    Store(#[from] crate::store::StoreError),
}

/// The running bot: store, policy and FAQ, shared by every chat.
#[derive(Debug, Clone)]
pub struct App {
    store: crate::store::Store,
    policy: std::sync::Arc<crate::rules::Policy>,
    faq: std::sync::Arc<crate::faq::Faq>,
    advisor_chat: Option<String>,
    channel: &'static str,
}

impl App {
    /// Opens the database (creating and migrating it), loads the policy and the FAQ.
    ///
    /// # Errors
    /// The database cannot be opened or migrated (the message names the path), or the
    /// policy or FAQ does not load or validate (the message names the file).
    pub async fn start(
        settings: &crate::config::Settings,
        channel: &'static str,
    ) -> anyhow::Result<Self> {
        let _ = (settings, channel);
        todo!("lead")
    }

    /// Handles one incoming message: everything it changes is committed before the
    /// replies are returned. A message id already handled returns no replies.
    ///
    /// # Errors
    /// The store failed; nothing of this message was applied.
    pub async fn handle(&self, message: Incoming) -> Result<Vec<Outgoing>, AppError> {
        let _ = message;
        todo!("lead")
    }

    /// Runs all scheduled work as of `at` (reminder sweep, hand-off time-outs, left
    /// messages at opening) and returns what to send.
    ///
    /// # Errors
    /// The store failed.
    pub async fn tick(&self, at: DateTime<Utc>) -> Result<Vec<Outgoing>, AppError> {
        let _ = at;
        todo!("lead")
    }

    /// The polite sentence a trainer sees when handling failed.
    #[must_use]
    pub fn apology(chat: &str) -> Outgoing {
        Outgoing {
            chat: chat.to_string(),
            text: "Sorry, something went wrong on our side and nothing was changed. Please try again in a moment.".into(),
            buttons: Vec::new(),
        }
    }
}
