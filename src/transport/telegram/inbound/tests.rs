use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use teloxide::types::{Update, UserId};

use super::*;

const BOT: u64 = 999;
const ADVISORS: i64 = -100_777;

fn me() -> BotIdentity {
    BotIdentity {
        id: UserId(BOT),
        username: "RecertBot".into(),
    }
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 18, 0, 0).unwrap()
}

fn user(id: i64) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "Ana"})
}

fn private(id: i64) -> Value {
    json!({"id": id, "type": "private", "first_name": "Ana"})
}

fn group(id: i64) -> Value {
    json!({"id": id, "type": "supergroup", "title": "Gym"})
}

fn message(chat: Value, extra: Value) -> Value {
    let mut m = json!({"message_id": 7, "date": 1_700_000_000, "chat": chat, "from": user(42)});
    m.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    m
}

fn update(kind: &str, body: Value) -> Update {
    let mut u = json!({"update_id": 1});
    u[kind] = body;
    serde_json::from_str(&u.to_string()).expect("a valid update")
}

fn map(u: &Update) -> Inbound {
    inbound(u, &me(), Some(&ADVISORS.to_string()), at())
}

fn content(u: &Update) -> Option<Content> {
    match map(u) {
        Inbound::Handle(i) => Some(i.content),
        Inbound::Ignore(_) => None,
    }
}

#[test]
fn a_private_text_message_becomes_incoming_with_ids() {
    let u = update("message", message(private(42), json!({"text": "hello"})));
    let Inbound::Handle(i) = map(&u) else {
        panic!("{:?} {u:?}", map(&u))
    };
    assert_eq!(i.chat, "42");
    assert_eq!(i.user, "42");
    assert_eq!(i.name.as_deref(), Some("Ana"));
    assert_eq!(i.message_id.as_deref(), Some("m:7"));
    assert_eq!(i.at, at());
    assert_eq!(i.content, Content::Text("hello".into()));
}

#[test]
fn media_kinds_map_to_content() {
    let photo = json!({"photo": [
        {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
        {"file_id": "big", "file_unique_id": "b", "width": 800, "height": 600}
    ], "caption": "CPR card front"});
    let doc = json!({"document": {"file_id": "doc1", "file_unique_id": "d"}});
    let voice = json!({"voice": {"file_id": "v1", "file_unique_id": "v", "duration": 3, "mime_type": "audio/ogg", "file_size": 4000}});
    let sticker = json!({"sticker": {"file_id": "st", "file_unique_id": "st", "type": "regular",
        "width": 512, "height": 512, "is_animated": false, "is_video": false}});
    let location = json!({"location": {"latitude": 1.0, "longitude": 2.0}});
    let cases = [
        (
            photo,
            Some(Content::File {
                reference: "big".into(),
                caption: Some("CPR card front".into()),
            }),
        ),
        (
            doc,
            Some(Content::File {
                reference: "doc1".into(),
                caption: None,
            }),
        ),
        (
            voice,
            Some(Content::VoiceFailed {
                reason: VoiceFailure::NotConfigured,
            }),
        ),
        (sticker, Some(Content::Unsupported)),
        (location, Some(Content::Unsupported)),
    ];
    for (extra, want) in cases {
        let u = update("message", message(private(42), extra.clone()));
        assert_eq!(content(&u), want, "{extra}");
    }
}

#[test]
fn group_messages_need_a_mention_a_reply_or_a_command() {
    let bot_msg = json!({"message_id": 3, "date": 1_700_000_000, "chat": group(-5),
        "from": {"id": BOT, "is_bot": true, "first_name": "Recert", "username": "RecertBot"}, "text": "hi"});
    let cases = [
        (json!({"text": "just chatting"}), None),
        (
            json!({"text": "hey @recertbot what is a CEU?",
            "entities": [{"type": "mention", "offset": 4, "length": 10}]}),
            Some(Content::Text("hey  what is a CEU?".into())),
        ),
        (
            json!({"text": "hey @OtherBot", "entities": [{"type": "mention", "offset": 4, "length": 9}]}),
            None,
        ),
        (
            json!({"text": "/status", "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}),
            Some(Content::Text("/status".into())),
        ),
        (
            json!({"text": "/status@OtherBot", "entities": [{"type": "bot_command", "offset": 0, "length": 16}]}),
            None,
        ),
        (
            json!({"text": "thanks", "reply_to_message": bot_msg}),
            Some(Content::Text("thanks".into())),
        ),
    ];
    for (extra, want) in cases {
        let u = update("message", message(group(-5), extra.clone()));
        assert_eq!(content(&u), want, "{extra}");
    }
}

#[test]
fn the_advisors_chat_passes_through_without_a_mention() {
    let u = update(
        "message",
        message(group(ADVISORS), json!({"text": "I'll take this one"})),
    );
    let Inbound::Handle(i) = map(&u) else {
        panic!("{:?} {u:?}", map(&u))
    };
    assert_eq!(i.chat, ADVISORS.to_string());
    assert_eq!(i.content, Content::Text("I'll take this one".into()));
}

#[test]
fn a_button_press_carries_its_data_and_the_callback_id() {
    let q = json!({"id": "abc", "from": user(42), "chat_instance": "ci", "data": "save",
        "message": message(private(42), json!({"text": "Save this?"}))});
    let Inbound::Handle(i) = map(&update("callback_query", q)) else {
        panic!("handled")
    };
    assert_eq!(i.chat, "42");
    assert_eq!(i.message_id.as_deref(), Some("cb:abc"));
    assert_eq!(i.content, Content::Button("save".into()));
}

#[test]
fn junk_updates_are_ignored() {
    let edited = update(
        "edited_message",
        message(
            private(42),
            json!({"text": "fixed", "edit_date": 1_700_000_100}),
        ),
    );
    let post = update(
        "channel_post",
        json!({"message_id": 1, "date": 1_700_000_000,
        "chat": {"id": -1_001, "type": "channel", "title": "News"}, "text": "news"}),
    );
    let joined = update(
        "message",
        message(group(-5), json!({"new_chat_members": [user(43)]})),
    );
    let from_bot = update(
        "message",
        json!({"message_id": 2, "date": 1_700_000_000, "chat": private(42),
        "from": {"id": 5, "is_bot": true, "first_name": "B"}, "text": "hi"}),
    );
    let unknown: Update =
        serde_json::from_str(r#"{"update_id": 9, "something_new": {"x": 1}}"#).unwrap();
    for u in [edited, post, joined, from_bot, unknown] {
        assert!(matches!(map(&u), Inbound::Ignore(_)), "{u:?}");
    }
}

#[test]
fn strip_mention_removes_the_bot_name_in_any_case() {
    let cases = [
        ("@RecertBot hello", "hello"),
        ("hello @recertbot", "hello"),
        ("no mention", "no mention"),
        ("é @RECERTBOT é", "é  é"),
        ("line one\n@RecertBot line two", "line one\n line two"),
    ];
    for (text, want) in cases {
        assert_eq!(strip_mention(text, "RecertBot"), want, "{text:?}");
    }
}

#[test]
fn voice_notes_carry_their_file_size_and_mime_type() {
    let cases = [
        (
            json!({"voice": {"file_id": "v1", "file_unique_id": "v", "duration": 3, "mime_type": "audio/ogg", "file_size": 4000}}),
            Some(("v1", Some(4000), Some("audio/ogg"))),
        ),
        (
            json!({"voice": {"file_id": "v2", "file_unique_id": "v", "duration": 3, "file_size": 0, "mime_type": null}}),
            Some(("v2", None, Some("audio/ogg"))),
        ),
        (
            json!({"audio": {"file_id": "a1", "file_unique_id": "a", "duration": 3, "mime_type": "audio/mpeg", "file_name": "x.ogg", "file_size": 10}}),
            Some(("a1", Some(10), Some("audio/mpeg"))),
        ),
        (
            json!({"audio": {"file_id": "a2", "file_unique_id": "a", "duration": 3, "file_name": "memo.m4a", "file_size": 0, "mime_type": null}}),
            Some(("a2", None, Some("audio/m4a"))),
        ),
        (
            json!({"audio": {"file_id": "a3", "file_unique_id": "a", "duration": 3, "file_size": 0, "mime_type": null}}),
            Some(("a3", None, None)),
        ),
        (json!({"text": "hello"}), None),
    ];
    for (extra, want) in cases {
        let u = update("message", message(private(42), extra.clone()));
        let want = want.map(
            |(id, size, mime): (&str, Option<u64>, Option<&str>)| VoiceNote {
                file_id: id.into(),
                size,
                mime: mime.map(str::to_string),
            },
        );
        assert_eq!(voice_note(&u), want, "{extra}");
    }
}
