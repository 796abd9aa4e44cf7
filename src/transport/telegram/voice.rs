//! A Telegram voice note turned into message content: checked against the size limit
//! and accepted MIME types first, then fetched with getFile and downloaded through the
//! bot, then transcribed. Runs inside the update's own handler, so a slow service only
//! delays that chat; nothing here holds a lock while it waits.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use teloxide::RequestError;
use teloxide::errors::DownloadError;
use teloxide::net::Download;
use teloxide::prelude::Requester;
use teloxide::types::FileId;
use tokio::io::AsyncWrite;

use super::TgBot;
use super::inbound::VoiceNote;
use crate::domain::Content as Said;
use crate::stt::{self, MAX_BYTES, Stt, SttError};

/// The content for a voice note: [`Said::Voice`] with the transcript, or
/// [`Said::VoiceFailed`] (logged at warn with the reason).
pub async fn content(bot: &TgBot, stt: Option<&Stt>, note: &VoiceNote) -> Said {
    stt::content(transcribe(bot, stt, note).await)
}

/// Checks, downloads and transcribes. Without a service nothing is checked: every voice
/// note gets the same request to type.
///
/// # Errors
/// Not configured, too large, an unaccepted MIME type, the download or the service
/// failing.
pub async fn transcribe(
    bot: &TgBot,
    stt: Option<&Stt>,
    note: &VoiceNote,
) -> Result<String, SttError> {
    let stt = stt.ok_or(SttError::NotConfigured)?;
    let mime = stt::audio::check(note.size, note.mime.as_deref())?;
    let bytes = download(bot, &note.file_id).await?;
    stt.transcribe(bytes, mime).await
}

/// getFile, then the file's bytes, stopping as soon as they pass [`MAX_BYTES`].
async fn download(bot: &TgBot, file_id: &str) -> Result<Vec<u8>, SttError> {
    let file = bot
        .get_file(FileId(file_id.to_string()))
        .await
        .map_err(|e| SttError::Fetch(format!("getFile: {}", request_error(&e))))?;
    let size = u64::from(file.meta.size);
    if size > MAX_BYTES {
        return Err(SttError::TooLarge { size });
    }
    let mut out = Capped::default();
    match bot.download_file(&file.path, &mut out).await {
        Ok(()) => Ok(out.bytes),
        Err(_) if out.over => Err(SttError::TooLarge {
            size: out.bytes.len() as u64,
        }),
        Err(DownloadError::Network(e)) => Err(SttError::Fetch(network_error(&e))),
        Err(DownloadError::Io(e)) => Err(SttError::Fetch(format!("download: {e}"))),
    }
}

/// A Bot API failure for the log. Network errors carry a URL with the bot token in
/// it, so only their kind is kept.
fn request_error(error: &RequestError) -> String {
    match error {
        RequestError::Network(e) => network_error(e),
        other => other.to_string(),
    }
}

fn network_error(error: &reqwest::Error) -> String {
    match error.status() {
        Some(status) => format!("download answered HTTP {}", status.as_u16()),
        None if error.is_timeout() => "network time-out".into(),
        None => "network error".into(),
    }
}

/// A buffer that refuses to grow past [`MAX_BYTES`].
#[derive(Default)]
struct Capped {
    bytes: Vec<u8>,
    over: bool,
}

impl AsyncWrite for Capped {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if (self.bytes.len() + buf.len()) as u64 > MAX_BYTES {
            self.over = true;
            return Poll::Ready(Err(io::Error::other("over the size limit")));
        }
        self.bytes.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
