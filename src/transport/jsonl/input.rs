//! Parsing one JSONL input line into a message, a button press or a clock tick. Pure:
//! the default instant for a message without `at` is passed in.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::app::{Content, Incoming, VoiceFailure};

/// One understood input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A message or a button press.
    Message(Incoming),
    /// A voice note at `path`, for the transport to transcribe into the message's
    /// content (until then [`Content::VoiceFailed`] with `NotConfigured`).
    Voice { message: Incoming, path: String },
    /// `{"tick": "…"}`: run the scheduled work as of this instant.
    Tick(DateTime<Utc>),
    /// An empty or whitespace-only line: acknowledged, nothing else.
    Blank,
}

/// What is wrong with an input line; the text goes into `{"error": …}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("expected a JSON object")]
    NotAnObject,
    #[error("empty object: expected a message, a button press or a tick")]
    Empty,
    #[error("missing \"{0}\"")]
    Missing(&'static str),
    #[error("\"{field}\" must be {expected}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
    #[error("\"{0}\" must not be empty")]
    EmptyField(&'static str),
    #[error("a message needs one of \"text\", \"button\", \"voice\" or \"file\"")]
    NoContent,
    #[error(
        "a message carries only one of \"text\", \"button\", \"voice\" or \"file\", found \"{0}\" and \"{1}\""
    )]
    TwoContents(&'static str, &'static str),
    #[error("\"{field}\" is not an RFC 3339 instant like 2026-11-23T18:00:00Z: {value:?}")]
    BadInstant { field: &'static str, value: String },
    #[error("\"{field}\" must lie between the years 2000 and 2100: {value:?}")]
    OutOfRange { field: &'static str, value: String },
    #[error("a tick line takes no \"{0}\"")]
    TickWithOthers(&'static str),
    #[error("\"file\" names no file: {0}")]
    NoFile(String),
    #[error("\"file\" is not a regular file: {0}")]
    NotAFile(String),
    #[error("not valid UTF-8")]
    NotUtf8,
    #[error("line longer than {0} bytes")]
    TooLong(usize),
}

/// The fields that make a line a message (and that a tick line must not have).
const MESSAGE_FIELDS: [&str; 10] = [
    "chat", "user", "text", "button", "voice", "file", "at", "name", "id", "reply_to",
];
/// The fields of which a message carries exactly one.
const CONTENT_FIELDS: [&str; 4] = ["text", "button", "voice", "file"];

/// Parses one line (without its line end). `now` is the instant of a message without
/// `at`. Unknown fields are ignored, so senders may add fields.
///
/// # Errors
/// The line is not JSON, not an object, or not a well-formed message or tick.
pub fn parse_line(text: &str, now: DateTime<Utc>) -> Result<Line, LineError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Line::Blank);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| LineError::Json(e.to_string()))?;
    let Value::Object(map) = value else {
        return Err(LineError::NotAnObject);
    };
    if map.is_empty() {
        return Err(LineError::Empty);
    }
    if map.contains_key("tick") {
        return parse_tick(&map).map(Line::Tick);
    }
    let message = parse_message(&map, now)?;
    Ok(match &map.get("voice") {
        Some(Value::String(path)) => Line::Voice {
            message,
            path: path.clone(),
        },
        _ => Line::Message(message),
    })
}

fn parse_tick(map: &Map<String, Value>) -> Result<DateTime<Utc>, LineError> {
    if let Some(field) = MESSAGE_FIELDS.into_iter().find(|f| present(map, f)) {
        return Err(LineError::TickWithOthers(field));
    }
    instant(map, "tick")?.ok_or(LineError::Missing("tick"))
}

fn parse_message(map: &Map<String, Value>, now: DateTime<Utc>) -> Result<Incoming, LineError> {
    let chat = id(map, "chat")?.ok_or(LineError::Missing("chat"))?;
    let user = id(map, "user")?.ok_or(LineError::Missing("user"))?;
    let content = content(map)?;
    Ok(Incoming {
        chat: chat.into(),
        user,
        name: string(map, "name")?.filter(|n| !n.trim().is_empty()),
        message_id: id(map, "id")?,
        at: instant(map, "at")?.unwrap_or(now),
        content,
        reply_to: string(map, "reply_to")?,
    })
}

fn content(map: &Map<String, Value>) -> Result<Content, LineError> {
    let mut found = CONTENT_FIELDS.into_iter().filter(|f| present(map, f));
    let field = found.next().ok_or(LineError::NoContent)?;
    if let Some(other) = found.next() {
        return Err(LineError::TwoContents(field, other));
    }
    let value = non_empty(map, field)?;
    Ok(match field {
        "text" => Content::Text(value),
        "button" => Content::Button(value),
        "file" => Content::File {
            reference: value,
            caption: string(map, "caption")?.filter(|c| !c.trim().is_empty()),
        },
        // "voice": the transport transcribes it (see `Line::Voice`).
        _ => Content::VoiceFailed {
            reason: VoiceFailure::NotConfigured,
        },
    })
}

/// Whether a field is there and not `null`.
fn present(map: &Map<String, Value>, field: &str) -> bool {
    map.get(field).is_some_and(|v| !v.is_null())
}

fn string(map: &Map<String, Value>, field: &'static str) -> Result<Option<String>, LineError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(LineError::WrongType {
            field,
            expected: "a string",
        }),
    }
}

fn non_empty(map: &Map<String, Value>, field: &'static str) -> Result<String, LineError> {
    match string(map, field)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(LineError::EmptyField(field)),
    }
}

/// A chat, user or message id: a non-empty string, or an integer written as a string.
fn id(map: &Map<String, Value>, field: &'static str) -> Result<Option<String>, LineError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Err(LineError::EmptyField(field)),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        Some(_) => Err(LineError::WrongType {
            field,
            expected: "a string or an integer",
        }),
    }
}

fn instant(
    map: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<DateTime<Utc>>, LineError> {
    let Some(text) = string(map, field)? else {
        return Ok(None);
    };
    let at = DateTime::parse_from_rfc3339(text.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| LineError::BadInstant {
            field,
            value: text.clone(),
        })?;
    if !crate::config::plausible_instant(at) {
        return Err(LineError::OutOfRange { field, value: text });
    }
    Ok(Some(at))
}

#[cfg(test)]
mod tests;
