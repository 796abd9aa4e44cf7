//! Outgoing messages: splitting long replies and building inline keyboards (the reply
//! outbox, [`super::outbox`], sends them).
//!
//! Text is always sent **without a parse mode**: Telegram shows it exactly as written,
//! so nothing a trainer typed (echoed back in a confirmation, say) can break or inject
//! formatting. There is nothing to escape because nothing is interpreted.

use std::time::Duration;

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::domain::Button;
use crate::retry::Backoff;

/// Telegram's limit on one message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// Telegram's limit on a button's callback data, in bytes.
pub const MAX_CALLBACK_BYTES: usize = crate::domain::MAX_DATA_BYTES;

/// How a reply that failed (a 5xx, a network error, a time-out) is retried: with this
/// backoff, for as long as it takes. A 429 is waited out as Telegram asks instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// The waits between attempts.
    pub backoff: Backoff,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            backoff: Backoff::new(Duration::from_millis(500), Duration::from_secs(300)),
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
