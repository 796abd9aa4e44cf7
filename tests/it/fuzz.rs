//! Hostile input, as property tests (the short fuzz pass that runs with every
//! `cargo test`; the cargo-fuzz targets in `fuzz/` run the same entry points longer):
//! arbitrary Unicode mixed with control characters, right-to-left marks, SQL and HTML
//! fragments, 400-digit numbers and 100 KB lines go through extraction, the FAQ
//! matcher, the conversation step in every dialogue state and the JSONL line parser
//! without a panic; and through the app with a real store, random messages never store
//! or delete an entry without the trainer's confirmation, and leave the schema intact.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use recert_bot::conversation::{
    self, Content, Context, Draft, Field, Profile, State, VoiceFailure, extract,
};
use recert_bot::domain::{CardOnFile, EntryId};
use recert_bot::faq::Faq;
use recert_bot::rules::{Area, CeEntry, Certification, Ceu, Policy, Provider};
use recert_bot::transport::jsonl::parse_line;

use crate::support::{at, spawn_app, text};

static POLICY: LazyLock<Policy> = LazyLock::new(Policy::embedded);
static FAQ: LazyLock<Faq> = LazyLock::new(|| Faq::embedded(&POLICY).expect("embedded FAQ"));

/// Pieces an attacker or a confused client would send.
const HOSTILE: &[&str] = &[
    "'; DROP TABLE ce_entries; --",
    "\" OR 1=1 --",
    "Robert'); DELETE FROM trainers; --",
    "<script>alert(1)</script>",
    "<b>bold</b> &amp; &lt;",
    "\u{200f}",
    "\u{202e}",
    "\u{202d}",
    "\u{feff}",
    "\u{0}",
    "\u{7}",
    "\r\n",
    "\t",
    "\u{1b}[31m",
    "\u{fffd}",
    "🏋️‍♀️",
    "e\u{301}",
    "1e309",
    "-0",
    "NaN",
    "0.0000001",
    "4 hours",
    "0.4 CEUs",
    "2 CEU",
    "yesterday",
    "Feb 30, 2027",
    "9999-99-99",
    "yes",
    "save",
    "/delete 1",
    "/edit 99999999999999999999",
    "/forget",
    "/export",
    "undo",
    "%s%n%x",
    "{\"chat\":",
];

fn four_hundred_digits() -> String {
    "9".repeat(400)
}

/// Text made of hostile pieces, arbitrary Unicode and long numbers.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(HOSTILE).prop_map(str::to_string),
        3 => any::<String>(),
        1 => Just(four_hundred_digits()),
        1 => "[0-9]{1,40}(\\.[0-9]{1,40})? ?(hours?|CEUs?|minutes)",
        2 => "[a-zA-Z ]{0,20}",
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.join(" "))
}

/// Around 100 KB of hostile text.
fn huge_text() -> impl Strategy<Value = String> {
    hostile_text().prop_map(|t| {
        let unit = if t.is_empty() {
            four_hundred_digits()
        } else {
            t
        };
        unit.repeat(100_000 / unit.len() + 1)
    })
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2000-01-01 to 2100-01-01.
    (946_684_800i64..4_102_444_800).prop_map(|s| Utc.timestamp_opt(s, 0).single().expect("instant"))
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..36_500).prop_map(|d| {
        NaiveDate::from_ymd_opt(2000, 1, 1).expect("date") + chrono::Days::new(d as u64)
    })
}

fn draft() -> impl Strategy<Value = Draft> {
    (
        proptest::option::of(0u32..100_000),
        proptest::option::of(proptest::sample::select(Area::ALL.to_vec())),
        proptest::option::of(date()),
        proptest::option::of(proptest::sample::select(Provider::ALL.to_vec())),
        proptest::option::of(hostile_text()),
        proptest::option::of(any::<i64>()),
    )
        .prop_map(
            |(minutes, area, completed_on, provider, title, editing)| Draft {
                amount: minutes.map(Ceu::from_minutes),
                area,
                completed_on,
                provider,
                title,
                editing: editing.map(EntryId),
                queue: Vec::new(),
            },
        )
}

/// Every dialogue state, with arbitrary contents.
fn state() -> impl Strategy<Value = State> {
    let field = proptest::sample::select(vec![
        Field::Amount,
        Field::Area,
        Field::Date,
        Field::Provider,
        Field::Title,
    ]);
    prop_oneof![
        Just(State::Idle),
        proptest::option::of(draft()).prop_map(|pending| State::AwaitingExpiration { pending }),
        (draft(), field).prop_map(|(draft, field)| State::Asking { draft, field }),
        (draft(), proptest::collection::vec(0u32..100_000, 0..4)).prop_map(|(draft, o)| {
            State::ChoosingAmount {
                draft,
                options: o.into_iter().map(Ceu::from_minutes).collect(),
            }
        }),
        draft().prop_map(|draft| State::Confirming { draft }),
        draft().prop_map(|draft| State::ChoosingEdit { draft }),
        draft().prop_map(|draft| State::ConfirmingDuplicate { draft }),
        any::<i64>().prop_map(|id| State::ConfirmingDelete {
            entry_id: EntryId(id),
        }),
        hostile_text().prop_map(|reference| State::ChoosingDocument { reference }),
        Just(State::ConfirmingForget),
        Just(State::LeavingMessage),
    ]
}

/// Button data: the shapes the bot sends, with hostile or out-of-range arguments.
fn button_data() -> impl Strategy<Value = String> {
    let kind = proptest::sample::select(vec![
        "faq",
        "menu",
        "human",
        "status",
        "leave_message",
        "log",
        "reminders",
        "petok",
        "doc",
        "cpr",
        "area",
        "prov",
        "date",
        "amount",
        "save",
        "edit",
        "cancel",
        "yes",
        "no",
        "claim",
    ]);
    (kind, hostile_text()).prop_map(|(k, arg)| format!("{k}:{arg}"))
}

fn content() -> impl Strategy<Value = Content> {
    prop_oneof![
        4 => hostile_text().prop_map(Content::Text),
        2 => button_data().prop_map(Content::Button),
        1 => any::<String>().prop_map(Content::Button),
        1 => (hostile_text(), proptest::option::of(hostile_text()))
            .prop_map(|(reference, caption)| Content::File { reference, caption }),
        1 => hostile_text().prop_map(|transcript| Content::Voice { transcript }),
        1 => Just(Content::VoiceFailed { reason: VoiceFailure::TooLarge }),
        1 => Just(Content::Unsupported),
    ]
}

fn profile() -> impl Strategy<Value = Profile> {
    let entry = (
        1i64..50,
        date(),
        1u32..2000,
        0usize..6,
        0usize..3,
        any::<bool>(),
    )
        .prop_map(
            |(id, completed_on, minutes, area, provider, flag)| CeEntry {
                id: EntryId(id),
                completed_on,
                amount: Ceu::from_minutes(minutes),
                area: Area::ALL[area],
                provider: Provider::ALL[provider],
                title: flag.then(|| "'; DROP TABLE ce_entries; --".to_string()),
                petition_approved: flag,
                petition_declined: false,
                has_document: !flag,
            },
        );
    let cert = (
        date(),
        proptest::option::of(date()),
        any::<bool>(),
        proptest::option::of(date()),
    )
        .prop_map(|(expires_on, cpr, rfl, audit)| Certification {
            expires_on,
            cpr_expires_on: cpr,
            recertify_for_life: rfl,
            audit_selected_on: audit,
            applied_on: None,
            audit_closed_on: None,
            counts_from: None,
        });
    (
        proptest::option::of(hostile_text()),
        proptest::option::of(cert),
        proptest::collection::vec(entry, 0..6),
        any::<bool>(),
        any::<(bool, bool)>(),
    )
        .prop_map(
            |(name, cert, entries, reminders_enabled, (front, back))| Profile {
                name,
                cert,
                entries,
                reminders_enabled,
                cpr_card: CardOnFile { front, back },
            },
        )
}

/// A JSONL line: valid-looking objects with hostile values, or arbitrary text.
fn jsonl_line() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        hostile_text().prop_map(serde_json::Value::String),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        Just(serde_json::json!([1, {"a": []}])),
    ];
    let key = proptest::sample::select(vec![
        "chat", "user", "text", "button", "voice", "file", "at", "name", "id", "tick", "caption",
        "reply_to", "x",
    ]);
    prop_oneof![
        proptest::collection::btree_map(key, value, 0..6)
            .prop_map(|m| serde_json::to_string(&m).expect("json")),
        hostile_text(),
        Just(format!("{{\"tick\": {}}}", four_hundred_digits())),
        Just("[".repeat(10_000)),
    ]
}

fn step_once(state: State, input: &Content, profile: &Profile, now: DateTime<Utc>, advisors: bool) {
    let ctx = Context::new(&POLICY, &FAQ, profile, now, advisors);
    let outcome = conversation::step(state, input, &ctx);
    // Whatever came in, the new state serialises for the store.
    serde_json::to_string(&outcome.state).expect("state serialises");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn extraction_survives_hostile_text(t in hostile_text(), now in instant()) {
        let _ = extract::extract(&t, now, POLICY.contact.trainer_timezone);
    }

    #[test]
    fn faq_lookup_survives_hostile_text(t in hostile_text()) {
        let _ = FAQ.lookup(&t);
    }

    #[test]
    fn jsonl_parser_survives_hostile_lines(line in jsonl_line(), now in instant()) {
        let _ = parse_line(&line, now);
    }

    #[test]
    fn the_step_survives_every_state_and_input(
        s in state(),
        input in content(),
        profile in profile(),
        now in instant(),
        voice in any::<bool>(),
    ) {
        step_once(s, &input, &profile, now, voice);
    }
}

proptest! {
    // 100 KB inputs: few cases, the point is size, not variety.
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn hundred_kilobyte_lines_pass_through_everything(t in huge_text(), s in state(), now in instant()) {
        prop_assert!(t.len() >= 100_000);
        let _ = extract::extract(&t, now, POLICY.contact.trainer_timezone);
        let _ = FAQ.lookup(&t);
        let _ = parse_line(&t, now);
        let line = serde_json::json!({"chat": "c", "user": "u", "text": t}).to_string();
        // A text of white space only is an input error ("text" must not be empty).
        prop_assert_eq!(parse_line(&line, now).is_ok(), !t.trim().is_empty());
        step_once(s, &Content::Text(t.clone()), &Profile::default(), now, false);
    }
}

/// Whether a message is an explicit confirmation (text yes or a Save/Delete button).
fn confirms(content: &Content) -> bool {
    match content {
        Content::Text(t) => conversation::consent::yes_no(t) == Some(true),
        Content::Button(d) => d == "save" || d == "yes",
        _ => false,
    }
}

/// Random messages from a registered trainer: hostile text, log-like sentences and
/// confirmations, button data (with `save`, `yes`) and files.
fn chat_message() -> impl Strategy<Value = Content> {
    prop_oneof![
        2 => hostile_text().prop_map(Content::Text),
        3 => (1u32..9, proptest::sample::select(vec!["nutrition", "assessment", "'; DROP TABLE ce_entries; --"]))
            .prop_map(|(h, a)| Content::Text(format!("I did a {h} hour {a} course from NASM yesterday"))),
        2 => proptest::sample::select(vec!["yes", "no", "undo", "/delete 1", "/edit 1", "edit", "/forget"])
            .prop_map(|t| Content::Text(t.to_string())),
        2 => button_data().prop_map(Content::Button),
        3 => proptest::sample::select(vec!["save", "yes", "no", "cancel", "area:nutrition", "prov:nasm"])
            .prop_map(|d| Content::Button(d.to_string())),
        1 => hostile_text().prop_map(|reference| Content::File { reference, caption: None }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The entries table only changes on a confirmation: an entry appears only when the
    /// message confirmed a summary the bot had just shown, and disappears only when it
    /// confirmed "Delete this entry?" (or "Delete it all?"). The schema survives.
    #[test]
    fn random_messages_never_store_or_delete_without_confirmation(
        messages in proptest::collection::vec(chat_message(), 1..14),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let t = spawn_app().await;
            t.say("f", "my certification expires June 30, 2027", "2026-11-23T18:00:00Z").await;
            t.say("f", "yes", "2026-11-23T18:00:00Z").await;
            let schema = schema(&t).await;
            let mut last_prompt = String::new();
            for (i, m) in messages.iter().enumerate() {
                let before = t.entries("f").await.len();
                let when = (at("2026-11-24T03:00:00Z") + chrono::Duration::seconds(i as i64)).to_rfc3339();
                let out = t.send("f", m.clone(), &when, None).await;
                let after = t.entries("f").await.len();
                if after > before {
                    prop_assert!(confirms(m), "stored on {m:?}");
                    prop_assert!(last_prompt.contains("Save?") || last_prompt.contains("again?"),
                        "stored without a summary shown: {last_prompt}");
                    prop_assert_eq!(after, before + 1);
                }
                if after < before {
                    prop_assert!(confirms(m), "deleted on {m:?}");
                    prop_assert!(last_prompt.contains("Delete"), "deleted without asking: {last_prompt}");
                }
                last_prompt = text(&out);
            }
            prop_assert_eq!(schema, self::schema(&t).await);
            Ok(())
        })?;
    }
}

/// The tables and their columns, and on SQLite its own integrity check.
async fn schema(t: &crate::support::TestApp) -> Vec<String> {
    let mut conn = crate::db::conn(t.app.store()).await;
    let sql = conn.pick(
        "SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
         WHERE m.type = 'table' ORDER BY 1",
        "SELECT (table_name || '.' || column_name)::text FROM information_schema.columns
         WHERE table_schema = 'public' ORDER BY 1",
    );
    let mut rows: Vec<String> = recert_bot::on!(&mut conn, |c| sqlx::query_scalar(sql)
        .fetch_all(c)
        .await
        .expect("schema"));
    if let Some(c) = conn.as_sqlite() {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(c)
            .await
            .expect("integrity check");
        rows.push(check);
    }
    rows
}
