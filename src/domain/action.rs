//! What a button does: the one place button data is written ([`fmt::Display`]) and
//! read back ([`FromStr`]). Everything else builds buttons from an [`Action`] and
//! matches on the parsed value; no other module takes button strings apart.
//!
//! The encodings are the ones already on the wire (`yes`, `faq:ID`, `petok:ID`,
//! `area:KEY`, …), so buttons under messages sent before this type existed still work.
//! Every encoding fits Telegram's [`MAX_DATA_BYTES`] (tested over the real FAQ ids and
//! keys in `tests/it`).

use std::fmt;
use std::str::FromStr;

use super::CardSide;
use super::ids::{EntryId, TicketId};

/// Telegram's limit on a button's callback data, in bytes.
pub const MAX_DATA_BYTES: usize = 64;

/// The day a "Today" / "Yesterday" button picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    Today,
    Yesterday,
}

/// Turning something on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    On,
    Off,
}

/// The data of a button the bot sends; it comes back as [`super::Content::Button`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `yes`: confirms the question asked.
    Yes,
    /// `no`: declines it.
    No,
    /// `later`: "Not yet" (declines for now).
    Later,
    /// `save`: stores the summary shown.
    Save,
    /// `edit`: changes a detail of the summary.
    Edit,
    /// `cancel`: drops what was being done.
    Cancel,
    /// `log`: starts logging CEUs.
    Log,
    /// `human`: asks for a person.
    Human,
    /// `status`: shows where the trainer stands.
    Status,
    /// `leave_message`: leaves a message for the advisors.
    LeaveMessage,
    /// `applied`: the trainer has applied to recertify.
    Applied,
    /// `newcycle`: the trainer has the new expiration date.
    NewCycle,
    /// `audit_sent`: the audit documents were sent.
    AuditSent,
    /// `menu:N`: a page of the FAQ topics (a bare `menu`, as older buttons send, is
    /// page 0).
    Menu(usize),
    /// `faq:ID`: one FAQ answer.
    Faq(String),
    /// `reminders:on` / `reminders:off`.
    Reminders(Switch),
    /// `petok:ID`: the petition for this entry was approved.
    ApprovePetition(EntryId),
    /// `petno:ID`: the petition for this entry was declined.
    DeclinePetition(EntryId),
    /// `area:KEY`: the entry's area (a `rules::Area` key).
    Area(String),
    /// `prov:KEY`: the entry's provider (a `rules::Provider` key).
    Provider(String),
    /// `date:today` / `date:yesterday`: the day the course was completed.
    Date(Day),
    /// `field:KEY`: which detail of a draft to change (`amount`, `area`, …).
    Field(String),
    /// `amount:MINUTES`: one of several amounts mentioned.
    Amount(u32),
    /// `doc:ID`: the file sent belongs to this entry.
    Document(EntryId),
    /// `cpr:front` / `cpr:back`: the file is this side of the CPR/AED card.
    CprCard(CardSide),
    /// `claim:ID`: an advisor claims this ticket.
    Claim(TicketId),
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Yes => f.write_str("yes"),
            Self::No => f.write_str("no"),
            Self::Later => f.write_str("later"),
            Self::Save => f.write_str("save"),
            Self::Edit => f.write_str("edit"),
            Self::Cancel => f.write_str("cancel"),
            Self::Log => f.write_str("log"),
            Self::Human => f.write_str("human"),
            Self::Status => f.write_str("status"),
            Self::LeaveMessage => f.write_str("leave_message"),
            Self::Applied => f.write_str("applied"),
            Self::NewCycle => f.write_str("newcycle"),
            Self::AuditSent => f.write_str("audit_sent"),
            Self::Menu(page) => write!(f, "menu:{page}"),
            Self::Faq(id) => write!(f, "faq:{id}"),
            Self::Reminders(Switch::On) => f.write_str("reminders:on"),
            Self::Reminders(Switch::Off) => f.write_str("reminders:off"),
            Self::ApprovePetition(id) => write!(f, "petok:{id}"),
            Self::DeclinePetition(id) => write!(f, "petno:{id}"),
            Self::Area(key) => write!(f, "area:{key}"),
            Self::Provider(key) => write!(f, "prov:{key}"),
            Self::Date(Day::Today) => f.write_str("date:today"),
            Self::Date(Day::Yesterday) => f.write_str("date:yesterday"),
            Self::Field(key) => write!(f, "field:{key}"),
            Self::Amount(minutes) => write!(f, "amount:{minutes}"),
            Self::Document(id) => write!(f, "doc:{id}"),
            Self::CprCard(CardSide::Front) => f.write_str("cpr:front"),
            Self::CprCard(CardSide::Back) => f.write_str("cpr:back"),
            Self::Claim(id) => write!(f, "claim:{id}"),
        }
    }
}

/// Button data that is no [`Action`] (a button of an older release, or made up).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown button data {0:?}")]
pub struct UnknownAction(pub String);

impl FromStr for Action {
    type Err = UnknownAction;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownAction(s.to_string());
        match s.split_once(':') {
            None => plain(s).ok_or_else(unknown),
            Some((kind, arg)) => with_argument(kind, arg).ok_or_else(unknown),
        }
    }
}

fn plain(s: &str) -> Option<Action> {
    Some(match s {
        "yes" => Action::Yes,
        "no" => Action::No,
        "later" => Action::Later,
        "save" => Action::Save,
        "edit" => Action::Edit,
        "cancel" => Action::Cancel,
        "log" => Action::Log,
        "human" => Action::Human,
        "status" => Action::Status,
        "leave_message" => Action::LeaveMessage,
        "applied" => Action::Applied,
        "newcycle" => Action::NewCycle,
        "audit_sent" => Action::AuditSent,
        "menu" => Action::Menu(0),
        _ => return None,
    })
}

fn with_argument(kind: &str, arg: &str) -> Option<Action> {
    let id = || arg.parse::<i64>().ok();
    Some(match (kind, arg) {
        ("menu", page) => Action::Menu(page.parse().ok()?),
        ("faq", id) => Action::Faq(id.to_string()),
        ("reminders", "on") => Action::Reminders(Switch::On),
        ("reminders", "off") => Action::Reminders(Switch::Off),
        ("petok", _) => Action::ApprovePetition(EntryId(id()?)),
        ("petno", _) => Action::DeclinePetition(EntryId(id()?)),
        ("area", key) => Action::Area(key.to_string()),
        ("prov", key) => Action::Provider(key.to_string()),
        ("date", "today") => Action::Date(Day::Today),
        ("date", "yesterday") => Action::Date(Day::Yesterday),
        ("field", key) => Action::Field(key.to_string()),
        ("amount", minutes) => Action::Amount(minutes.parse().ok()?),
        ("doc", _) => Action::Document(EntryId(id()?)),
        ("cpr", "front") => Action::CprCard(CardSide::Front),
        ("cpr", "back") => Action::CprCard(CardSide::Back),
        ("claim", _) => Action::Claim(TicketId(id()?)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = String> {
        "[a-z0-9_:-]{0,40}"
    }

    fn action() -> impl Strategy<Value = Action> {
        let plain = prop_oneof![
            Just(Action::Yes),
            Just(Action::No),
            Just(Action::Later),
            Just(Action::Save),
            Just(Action::Edit),
            Just(Action::Cancel),
            Just(Action::Log),
            Just(Action::Human),
            Just(Action::Status),
            Just(Action::LeaveMessage),
            Just(Action::Applied),
            Just(Action::NewCycle),
            Just(Action::AuditSent),
            Just(Action::Reminders(Switch::On)),
            Just(Action::Reminders(Switch::Off)),
            Just(Action::Date(Day::Today)),
            Just(Action::Date(Day::Yesterday)),
            Just(Action::CprCard(CardSide::Front)),
            Just(Action::CprCard(CardSide::Back)),
        ];
        let with_data = prop_oneof![
            any::<usize>().prop_map(Action::Menu),
            key().prop_map(Action::Faq),
            any::<i64>().prop_map(|i| Action::ApprovePetition(EntryId(i))),
            any::<i64>().prop_map(|i| Action::DeclinePetition(EntryId(i))),
            key().prop_map(Action::Area),
            key().prop_map(Action::Provider),
            key().prop_map(Action::Field),
            any::<u32>().prop_map(Action::Amount),
            any::<i64>().prop_map(|i| Action::Document(EntryId(i))),
            any::<i64>().prop_map(|i| Action::Claim(TicketId(i))),
        ];
        prop_oneof![plain, with_data]
    }

    proptest! {
        #[test]
        fn every_action_reads_back_as_itself(a in action()) {
            let data = a.to_string();
            prop_assert_eq!(data.parse::<Action>(), Ok(a));
        }

        #[test]
        fn any_string_reads_back_as_written_or_is_refused(s in "\\PC{0,70}") {
            // Reading never panics; what it accepts it writes back in a form that
            // reads as the same action.
            if let Ok(a) = s.parse::<Action>() {
                prop_assert_eq!(a.to_string().parse::<Action>(), Ok(a));
            }
        }
    }

    #[test]
    fn the_encodings_already_on_the_wire_still_read() {
        let cases = [
            ("yes", Action::Yes),
            ("later", Action::Later),
            ("menu:0", Action::Menu(0)),
            ("menu:2", Action::Menu(2)),
            ("faq:late_fee", Action::Faq("late_fee".into())),
            ("petok:12", Action::ApprovePetition(EntryId(12))),
            ("petno:12", Action::DeclinePetition(EntryId(12))),
            ("area:nutrition", Action::Area("nutrition".into())),
            ("prov:nasm", Action::Provider("nasm".into())),
            ("date:yesterday", Action::Date(Day::Yesterday)),
            ("field:title", Action::Field("title".into())),
            ("amount:240", Action::Amount(240)),
            ("doc:3", Action::Document(EntryId(3))),
            ("cpr:back", Action::CprCard(CardSide::Back)),
            ("claim:7", Action::Claim(TicketId(7))),
            ("reminders:off", Action::Reminders(Switch::Off)),
            ("audit_sent", Action::AuditSent),
        ];
        for (data, action) in cases {
            assert_eq!(data.parse::<Action>(), Ok(action.clone()), "{data}");
            assert_eq!(action.to_string(), data);
        }
        // The "Show topics" button of older releases.
        assert_eq!("menu".parse::<Action>(), Ok(Action::Menu(0)));
    }

    #[test]
    fn unknown_or_malformed_data_is_refused() {
        for data in [
            "",
            "yess",
            "petok:x",
            "amount:-1",
            "cpr:side",
            "date:monday",
            "menu:x",
        ] {
            assert!(data.parse::<Action>().is_err(), "{data}");
        }
    }

    #[test]
    fn the_widest_numbers_fit_telegram() {
        let widest = [
            Action::Menu(usize::MAX),
            Action::Amount(u32::MAX),
            Action::ApprovePetition(EntryId(i64::MIN)),
            Action::DeclinePetition(EntryId(i64::MIN)),
            Action::Document(EntryId(i64::MIN)),
            Action::Claim(TicketId(i64::MIN)),
            Action::LeaveMessage,
        ];
        for a in widest {
            assert!(a.to_string().len() <= MAX_DATA_BYTES, "{a}");
        }
    }
}
