//! Outgoing messages: splitting long replies, building inline keyboards, and sending
//! with retries so nothing is dropped silently.
//!
//! Text is always sent **without a parse mode**: Telegram shows it exactly as written,
//! so nothing a trainer typed (echoed back in a confirmation, say) can break or inject
//! formatting. There is nothing to escape because nothing is interpreted.

use std::time::Duration;

use teloxide::RequestError;
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile};

use super::TgBot;
use crate::domain::{Attachment, Button, Outgoing, TransportError};
use crate::retry::Backoff;

/// Telegram's limit on one message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// Telegram's limit on a button's callback data, in bytes.
pub const MAX_CALLBACK_BYTES: usize = crate::domain::MAX_DATA_BYTES;

/// How transient failures are retried. A 429 (`RetryAfter`) is waited out as Telegram
/// asks; network errors are retried here with the crate's backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included (at least 1).
    pub attempts: u32,
    /// The waits between attempts.
    pub backoff: Backoff,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            attempts: 5,
            backoff: Backoff::new(Duration::from_millis(500), Duration::from_secs(8)),
        }
    }
}

/// Splits `text` into pieces of at most `limit` characters, breaking after a newline
/// where possible; a single line longer than `limit` is cut on character boundaries.
/// Joining the pieces gives back `text`.
#[must_use]
pub fn split_message(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(1);
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut current_len = 0;
    for line in text.split_inclusive('\n') {
        let line_len = line.chars().count();
        if current_len + line_len <= limit {
            current.push_str(line);
            current_len += line_len;
            continue;
        }
        if !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
            current_len = 0;
        }
        if line_len <= limit {
            current.push_str(line);
            current_len = line_len;
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for chunk in chars.chunks(limit) {
            if chunk.len() == limit {
                pieces.push(chunk.iter().collect());
            } else {
                current = chunk.iter().collect();
                current_len = chunk.len();
            }
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// The most buttons shown side by side on one row.
const ROW_BUTTONS: usize = 3;

/// The longest label, in characters, that still fits on a shared row.
const ROW_LABEL_CHARS: usize = 12;

/// The inline keyboard for the engine's buttons: one row when there are at most three
/// short labels, otherwise one button per row. A button whose data is over Telegram's
/// 64-byte limit is logged and left out (Telegram would refuse the whole message).
#[must_use]
pub fn keyboard(buttons: &[Button]) -> Option<InlineKeyboardMarkup> {
    let usable: Vec<InlineKeyboardButton> = buttons
        .iter()
        .filter(|b| {
            let fits = b.data.len() <= MAX_CALLBACK_BYTES;
            if !fits {
                tracing::error!(
                    bytes = b.data.len(),
                    "button data over 64 bytes; button dropped"
                );
            }
            fits
        })
        .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
        .collect();
    if usable.is_empty() {
        return None;
    }
    let one_row = usable.len() <= ROW_BUTTONS
        && buttons
            .iter()
            .all(|b| b.label.chars().count() <= ROW_LABEL_CHARS);
    let rows = if one_row {
        vec![usable]
    } else {
        usable.into_iter().map(|b| vec![b]).collect()
    };
    Some(InlineKeyboardMarkup::new(rows))
}

/// Whether a failed request is worth repeating.
#[must_use]
pub fn is_transient(error: &RequestError) -> bool {
    matches!(
        error,
        RequestError::Network(_) | RequestError::Io(_) | RequestError::RetryAfter(_)
    )
}

/// Delivers one outgoing message (split if needed, the keyboard under the last piece),
/// retrying transient failures. What finally fails is logged with the chat and reason.
///
/// # Errors
/// The chat id is not a Telegram id, or Telegram refused or could not be reached after
/// the retries.
pub async fn deliver(bot: &TgBot, retry: &Retry, message: &Outgoing) -> Result<(), TransportError> {
    let failed = |reason: String| {
        tracing::error!(chat = %message.chat, reason = %reason, "message not delivered");
        TransportError::Delivery {
            chat: message.chat.to_string(),
            reason,
        }
    };
    let chat: i64 = message
        .chat
        .as_str()
        .parse()
        .map_err(|_| failed("not a Telegram chat id".into()))?;
    if message.text.trim().is_empty() {
        tracing::warn!(chat = %message.chat, "empty message not sent");
        return Ok(());
    }
    let pieces = split_message(&message.text, MAX_MESSAGE_CHARS);
    let last = pieces.len() - 1;
    for (i, piece) in pieces.into_iter().enumerate() {
        let markup = if i == last {
            keyboard(&message.buttons)
        } else {
            None
        };
        send_piece(bot, retry, ChatId(chat), piece, markup)
            .await
            .map_err(|e| failed(e.to_string()))?;
    }
    if let Some(document) = &message.document {
        send_document(bot, retry, ChatId(chat), document)
            .await
            .map_err(|e| failed(e.to_string()))?;
    }
    Ok(())
}

async fn send_piece(
    bot: &TgBot,
    retry: &Retry,
    chat: ChatId,
    text: String,
    markup: Option<InlineKeyboardMarkup>,
) -> Result<(), RequestError> {
    retrying(retry, chat, || {
        let mut request = bot.send_message(chat, text.clone());
        if let Some(m) = &markup {
            request = request.reply_markup(m.clone());
        }
        async move { request.await.map(|_| ()) }
    })
    .await
}

/// Sends an attached file (the trainer's `/export`) as a Telegram document.
async fn send_document(
    bot: &TgBot,
    retry: &Retry,
    chat: ChatId,
    document: &Attachment,
) -> Result<(), RequestError> {
    retrying(retry, chat, || {
        let file = InputFile::memory(document.content.clone().into_bytes())
            .file_name(document.name.clone());
        let request = bot.send_document(chat, file);
        async move { request.await.map(|_| ()) }
    })
    .await
}

/// Runs a request, waiting out a 429's `retry_after` and backing off on transient
/// network errors, up to `retry.attempts` times.
async fn retrying<F, Fut>(retry: &Retry, chat: ChatId, mut request: F) -> Result<(), RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), RequestError>>,
{
    let mut attempt = 1;
    loop {
        match request().await {
            Ok(()) => return Ok(()),
            Err(e) if attempt < retry.attempts && is_transient(&e) => {
                let wait = match &e {
                    RequestError::RetryAfter(s) => s.duration(),
                    _ => retry.backoff.delay(attempt),
                };
                tracing::warn!(chat = chat.0, attempt, error = %e, ?wait, "send failed; retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Action;

    #[test]
    fn split_keeps_short_text_whole_and_breaks_long_text_on_lines() {
        let cases: &[(&str, usize, &[&str])] = &[
            ("", 10, &[]),
            ("hello", 10, &["hello"]),
            ("ab\ncd\nef", 6, &["ab\ncd\n", "ef"]),
            ("abcdefghij", 4, &["abcd", "efgh", "ij"]),
            ("ab\ncdefghij\nk", 4, &["ab\n", "cdef", "ghij", "\nk"]),
            ("ééééé", 2, &["éé", "éé", "é"]),
        ];
        for (text, limit, want) in cases {
            assert_eq!(split_message(text, *limit), *want, "{text:?} at {limit}");
        }
    }

    #[test]
    fn split_of_5000_chars_gives_pieces_within_the_limit_that_rejoin() {
        let line = "Entry: 0.1 CEU, nutrition, 2026-01-01, approved provider ✓\n";
        let text = line.repeat(5000 / line.chars().count() + 1);
        assert!(text.chars().count() > 5000);
        let pieces = split_message(&text, MAX_MESSAGE_CHARS);
        assert_eq!(pieces.len(), 2);
        assert!(
            pieces
                .iter()
                .all(|p| p.chars().count() <= MAX_MESSAGE_CHARS)
        );
        assert!(
            pieces.iter().all(|p| p.ends_with('\n')),
            "split on line ends"
        );
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn split_hard_cuts_one_long_line_on_char_boundaries() {
        let text = "🙂".repeat(5000);
        let pieces = split_message(&text, MAX_MESSAGE_CHARS);
        let lens: Vec<usize> = pieces.iter().map(|p| p.chars().count()).collect();
        assert_eq!(lens, [4096, 904]);
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn keyboard_drops_buttons_whose_data_is_too_long() {
        let long = "x".repeat(65);
        let buttons = [
            Button::new("Save", Action::Save),
            Button {
                label: "Bad".into(),
                data: long,
            },
        ];
        let markup = keyboard(&buttons).expect("one usable button");
        let labels: Vec<&str> = markup
            .inline_keyboard
            .iter()
            .flatten()
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(labels, ["Save"]);
        assert!(keyboard(&[]).is_none());
        assert!(
            keyboard(&[Button {
                label: "Bad".into(),
                data: "y".repeat(65)
            }])
            .is_none()
        );
    }

    #[test]
    fn keyboard_layout_one_row_for_few_short_labels() {
        let few = [
            Button::new("Save", Action::Save),
            Button::new("Edit", Action::Edit),
            Button::new("Cancel", Action::Cancel),
        ];
        assert_eq!(keyboard(&few).unwrap().inline_keyboard.len(), 1);
        let many: Vec<Button> = (0..6)
            .map(|i| Button::new(format!("Area {i}"), Action::Area(i.to_string())))
            .collect();
        assert_eq!(keyboard(&many).unwrap().inline_keyboard.len(), 6);
    }
}
