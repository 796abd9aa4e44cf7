//! Messages in and out of the bot, in every channel's common form.
//!
//! Where personal messages go: a trainer's private chat is the only place anything
//! about them is sent (replies, reminders, advisor replies, relays, hand-off notices).
//! A chat is private when its id is the user's own (JSONL: `chat` equals `user`;
//! Telegram: a private chat's id is the user's id, a group's never is). Where the
//! trainer has no private chat with the bot, [`personal`] sends the short
//! [`private_prompt`] instead, with no personal data.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::action::Action;
use super::ids::{ChatId, TicketId};

/// A button offered under a message; `data` (an [`Action`] written out) comes back as
/// [`Content::Button`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub data: String,
}

impl Button {
    #[must_use]
    pub fn new(label: impl Into<String>, action: Action) -> Self {
        Self {
            label: label.into(),
            data: action.to_string(),
        }
    }

    /// What pressing it does; `None` for data that is no [`Action`].
    #[must_use]
    pub fn action(&self) -> Option<Action> {
        self.data.parse().ok()
    }
}

/// What arrived from the trainer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Text(String),
    /// The data of a button the bot sent, as it came (read it with [`Content::action`]).
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

impl Content {
    /// The action of a pressed button; `None` for anything else, or for button data
    /// that is no [`Action`] (a button of an older release).
    #[must_use]
    pub fn action(&self) -> Option<Action> {
        match self {
            Self::Button(data) => data.parse().ok(),
            _ => None,
        }
    }
}

/// Why a voice note could not be turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiceFailure {
    NotConfigured,
    Unavailable,
    TooLarge,
    UnsupportedFormat,
}

/// One message from the bot to the trainer, before it is addressed to a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub text: String,
    pub buttons: Vec<Button>,
}

impl Reply {
    #[must_use]
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            buttons: Vec::new(),
        }
    }

    #[must_use]
    pub fn with_buttons(text: impl Into<String>, buttons: Vec<Button>) -> Self {
        Self {
            text: text.into(),
            buttons,
        }
    }
}

/// A message the bot sends to a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    /// The chat id as the transport writes it (Telegram ids as decimal strings).
    pub chat: ChatId,
    /// Plain text, no markup.
    pub text: String,
    pub buttons: Vec<Button>,
    /// A file sent with the message (the `/export` record); absent on most messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Attachment>,
    /// This message is the card of this hand-off ticket: a channel that can edit its
    /// messages replaces the ticket's earlier card in place instead of posting anew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<TicketId>,
    /// Sent instead if this message cannot be delivered for good (the chat blocked the
    /// bot, or the advisors' chat is out of reach).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_undelivered: Option<Box<Outgoing>>,
}

impl Outgoing {
    /// Plain text to a chat.
    #[must_use]
    pub fn text(chat: impl Into<ChatId>, text: impl Into<String>) -> Self {
        Self::reply(chat, Reply::text(text))
    }

    /// One of the conversation's replies, sent to a chat.
    #[must_use]
    pub fn reply(chat: impl Into<ChatId>, reply: Reply) -> Self {
        Self {
            chat: chat.into(),
            text: reply.text,
            buttons: reply.buttons,
            document: None,
            card: None,
            if_undelivered: None,
        }
    }

    /// The same message as the card of `ticket` (edited in place where possible).
    #[must_use]
    pub fn as_card(mut self, ticket: TicketId) -> Self {
        self.card = Some(ticket);
        self
    }

    /// The same message, with `fallback` sent instead if it cannot be delivered.
    #[must_use]
    pub fn or_else(mut self, fallback: Self) -> Self {
        self.if_undelivered = Some(Box::new(fallback));
        self
    }
}

/// A file the bot sends with a message, with its content as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
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
    pub chat: ChatId,
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

impl Incoming {
    /// Whether this came from the sender's private chat with the bot.
    #[must_use]
    pub fn is_private(&self) -> bool {
        self.chat == self.user
    }
}

/// The prompt posted instead of a personal message where the trainer has no private
/// chat with the bot: their first name, no CEUs, dates, fees, audit or transcript.
#[must_use]
pub fn private_prompt(name: Option<&str>) -> String {
    let hello = name.map_or_else(|| "Hi".to_string(), |n| format!("Hi {n}"));
    format!(
        "{hello}, for your privacy I only talk about your own record (CEUs, dates, fees, reminders) in a private chat. Please message me directly; here I can answer general questions about recertification."
    )
}

/// A personal message for the trainer whose stored chat is `chat` and whose user id is
/// `user`: to their private chat, or the prompt where that is not known.
#[must_use]
pub fn personal(chat: &ChatId, user: &str, name: Option<&str>, reply: Reply) -> Outgoing {
    if *chat == *user {
        Outgoing::reply(chat, reply)
    } else {
        Outgoing::text(chat, private_prompt(name))
    }
}
