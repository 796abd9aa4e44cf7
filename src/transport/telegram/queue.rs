//! What goes into the reply outbox: an [`Outgoing`] message becomes one [`Request`] per
//! Bot API call (each piece of a long text, then its document), queued in the caller's
//! transaction, so a crash repeats at most the one call in flight, never a whole reply.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::SqliteConnection;

use super::outbound::{MAX_MESSAGE_CHARS, keyboard, split_message};
use crate::domain::{Attachment, Button, ChatId, Outgoing};
use crate::store::{StoreError, replies};

/// One Bot API call waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// sendMessage: plain text (no parse mode), buttons under it.
    Send {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Button>,
    },
    /// sendDocument.
    Document(Attachment),
}

impl Request {
    /// The Bot API method and JSON body for `chat` (a document is sent as multipart by
    /// the caller).
    #[must_use]
    pub fn json(&self, chat: i64) -> (&'static str, Value) {
        match self {
            Self::Send { text, buttons } => {
                let mut body = json!({"chat_id": chat, "text": text});
                if let Some(markup) = keyboard(buttons) {
                    body["reply_markup"] = serde_json::to_value(markup).unwrap_or_default();
                }
                ("sendMessage", body)
            }
            Self::Document(d) => ("sendDocument", json!({"chat_id": chat, "name": d.name})),
        }
    }
}

/// The calls that deliver `message`: the text split at Telegram's limit with the
/// buttons under the last piece, then the document if any. An empty text sends none.
#[must_use]
pub fn requests(message: &Outgoing) -> Vec<Request> {
    let mut out = Vec::new();
    if !message.text.trim().is_empty() {
        let pieces = split_message(&message.text, MAX_MESSAGE_CHARS);
        let last = pieces.len().saturating_sub(1);
        for (i, text) in pieces.into_iter().enumerate() {
            let buttons = if i == last {
                message.buttons.clone()
            } else {
                Vec::new()
            };
            out.push(Request::Send { text, buttons });
        }
    }
    if let Some(document) = &message.document {
        out.push(Request::Document(document.clone()));
    }
    out
}

/// Queues `message` in the caller's transaction; returns how many calls were queued
/// (none for a chat marked unreachable, or a chat id that is not Telegram's).
///
/// # Errors
/// The store failed.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    message: &Outgoing,
    at: DateTime<Utc>,
) -> Result<usize, StoreError> {
    if message.chat.as_str().parse::<i64>().is_err() {
        tracing::error!(chat = %message.chat, "not a Telegram chat id; message dropped");
        return Ok(0);
    }
    let mut queued = 0;
    for request in requests(message) {
        let body = serde_json::to_string(&request)?;
        if replies::enqueue(conn, &message.chat, &body, at).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Queues several messages (see [`enqueue`]).
///
/// # Errors
/// The store failed.
pub async fn enqueue_all(
    conn: &mut SqliteConnection,
    messages: &[Outgoing],
    at: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut queued = 0;
    for message in messages {
        queued += enqueue(conn, message, at).await?;
    }
    Ok(queued)
}

/// The chat id of a queued row as Telegram's number.
#[must_use]
pub fn chat_number(chat: &ChatId) -> Option<i64> {
    chat.as_str().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_reply_is_one_request_per_piece_with_the_buttons_last() {
        let line = "A line of a long answer, about sixty characters in length.\n";
        let message = Outgoing {
            chat: "70".into(),
            text: line.repeat(5000 / line.len() + 1),
            buttons: vec![Button::new("Save", crate::domain::Action::Save)],
            document: Some(Attachment {
                name: "r.json".into(),
                mime: "application/json".into(),
                content: "{}".into(),
            }),
        };
        let queued = requests(&message);
        assert_eq!(queued.len(), 3);
        let Request::Send { buttons, .. } = &queued[0] else {
            panic!("a text piece first")
        };
        assert!(buttons.is_empty());
        assert!(matches!(&queued[1], Request::Send { buttons, .. } if buttons.len() == 1));
        assert!(matches!(&queued[2], Request::Document(_)));
        let (method, body) = queued[1].json(70);
        assert_eq!(method, "sendMessage");
        assert_eq!(
            body["reply_markup"]["inline_keyboard"],
            json!([[{"text": "Save", "callback_data": "save"}]])
        );
        assert!(requests(&Outgoing::text("70", "  ")).is_empty());
    }
}
