//! The one thing every channel does for the rest of the bot: deliver a message. The
//! app, the desk and the reminder delivery send through this trait, so none of them
//! depends on a channel; `transport` holds the implementations.

use std::future::Future;

use super::message::Outgoing;

/// Why a message could not be delivered.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("delivery to chat {chat} failed: {reason}")]
    Delivery { chat: String, reason: String },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Something that can deliver the bot's messages: used for replies and for proactive
/// messages (reminders, hand-off relays).
pub trait Transport {
    /// The channel's name as stored with each trainer (`telegram`, `console`, `jsonl`).
    fn channel(&self) -> &'static str;

    /// Delivers one message.
    ///
    /// # Errors
    /// The platform refused it or could not be reached (after the adapter's retries).
    fn send(&self, message: &Outgoing) -> impl Future<Output = Result<(), TransportError>> + Send;
}
