//! Button data: every encoding the bot can send fits Telegram's 64 bytes, over the real
//! FAQ ids, areas, providers and draft fields, and reads back as the action it wrote.

use recert_bot::conversation::Field;
use recert_bot::domain::{Action, CardSide, Day, EntryId, MAX_DATA_BYTES, Switch, TicketId};
use recert_bot::faq::Faq;
use recert_bot::rules::{Area, Policy, Provider};

/// Every action the bot can put on a button, with the widest values it can carry.
fn every_action() -> Vec<Action> {
    let policy = Policy::embedded();
    let faq = Faq::embedded(&policy).expect("embedded FAQ");
    assert!(!faq.entries().is_empty(), "the FAQ ids are checked");
    let widest_id = EntryId(i64::MIN);
    let mut all = vec![
        Action::Yes,
        Action::No,
        Action::Later,
        Action::Save,
        Action::Edit,
        Action::Cancel,
        Action::Log,
        Action::Human,
        Action::Status,
        Action::LeaveMessage,
        Action::Applied,
        Action::NewCycle,
        Action::AuditSent,
        Action::Menu(0),
        Action::Menu(faq.entries().len()),
        Action::Reminders(Switch::On),
        Action::Reminders(Switch::Off),
        Action::ApprovePetition(widest_id),
        Action::DeclinePetition(widest_id),
        Action::Date(Day::Today),
        Action::Date(Day::Yesterday),
        Action::Amount(u32::MAX),
        Action::Document(widest_id),
        Action::CprCard(CardSide::Front),
        Action::CprCard(CardSide::Back),
        Action::Claim(TicketId(i64::MIN)),
    ];
    all.extend(faq.entries().iter().map(|e| Action::Faq(e.id.clone())));
    all.extend(Area::ALL.iter().map(|a| Action::Area(a.key().into())));
    all.extend(
        Provider::ALL
            .iter()
            .map(|p| Action::Provider(p.key().into())),
    );
    all.extend(Field::ALL.iter().map(|f| Action::Field(f.key().into())));
    all
}

#[test]
fn every_encoding_fits_telegrams_64_bytes() {
    for a in every_action() {
        let data = a.to_string();
        assert!(
            data.len() <= MAX_DATA_BYTES,
            "{data:?} is {} bytes",
            data.len()
        );
        assert_eq!(data.parse::<Action>(), Ok(a));
    }
}
