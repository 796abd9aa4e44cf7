//! The JSONL transport: one JSON object per input line, handled strictly in order; the
//! bot's messages, errors and acknowledgements as JSON lines on the output. The protocol
//! is described in the README ("The JSONL protocol").
//!
//! Input is read as bytes, so a line that is not UTF-8 or is very long becomes an
//! `{"error": …}` line and the transport goes on. A blank line is acknowledged and
//! otherwise ignored. Reading is blocking: run it on a thread that may block (the
//! binary's main thread).

mod input;

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use input::{Line, LineError, parse_line};

use super::Handler;
use crate::app::App;
use crate::domain::{Attachment, Button, Content, Incoming, Outgoing, Transport, TransportError};
use crate::error::cause_chain;
use crate::stt::{self, Stt};

/// The longest input line read whole; longer lines are answered with an error.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The JSONL output: each message, error and ack is one line, flushed at once.
#[derive(Debug)]
pub struct JsonlOut<W> {
    out: Mutex<W>,
}

/// A bot message on the wire; `buttons` only when there are some, `document` only
/// when a file is attached (`{"name": …, "mime": …, "content": …}`).
#[derive(Serialize)]
struct WireMessage<'a> {
    chat: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "<[Button]>::is_empty")]
    buttons: &'a [Button],
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<&'a Attachment>,
}

#[derive(Serialize)]
struct WireError<'a> {
    error: &'a str,
    line: u64,
}

#[derive(Serialize)]
struct WireAck {
    ack: u64,
}

impl<W: Write> JsonlOut<W> {
    #[must_use]
    pub fn new(out: W) -> Self {
        Self {
            out: Mutex::new(out),
        }
    }

    /// Gives the writer back (tests read what was written).
    #[must_use]
    pub fn into_inner(self) -> W {
        self.out
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `{"chat": …, "text": …, "buttons": […]}`.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn message(&self, message: &Outgoing) -> io::Result<()> {
        self.write(&WireMessage {
            chat: message.chat.as_str(),
            text: &message.text,
            buttons: &message.buttons,
            document: message.document.as_ref(),
        })
    }

    /// Writes `{"error": …, "line": N}`.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn error(&self, line: u64, error: &str) -> io::Result<()> {
        self.write(&WireError { error, line })
    }

    /// Writes `{"ack": N}`.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn ack(&self, line: u64) -> io::Result<()> {
        self.write(&WireAck { ack: line })
    }

    fn write(&self, value: &impl Serialize) -> io::Result<()> {
        let mut bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
        bytes.push(b'\n');
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        out.write_all(&bytes)?;
        out.flush()
    }
}

impl<W: Write> Transport for JsonlOut<W> {
    fn channel(&self) -> &'static str {
        "jsonl"
    }

    fn send(&self, message: &Outgoing) -> impl Future<Output = Result<(), TransportError>> + Send {
        std::future::ready(self.message(message).map_err(TransportError::from))
    }
}

/// How long a `"file"` line's path may take to look at.
const FILE_CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The most messages committed together.
pub const MAX_BATCH: usize = 256;

/// An input that can tell, without blocking, whether another whole line is already
/// buffered. Lines that arrived together are committed together (group commit).
pub trait Buffered {
    fn line_pending(&self) -> bool;
}

impl<R: io::Read> Buffered for io::BufReader<R> {
    fn line_pending(&self) -> bool {
        self.buffer().contains(&b'\n')
    }
}

impl<T: AsRef<[u8]>> Buffered for io::Cursor<T> {
    fn line_pending(&self) -> bool {
        let data = self.get_ref().as_ref();
        usize::try_from(self.position()).is_ok_and(|p| p < data.len())
    }
}

/// One input line waiting for its batch to commit.
enum Item {
    Message(u64, Incoming),
    Error(u64, String),
    Blank(u64),
}

/// Runs the protocol until the input ends, without speech-to-text (voice lines are
/// answered with a request to type); see [`run_with_stt`].
///
/// # Errors
/// Only reading the input or writing the output failed.
pub async fn run<H: Handler>(
    handler: &H,
    input: impl BufRead + Buffered,
    out: &JsonlOut<impl Write>,
) -> Result<(), TransportError> {
    run_with_stt(handler, input, out, None).await
}

/// Runs the protocol until the input ends. A `"voice"` line is transcribed with `stt`
/// when its line is read (before the app sees it), so it goes through the same
/// conversation as text. Lines are handled strictly in order; lines
/// already buffered are handled as one batch in one transaction, and their replies,
/// errors and acks are written, in line order, only after it commits. Handler failures
/// are logged and answered with [`App::apology`]; invalid lines with an error line.
///
/// # Errors
/// Only reading the input or writing the output failed.
pub async fn run_with_stt<H: Handler>(
    handler: &H,
    mut input: impl BufRead + Buffered,
    out: &JsonlOut<impl Write>,
    stt: Option<&Stt>,
) -> Result<(), TransportError> {
    let mut buf = Vec::new();
    let mut number = 0u64;
    let mut batch: Vec<Item> = Vec::new();
    while let Some(too_long) = read_line(&mut input, &mut buf, MAX_LINE_BYTES)? {
        number += 1;
        match decode(&buf, too_long).and_then(|text| parse_line(text, Utc::now())) {
            Ok(Line::Blank) => batch.push(Item::Blank(number)),
            Ok(Line::Message(message)) => match missing_file(&message.content).await {
                Some(error) => batch.push(Item::Error(number, error.to_string())),
                None => batch.push(Item::Message(number, message)),
            },
            Ok(Line::Voice { mut message, path }) => {
                message.content = stt::file_content(stt, Path::new(&path)).await;
                batch.push(Item::Message(number, message));
            }
            Ok(Line::Tick(at)) => {
                flush(handler, out, &mut batch).await?;
                on_tick(handler, out, number, at).await?;
                out.ack(number)?;
                continue;
            }
            Err(error) => batch.push(Item::Error(number, error.to_string())),
        }
        if batch.len() >= MAX_BATCH || !input.line_pending() {
            flush(handler, out, &mut batch).await?;
        }
    }
    flush(handler, out, &mut batch).await?;
    Ok(())
}

/// Commits the batch's messages together, then writes every line's output and ack in
/// order.
async fn flush<H: Handler>(
    handler: &H,
    out: &JsonlOut<impl Write>,
    batch: &mut Vec<Item>,
) -> io::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let items = std::mem::take(batch);
    let messages: Vec<Incoming> = items
        .iter()
        .filter_map(|item| match item {
            Item::Message(_, m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    let mut results = match handler.handle_batch(messages).await {
        Ok(results) => results.into_iter(),
        Err(error) => {
            tracing::error!(error = %cause_chain(&error), "committing a batch of messages failed");
            Vec::new().into_iter()
        }
    };
    for item in items {
        match item {
            Item::Blank(line) => out.ack(line)?,
            Item::Error(line, error) => {
                out.error(line, &error)?;
                out.ack(line)?;
            }
            Item::Message(line, message) => {
                let replies = match results.next() {
                    Some(Ok(replies)) => replies,
                    Some(Err(error)) => {
                        tracing::error!(line, chat = %message.chat, error = %cause_chain(&error), "handling a message failed");
                        vec![App::apology(&message.chat)]
                    }
                    None => vec![App::apology(&message.chat)],
                };
                replies.iter().try_for_each(|reply| out.message(reply))?;
                out.ack(line)?;
            }
        }
    }
    Ok(())
}

async fn on_tick<H: Handler>(
    handler: &H,
    out: &JsonlOut<impl Write>,
    line: u64,
    at: DateTime<Utc>,
) -> io::Result<()> {
    match handler.tick(at).await {
        Ok(messages) => messages.iter().try_for_each(|m| out.message(m))?,
        Err(error) => {
            tracing::error!(line, %at, error = %cause_chain(&error), "scheduled work failed");
        }
    }
    // The reminders the sweep queued, before the tick's ack.
    if let Err(error) = handler.deliver(out, at).await {
        tracing::error!(line, %at, error = %cause_chain(&error), "reminder delivery failed");
    }
    Ok(())
}

/// What is wrong with a `"file"` line's path: nothing there, or not a regular file
/// (checked without opening it, within a time-out).
async fn missing_file(content: &Content) -> Option<LineError> {
    let Content::File { reference, .. } = content else {
        return None;
    };
    let check = tokio::fs::metadata(reference.clone());
    match tokio::time::timeout(FILE_CHECK_TIMEOUT, check).await {
        Ok(Ok(meta)) if meta.is_file() => None,
        Ok(Ok(_)) => Some(LineError::NotAFile(reference.clone())),
        Ok(Err(_)) | Err(_) => Some(LineError::NoFile(reference.clone())),
    }
}

fn decode(bytes: &[u8], too_long: bool) -> Result<&str, LineError> {
    if too_long {
        return Err(LineError::TooLong(MAX_LINE_BYTES));
    }
    std::str::from_utf8(bytes).map_err(|_| LineError::NotUtf8)
}

/// Reads one line into `buf` without its `\n` or `\r\n`, keeping at most `limit` bytes
/// and skipping the rest. `None` at the end of input; otherwise whether bytes were
/// skipped.
fn read_line(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<bool>> {
    buf.clear();
    let (mut read_any, mut too_long) = (false, false);
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(read_any.then_some(too_long));
        }
        read_any = true;
        let end = chunk.iter().position(|&b| b == b'\n');
        let part = &chunk[..end.unwrap_or(chunk.len())];
        let room = limit.saturating_sub(buf.len());
        too_long |= part.len() > room;
        buf.extend_from_slice(&part[..part.len().min(room)]);
        let used = end.map_or(chunk.len(), |i| i + 1);
        input.consume(used);
        if end.is_some() {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(too_long))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_line_splits_bounds_and_strips_cr() {
        let mut input = io::BufReader::with_capacity(4, &b"ab\r\n\nabcdefghij\nlast"[..]);
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        while let Some(too_long) = read_line(&mut input, &mut buf, 6).expect("reads") {
            lines.push((String::from_utf8(buf.clone()).expect("utf8"), too_long));
        }
        let expected = [
            ("ab", false),
            ("", false),
            ("abcdef", true),
            ("last", false),
        ];
        let expected: Vec<_> = expected.iter().map(|(s, t)| (s.to_string(), *t)).collect();
        assert_eq!(lines, expected);
    }

    #[test]
    fn output_lines_have_the_contract_shape() {
        let out = JsonlOut::new(Vec::new());
        let plain = Outgoing {
            chat: "c1".into(),
            text: "hi".into(),
            buttons: vec![],
            document: None,
            card: None,
            if_undelivered: None,
        };
        let with_buttons = Outgoing {
            buttons: vec![Button {
                label: "Save".into(),
                data: "save".into(),
            }],
            ..plain.clone()
        };
        out.message(&plain).expect("write");
        out.message(&with_buttons).expect("write");
        out.error(3, "missing \"chat\"").expect("write");
        out.ack(3).expect("write");
        let written = String::from_utf8(out.into_inner()).expect("utf8");
        assert_eq!(
            written,
            concat!(
                "{\"chat\":\"c1\",\"text\":\"hi\"}\n",
                "{\"chat\":\"c1\",\"text\":\"hi\",\"buttons\":[{\"label\":\"Save\",\"data\":\"save\"}]}\n",
                "{\"error\":\"missing \\\"chat\\\"\",\"line\":3}\n",
                "{\"ack\":3}\n"
            )
        );
    }
}
