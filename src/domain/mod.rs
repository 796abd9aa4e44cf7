//! The vocabulary every other module shares: ids, messages in and out, the content of
//! a message, and the one trait a channel implements to deliver. It imports nothing of
//! ours, so anything may import it without making a cycle.
//!
//! - [`ids`]: typed ids of trainers, entries, tickets and chats, stored as they are.
//! - [`message`]: [`Incoming`], [`Outgoing`], [`Reply`], [`Button`], [`Attachment`],
//!   [`Content`], and where a personal message may go ([`personal`]).
//! - [`channel`]: the [`Transport`] trait every channel implements to deliver.
//! - [`action`]: [`Action`], what a button does, and its one encoding as button data.
//! - [`units`]: exact CEUs ([`Ceu`], contact minutes), money ([`Cents`]), [`Area`] and
//!   [`Provider`].
//! - [`phase`]: [`Phase`], where a certification stands after its expiration date.
//! - [`entry`]: [`NewEntry`], a confirmed entry before it is stored.

pub mod action;
pub mod channel;
pub mod entry;
pub mod ids;
pub mod message;
pub mod phase;
pub mod units;

pub use action::{Action, Day, MAX_DATA_BYTES, Switch, UnknownAction};
pub use channel::{Transport, TransportError};
pub use entry::NewEntry;
pub use ids::{ChatId, EntryId, TicketId, TrainerId};
pub use message::{
    Attachment, Button, Content, Incoming, Outgoing, Reply, VoiceFailure, personal, private_prompt,
};
pub use phase::Phase;
pub use units::{Area, Cents, Ceu, Provider};

/// A side of the CPR/AED card (an audit needs both on file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSide {
    Front,
    Back,
}

/// Which sides of the trainer's CPR/AED card are on file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CardOnFile {
    pub front: bool,
    pub back: bool,
}

impl CardOnFile {
    /// Both sides.
    pub const BOTH: Self = Self {
        front: true,
        back: true,
    };

    /// Whether `side` is on file.
    #[must_use]
    pub const fn has(self, side: CardSide) -> bool {
        match side {
            CardSide::Front => self.front,
            CardSide::Back => self.back,
        }
    }
}
