//! Table-driven tests of JSONL line parsing.

use super::*;

fn now() -> DateTime<Utc> {
    "2026-11-23T18:00:00Z".parse().expect("instant")
}

fn message(chat: &str, user: &str, content: Content) -> Line {
    Line::Message(Incoming {
        chat: chat.into(),
        user: user.into(),
        name: None,
        message_id: None,
        at: now(),
        content,
        reply_to: None,
    })
}

#[test]
fn valid_lines() {
    let text = |t: &str| Content::Text(t.into());
    let mut named = message("c1", "u1", text("hi"));
    if let Line::Message(m) = &mut named {
        m.name = Some("Sam".into());
        m.message_id = Some("42".into());
        m.at = "2026-11-23T10:00:00Z".parse().expect("instant");
    }
    let cases: Vec<(&str, Line)> = vec![
        ("", Line::Blank),
        ("   \t", Line::Blank),
        (
            r#"{"chat":"c1","user":"u1","text":"hi"}"#,
            message("c1", "u1", text("hi")),
        ),
        (
            r#"{"chat":12,"user":-5,"text":"hi"}"#,
            message("12", "-5", text("hi")),
        ),
        (
            r#"{"chat":"c1","user":"u1","text":"hi","name":"Sam","id":42,"at":"2026-11-23T02:00:00-08:00"}"#,
            named,
        ),
        (
            r#"{"chat":"c1","user":"u1","button":"save","text":null}"#,
            message("c1", "u1", Content::Button("save".into())),
        ),
        (
            r#"{"chat":"c1","user":"u1","file":"/tmp/cert.pdf"}"#,
            message(
                "c1",
                "u1",
                Content::File {
                    reference: "/tmp/cert.pdf".into(),
                    caption: None,
                },
            ),
        ),
        (
            r#"{"chat":"c1","user":"u1","file":"a.jpg","caption":"CPR card"}"#,
            message(
                "c1",
                "u1",
                Content::File {
                    reference: "a.jpg".into(),
                    caption: Some("CPR card".into()),
                },
            ),
        ),
        (
            r#"{"chat":"c1","user":"u1","voice":"/tmp/a.ogg"}"#,
            Line::Voice {
                message: match message(
                    "c1",
                    "u1",
                    Content::VoiceFailed {
                        reason: VoiceFailure::NotConfigured,
                    },
                ) {
                    Line::Message(m) => m,
                    other => other_line(other),
                },
                path: "/tmp/a.ogg".into(),
            },
        ),
        (r#"{"tick":"2026-11-23T18:00:00Z"}"#, Line::Tick(now())),
        (
            r#"{"tick":"2000-01-01T00:00:00Z"}"#,
            Line::Tick("2000-01-01T00:00:00Z".parse().expect("instant")),
        ),
        (
            r#"{"tick":"2100-12-31T23:59:59Z"}"#,
            Line::Tick("2100-12-31T23:59:59Z".parse().expect("instant")),
        ),
        (
            r#"{"chat":"c1","user":"u1","text":"hi","extra":[1]}"#,
            message("c1", "u1", text("hi")),
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(parse_line(input, now()), Ok(expected), "{input}");
    }
}

#[test]
fn invalid_lines_say_what_is_wrong() {
    let cases = [
        ("{not json", "not valid JSON"),
        ("[1,2]", "expected a JSON object"),
        ("\"text\"", "expected a JSON object"),
        ("{}", "empty object"),
        (r#"{"user":"u1","text":"hi"}"#, "missing \"chat\""),
        (r#"{"chat":"c1","text":"hi"}"#, "missing \"user\""),
        (r#"{"chat":"c1","user":"u1"}"#, "needs one of"),
        (
            r#"{"chat":"c1","user":"u1","text":"a","button":"b"}"#,
            "found \"text\" and \"button\"",
        ),
        (
            r#"{"chat":"c1","user":"u1","text":""}"#,
            "\"text\" must not be empty",
        ),
        (
            r#"{"chat":"","user":"u1","text":"a"}"#,
            "\"chat\" must not be empty",
        ),
        (
            r#"{"chat":1.5,"user":"u1","text":"a"}"#,
            "\"chat\" must be a string or an integer",
        ),
        (
            r#"{"chat":"c1","user":"u1","text":7}"#,
            "\"text\" must be a string",
        ),
        (
            r#"{"chat":"c1","user":"u1","text":"a","at":"yesterday"}"#,
            "\"at\" is not an RFC 3339",
        ),
        (
            r#"{"chat":"c1","user":"u1","text":"a","at":"2026-11-23"}"#,
            "\"at\" is not an RFC 3339",
        ),
        (r#"{"tick":"soon"}"#, "\"tick\" is not an RFC 3339"),
        (r#"{"tick":null}"#, "missing \"tick\""),
        (
            r#"{"chat":"c1","user":"u1","text":"a","at":"9999-12-31T00:00:00Z"}"#,
            "\"at\" must lie between the years 2000 and 2100",
        ),
        (
            r#"{"chat":"c1","user":"u1","text":"a","at":"0001-01-01T00:00:00Z"}"#,
            "\"at\" must lie between the years 2000 and 2100",
        ),
        (
            r#"{"tick":"1999-12-31T23:59:59Z"}"#,
            "\"tick\" must lie between the years 2000 and 2100",
        ),
        (
            r#"{"tick":"2100-12-31T23:59:59-08:00"}"#,
            "\"tick\" must lie between the years 2000 and 2100",
        ),
        (
            r#"{"tick":"2026-11-23T18:00:00Z","chat":"c1"}"#,
            "a tick line takes no \"chat\"",
        ),
    ];
    for (input, expected) in cases {
        let error = parse_line(input, now()).expect_err(input).to_string();
        assert!(error.contains(expected), "{input}: {error}");
    }
}

fn other_line(line: Line) -> Incoming {
    panic!("expected a message, got {line:?}")
}
