//! The console transport: an interactive chat in the terminal as one trainer (chat and
//! user `console`). Buttons show as a numbered list; typing the number or the label
//! presses it. Scheduled work runs before each line, so reminders show up.
//!
//! Reading is blocking: run it on a thread that may block (the binary's main thread).

use std::io::{self, BufRead, Write};
use std::sync::{Mutex, PoisonError};

use chrono::Utc;

use super::Handler;
use crate::app::App;
use crate::domain::{Button, Content, Incoming, Outgoing, Transport, TransportError};
use crate::error::cause_chain;

/// The chat and user id of the person at the terminal.
pub const CONSOLE_CHAT: &str = "console";

/// The first line printed.
pub const GREETING: &str = "Hi! I'm recert-bot, here to help with your NASM-CPT recertification. Type /help to see what I can do, or /quit to leave.";

/// Runs the chat until `/quit` or the end of input. `name` is the trainer's display name.
///
/// # Errors
/// Only reading the input or writing the output failed.
pub async fn run<H: Handler>(
    handler: &H,
    mut input: impl BufRead,
    mut output: impl Write,
    name: &str,
) -> io::Result<()> {
    writeln!(output, "{GREETING}")?;
    let mut buttons = Vec::new();
    let mut line = String::new();
    loop {
        let due = tick(handler).await;
        show(&mut output, &due, &mut buttons)?;
        write!(output, "{name}> ")?;
        output.flush()?;
        line.clear();
        if input.read_line(&mut line)? == 0 || line.trim() == "/quit" {
            writeln!(output)?;
            return Ok(());
        }
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let replies = say(handler, name, content(text, &buttons)).await;
        show(&mut output, &replies, &mut buttons)?;
    }
}

/// What a typed line means: a button press when it is the number or the label of one of
/// the buttons on show, text otherwise.
#[must_use]
pub fn content(text: &str, buttons: &[Button]) -> Content {
    let by_number = text
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| buttons.get(i));
    let by_label = || buttons.iter().find(|b| b.label.eq_ignore_ascii_case(text));
    match by_number.or_else(by_label) {
        Some(button) => Content::Button(button.data.clone()),
        None => Content::Text(text.to_string()),
    }
}

/// A message as printed: the text, then the buttons as `[1] Save  [2] Edit`. Messages to
/// another chat (the advisors) are marked with that chat.
#[must_use]
pub fn render(message: &Outgoing) -> String {
    let mut shown = if message.chat == CONSOLE_CHAT {
        message.text.clone()
    } else {
        format!("[to chat {}] {}", message.chat, message.text)
    };
    if !message.buttons.is_empty() {
        let list: Vec<String> = message
            .buttons
            .iter()
            .enumerate()
            .map(|(i, b)| format!("[{}] {}", i + 1, b.label))
            .collect();
        shown.push('\n');
        shown.push_str(&list.join("  "));
    }
    if let Some(doc) = &message.document {
        shown.push_str(&format!("\n[file {}]\n{}", doc.name, doc.content));
    }
    shown
}

/// Prints messages; the buttons of the last one for this chat become the buttons on
/// show (none if it has none).
fn show(
    output: &mut impl Write,
    messages: &[Outgoing],
    buttons: &mut Vec<Button>,
) -> io::Result<()> {
    for message in messages {
        writeln!(output, "{}\n", render(message))?;
        if message.chat == CONSOLE_CHAT {
            buttons.clone_from(&message.buttons);
        }
    }
    Ok(())
}

/// The scheduled work as of now, and the queued reminders it delivers, to print.
async fn tick<H: Handler>(handler: &H) -> Vec<Outgoing> {
    let now = Utc::now();
    let mut due = handler.tick(now).await.unwrap_or_else(|error| {
        tracing::error!(error = %cause_chain(&error), "scheduled work failed");
        Vec::new()
    });
    let collected = Collect::default();
    if let Err(error) = handler.deliver(&collected, now).await {
        tracing::error!(error = %cause_chain(&error), "delivering reminders failed");
    }
    due.extend(
        collected
            .0
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
    );
    due
}

/// A transport that keeps what it is given, for the terminal to print.
#[derive(Default)]
struct Collect(Mutex<Vec<Outgoing>>);

impl Transport for Collect {
    fn channel(&self) -> &'static str {
        "console"
    }

    fn send(&self, message: &Outgoing) -> impl Future<Output = Result<(), TransportError>> + Send {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(message.clone());
        std::future::ready(Ok(()))
    }
}

async fn say<H: Handler>(handler: &H, name: &str, content: Content) -> Vec<Outgoing> {
    let message = Incoming {
        chat: CONSOLE_CHAT.into(),
        user: CONSOLE_CHAT.into(),
        name: Some(name.to_string()),
        message_id: None,
        at: Utc::now(),
        content,
        reply_to: None,
    };
    handler.handle(message).await.unwrap_or_else(|error| {
        tracing::error!(error = %cause_chain(&error), "handling a message failed");
        vec![App::apology(CONSOLE_CHAT)]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buttons() -> Vec<Button> {
        [("Save", "save"), ("Edit", "edit"), ("Cancel", "cancel")]
            .iter()
            .map(|(label, data)| Button {
                label: (*label).into(),
                data: (*data).into(),
            })
            .collect()
    }

    #[test]
    fn typed_lines_press_buttons_by_number_or_label() {
        let cases = [
            ("2", Content::Button("edit".into())),
            ("cancel", Content::Button("cancel".into())),
            ("SAVE", Content::Button("save".into())),
            ("4", Content::Text("4".into())),
            ("0", Content::Text("0".into())),
            ("save it", Content::Text("save it".into())),
        ];
        for (text, expected) in cases {
            assert_eq!(content(text, &buttons()), expected, "{text}");
        }
        assert_eq!(content("1", &[]), Content::Text("1".into()));
    }

    #[test]
    fn messages_render_with_numbered_buttons() {
        let mut message = Outgoing {
            chat: CONSOLE_CHAT.into(),
            text: "Save this?".into(),
            buttons: buttons(),
            document: None,
            card: None,
            if_undelivered: None,
        };
        assert_eq!(
            render(&message),
            "Save this?\n[1] Save  [2] Edit  [3] Cancel"
        );
        message.chat = "advisors".into();
        message.buttons.clear();
        assert_eq!(render(&message), "[to chat advisors] Save this?");
    }
}
