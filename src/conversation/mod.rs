//! The dialogue as a pure step: `(state, input, context) -> (replies, effects, state)`.
//! Every transport calls the same step (through [`crate::app::App`]), so every channel
//! behaves the same. No IO, no clock: `now` comes in the [`Context`].
//!
//! - [`intent`]: what an idle message asks for, parsed once into an enum.
//! - [`logging`]: the CEU-logging dialogue: drafts, questions, confirmation, checks.
//! - [`records`]: registration, corrections, documents, audits.
//! - [`replies`]: the words: status, entry lists, help.
//! - [`extract`]: reading CE details and dates out of free text.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::faq::Faq;
use crate::rules::{Area, CeEntry, Certification, Ceu, Policy, Provider};
use extract::Extracted;
use reading::Reading;

pub mod consent;
pub mod extract;
pub mod handoff;
pub mod intent;
pub mod logging;
pub mod reading;
pub mod records;
pub mod replies;

mod step;
pub use step::step;

// The message types live in the leaf `domain` module; these paths keep working.
pub use crate::domain::{
    Action, Button, CardOnFile, CardSide, Content, EntryId, NewEntry, Reply, Switch, VoiceFailure,
};

/// A change to the trainer's record, applied by the service in the same transaction
/// as the new state.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Create or replace the certification record.
    SaveCertification(Certification),
    SaveEntry(NewEntry),
    UpdateEntry {
        id: EntryId,
        entry: NewEntry,
    },
    DeleteEntry {
        id: EntryId,
    },
    AttachDocument {
        entry_id: EntryId,
        reference: String,
    },
    AttachCprCard {
        side: CardSide,
        reference: String,
    },
    ApprovePetition {
        id: EntryId,
    },
    /// The trainer said they applied / renewed / paid for this cycle (read back,
    /// confirmed): that cycle's renewal reminders stop.
    RecordApplication {
        on: NaiveDate,
    },
    /// The trainer said they sent every audit document to NASM (read back, confirmed).
    CloseAudit {
        on: NaiveDate,
    },
    /// NASM declined a petitioned entry (read back, confirmed): it never counts.
    DeclinePetition {
        id: EntryId,
    },
    /// A question the FAQ could not answer, kept for the support team.
    RecordFaqMiss {
        text: String,
        best: Option<(String, f32)>,
    },
    SetReminders(Switch),
    /// The trainer asked for (or needs) a person.
    RequestHuman {
        reason: String,
    },
    /// A message for the advisors, left while they were away.
    LeaveMessage {
        text: String,
    },
    /// Delete everything stored about the trainer.
    Forget,
    /// Send the trainer their own stored record as a file (the service builds it from
    /// the store and attaches it to the first reply).
    Export,
}

/// What the step knows of the trainer, loaded by the service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: Option<String>,
    pub cert: Option<Certification>,
    /// Every entry, oldest completion first.
    pub entries: Vec<CeEntry>,
    pub reminders_enabled: bool,
    /// Which sides of the CPR/AED card are on file.
    pub cpr_card: CardOnFile,
}

/// Everything the step reads besides the state and the input.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub policy: &'a Policy,
    pub faq: &'a Faq,
    pub profile: &'a Profile,
    pub now: DateTime<Utc>,
    /// An advisors' chat is configured, so hand-offs open tickets.
    pub advisors: bool,
    /// The one reading of this turn's text, made by the step before any state reads it
    /// (`None` for a button or a file).
    pub reading: Option<&'a Reading>,
}

impl<'a> Context<'a> {
    /// The context of one step for the trainer whose record is `profile`, as of `now`.
    #[must_use]
    pub const fn new(
        policy: &'a Policy,
        faq: &'a Faq,
        profile: &'a Profile,
        now: DateTime<Utc>,
        advisors: bool,
    ) -> Self {
        Self {
            policy,
            faq,
            profile,
            now,
            advisors,
            reading: None,
        }
    }

    /// This context with the turn's `reading`.
    #[must_use]
    pub const fn with_reading<'r>(&self, reading: &'r Reading) -> Context<'r>
    where
        'a: 'r,
    {
        Context {
            policy: self.policy,
            faq: self.faq,
            profile: self.profile,
            now: self.now,
            advisors: self.advisors,
            reading: Some(reading),
        }
    }

    /// The details the turn's text gives (none for a button or a file).
    #[must_use]
    pub fn found(&self) -> &'a Extracted {
        static NOTHING: std::sync::LazyLock<Extracted> =
            std::sync::LazyLock::new(Extracted::default);
        self.reading.map_or(&*NOTHING, |r| &r.found)
    }
}

/// A CEU entry being put together, one detail at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub amount: Option<Ceu>,
    pub area: Option<Area>,
    pub completed_on: Option<NaiveDate>,
    pub provider: Option<Provider>,
    pub title: Option<String>,
    /// Editing this existing entry instead of adding a new one.
    pub editing: Option<EntryId>,
    /// More courses from the same message, logged one after another after this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queue: Vec<Draft>,
}

/// Whose expiration date the trainer gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiring {
    /// The NASM-CPT certification's.
    Certification,
    /// The CPR/AED card's.
    CprCard,
}

/// A detail of a draft the bot can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    Amount,
    Area,
    Date,
    Provider,
    Title,
}

impl Field {
    /// Every detail, in the order the "what would you like to change?" buttons list them.
    pub const ALL: [Self; 5] = [
        Self::Amount,
        Self::Area,
        Self::Date,
        Self::Provider,
        Self::Title,
    ];

    /// The key a `field:` button carries.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Amount => "amount",
            Self::Area => "area",
            Self::Date => "date",
            Self::Provider => "provider",
            Self::Title => "title",
        }
    }
}

/// Where the dialogue stands. Serialised into the store so it survives restarts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum State {
    #[default]
    Idle,
    /// Waiting for the certification's expiration date; a draft may wait behind it.
    AwaitingExpiration {
        pending: Option<Draft>,
    },
    /// Asking for one missing detail of a draft.
    Asking {
        draft: Draft,
        field: Field,
    },
    /// Two different amounts were given: which one?
    ChoosingAmount {
        draft: Draft,
        options: Vec<Ceu>,
    },
    /// The summary was shown: Save / Edit / Cancel.
    Confirming {
        draft: Draft,
    },
    /// Which detail to change.
    ChoosingEdit {
        draft: Draft,
    },
    /// Same title, date and amount as an existing entry: log it again?
    ConfirmingDuplicate {
        draft: Draft,
    },
    ConfirmingDelete {
        entry_id: EntryId,
    },
    /// A file arrived and several things could own it.
    ChoosingDocument {
        reference: String,
    },
    ConfirmingForget,
    /// Waiting for the CPR/AED card's expiration date.
    AwaitingCprDate,
    /// Advisors are away: the next message is left for them.
    LeavingMessage,
    /// "I applied on …?" was asked: Yes records the application.
    ConfirmingApplication {
        on: NaiveDate,
    },
    /// Applied: waiting for NASM's new expiration date (`suggested` offered with Yes).
    AwaitingNewExpiration {
        suggested: NaiveDate,
    },
    /// "You sent every audit document on …?" was asked: Yes closes the audit.
    ConfirmingAuditSent {
        on: NaiveDate,
    },
    /// A change to the record was read back: Yes stores it.
    ConfirmingChange {
        change: records::Change,
    },
}

impl State {
    /// Whether the bot waits for a date that registers the trainer (the certification's
    /// or the CPR/AED card's expiration).
    #[must_use]
    pub const fn awaits_registration(&self) -> bool {
        match self {
            Self::AwaitingExpiration { .. } | Self::AwaitingCprDate => true,
            Self::Idle
            | Self::Asking { .. }
            | Self::ChoosingAmount { .. }
            | Self::Confirming { .. }
            | Self::ChoosingEdit { .. }
            | Self::ConfirmingDuplicate { .. }
            | Self::ConfirmingDelete { .. }
            | Self::ChoosingDocument { .. }
            | Self::ConfirmingForget
            | Self::LeavingMessage
            | Self::ConfirmingApplication { .. }
            | Self::AwaitingNewExpiration { .. }
            | Self::ConfirmingAuditSent { .. }
            | Self::ConfirmingChange { .. } => false,
        }
    }
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub replies: Vec<Reply>,
    pub effects: Vec<Effect>,
    pub state: State,
}

impl Outcome {
    #[must_use]
    pub fn reply(state: State, reply: Reply) -> Self {
        Self {
            replies: vec![reply],
            effects: Vec::new(),
            state,
        }
    }

    #[must_use]
    pub fn with_effect(mut self, effect: Effect) -> Self {
        self.effects.push(effect);
        self
    }

    #[must_use]
    pub fn then(mut self, reply: Reply) -> Self {
        self.replies.push(reply);
        self
    }
}

/// Yes or no as a button press (`yes`, anything else is no) or in words (the turn's
/// reading: [`Reading::consent`]); `None` when the input answers neither way.
#[must_use]
pub fn answer_yes(input: &Content, ctx: &Context<'_>) -> Option<bool> {
    match input {
        Content::Button(_) => Some(input.action() == Some(Action::Yes)),
        Content::Text(_) | Content::Voice { .. } => ctx.reading.and_then(Reading::consent),
        _ => None,
    }
}
