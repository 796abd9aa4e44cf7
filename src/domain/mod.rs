//! The vocabulary every other module shares: ids, messages in and out, the content of
//! a message, and the one trait a channel implements to deliver. It imports nothing of
//! ours, so anything may import it without making a cycle.
//!
//! - [`ids`]: typed ids of trainers, entries, tickets and chats, stored as they are.
//! - [`message`]: [`Incoming`], [`Outgoing`], [`Reply`], [`Button`], [`Attachment`],
//!   [`Content`], and where a personal message may go ([`personal`]).
//! - [`channel`]: the [`Transport`] trait every channel implements to deliver.
//! - [`action`]: [`Action`], what a button does, and its one encoding as button data.

pub mod action;
pub mod channel;
pub mod ids;
pub mod message;

pub use action::{Action, Day, MAX_DATA_BYTES, Switch, UnknownAction};
pub use channel::{Transport, TransportError};
pub use ids::{ChatId, EntryId, TicketId, TrainerId};
pub use message::{
    Attachment, Button, Content, Incoming, Outgoing, Reply, VoiceFailure, personal, private_prompt,
};

/// A side of the CPR/AED card (an audit needs both on file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSide {
    Front,
    Back,
}
