//! Typed ids, so a ticket id is never passed where a trainer id belongs. Each is stored
//! as the plain value it wraps (`sqlx(transparent)`) and serialised the same way.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }
    };
}

row_id!(
    /// A trainer's row id.
    TrainerId
);
row_id!(
    /// A continuing-education entry's row id.
    EntryId
);
row_id!(
    /// A hand-off ticket's number, as advisors see it (`[#12]`).
    TicketId
);

/// A chat as the transport names it (Telegram ids as decimal strings, any string over
/// JSONL). A private chat's id equals its user's id.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct ChatId(pub String);

impl ChatId {
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ChatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ChatId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ChatId {
    fn from(id: &str) -> Self {
        Self(id.to_string())
    }
}

impl From<String> for ChatId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl From<&String> for ChatId {
    fn from(id: &String) -> Self {
        Self(id.clone())
    }
}

impl From<&Self> for ChatId {
    fn from(id: &Self) -> Self {
        id.clone()
    }
}

impl PartialEq<str> for ChatId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ChatId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for ChatId {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<ChatId> for &str {
    fn eq(&self, other: &ChatId) -> bool {
        *self == other.0
    }
}

impl PartialEq<ChatId> for str {
    fn eq(&self, other: &ChatId) -> bool {
        self == other.0
    }
}
