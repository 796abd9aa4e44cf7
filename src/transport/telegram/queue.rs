//! What goes into the reply outbox: an [`Outgoing`] message becomes one [`Request`] per
//! Bot API call (each piece of a long text, then its document), queued in the caller's
//! transaction, so a crash repeats at most the one call in flight, never a whole reply.
//! A ticket's card carries its ticket (edited in place once posted); the last request
//! of a message carries the message to send instead if it cannot be delivered.

use crate::store::Conn;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::outbound::{MAX_MESSAGE_CHARS, keyboard, split_message};
use crate::domain::{Attachment, Button, ChatId, Outgoing, TicketId};
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
        /// The ticket whose card this is: edited in place once posted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        card: Option<TicketId>,
        /// Queued instead if this cannot be delivered for good.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fallback: Option<Box<Outgoing>>,
    },
    /// sendDocument.
    Document(Attachment),
}

impl Request {
    /// The Bot API method and JSON body for `chat`: sendMessage, or editMessageText of
    /// `edit` (the card's message id; an edited card without buttons loses them). A
    /// document is sent as multipart by the caller.
    #[must_use]
    pub fn json(&self, chat: i64, edit: Option<i64>) -> (&'static str, Value) {
        match self {
            Self::Send { text, buttons, .. } => {
                let mut body = json!({"chat_id": chat, "text": text});
                let markup = keyboard(buttons)
                    .and_then(|m| serde_json::to_value(m).ok())
                    .or_else(|| edit.map(|_| json!({"inline_keyboard": []})));
                if let Some(markup) = markup {
                    body["reply_markup"] = markup;
                }
                match edit {
                    Some(message_id) => {
                        body["message_id"] = json!(message_id);
                        ("editMessageText", body)
                    }
                    None => ("sendMessage", body),
                }
            }
            Self::Document(d) => ("sendDocument", json!({"chat_id": chat, "name": d.name})),
        }
    }

    /// The ticket whose card this is.
    #[must_use]
    pub fn card(&self) -> Option<TicketId> {
        match self {
            Self::Send { card, .. } => *card,
            Self::Document(_) => None,
        }
    }

    /// What to send instead if this cannot be delivered.
    #[must_use]
    pub fn fallback(&self) -> Option<&Outgoing> {
        match self {
            Self::Send { fallback, .. } => fallback.as_deref(),
            Self::Document(_) => None,
        }
    }
}

/// The calls that deliver `message`: the text split at Telegram's limit with the
/// buttons (and the fallback) on the last piece, then the document if any; a card is
/// kept to one piece. An empty text sends none.
#[must_use]
pub fn requests(message: &Outgoing) -> Vec<Request> {
    let mut out = Vec::new();
    if !message.text.trim().is_empty() {
        let mut pieces = split_message(&message.text, MAX_MESSAGE_CHARS);
        if message.card.is_some() {
            pieces.truncate(1);
        }
        let last = pieces.len().saturating_sub(1);
        for (i, text) in pieces.into_iter().enumerate() {
            let end = i == last;
            out.push(Request::Send {
                text,
                buttons: if end {
                    message.buttons.clone()
                } else {
                    Vec::new()
                },
                card: message.card,
                fallback: message.if_undelivered.clone().filter(|_| end),
            });
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
    conn: &mut Conn,
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
    conn: &mut Conn,
    messages: &[Outgoing],
    at: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut queued = 0;
    for message in messages {
        queued += enqueue(conn, message, at).await?;
    }
    Ok(queued)
}

/// Whether a request may be sent together with its neighbours in one message: plain
/// text without buttons, not a card (trainer lines relayed to the advisors' chat).
#[must_use]
pub fn joinable(request: &Request) -> bool {
    matches!(request, Request::Send { buttons, card: None, .. } if buttons.is_empty())
}

/// Joins `head` with the joinable requests that follow it in its chat, in order, while
/// the text stays within Telegram's limit: one message instead of several. Returns the
/// joined request and the ids of the requests taken into it.
#[must_use]
pub fn join(head: &Request, following: &[(i64, Request)]) -> (Request, Vec<i64>) {
    let Request::Send { text, fallback, .. } = head else {
        return (head.clone(), Vec::new());
    };
    if !joinable(head) {
        return (head.clone(), Vec::new());
    }
    let mut joined = text.clone();
    let mut taken = Vec::new();
    for (id, next) in following {
        let Request::Send { text: more, .. } = next else {
            break;
        };
        if !joinable(next) || joined.chars().count() + 1 + more.chars().count() > MAX_MESSAGE_CHARS
        {
            break;
        }
        joined.push('\n');
        joined.push_str(more);
        taken.push(*id);
    }
    let request = Request::Send {
        text: joined,
        buttons: Vec::new(),
        card: None,
        fallback: fallback.clone(),
    };
    (request, taken)
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
            card: None,
            if_undelivered: None,
        };
        let queued = requests(&message);
        assert_eq!(queued.len(), 3);
        let Request::Send { buttons, .. } = &queued[0] else {
            panic!("a text piece first")
        };
        assert!(buttons.is_empty());
        assert!(matches!(&queued[1], Request::Send { buttons, .. } if buttons.len() == 1));
        assert!(matches!(&queued[2], Request::Document(_)));
        let (method, body) = queued[1].json(70, None);
        assert_eq!(method, "sendMessage");
        assert_eq!(
            body["reply_markup"]["inline_keyboard"],
            json!([[{"text": "Save", "callback_data": "save"}]])
        );
        assert!(requests(&Outgoing::text("70", "  ")).is_empty());
        let line = |t: &str| requests(&Outgoing::text("-100", t)).remove(0);
        let (joined, taken) = join(
            &line("[#1] Ana: hi"),
            &[
                (8, line("[#1] Ana: are you there?")),
                (9, queued[1].clone()),
                (10, line("later")),
            ],
        );
        assert_eq!(taken, [8], "stops at a message with buttons");
        assert!(
            matches!(joined, Request::Send { text, .. } if text == "[#1] Ana: hi\n[#1] Ana: are you there?")
        );
        let edit = Request::Send {
            text: "[#1] claimed".into(),
            buttons: Vec::new(),
            card: Some(TicketId(1)),
            fallback: None,
        };
        let (method, body) = edit.json(-100, Some(55));
        assert_eq!(method, "editMessageText");
        assert_eq!(body["message_id"], 55);
        assert_eq!(
            body["reply_markup"],
            json!({"inline_keyboard": []}),
            "the Claim button goes"
        );
    }
}
