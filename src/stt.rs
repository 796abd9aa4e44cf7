//! Speech-to-text: voice notes turned into text by an OpenAI-compatible service
//! (`POST /v1/audio/transcriptions`, multipart `file` and `model`, answer
//! `{"text": "…"}`), as whisper.cpp's server and faster-whisper-server expose it.
//!
//! The transports call it before the app sees the message, so a transcript goes through
//! the same conversation as typed text, and every failure becomes a
//! [`Content::VoiceFailed`] with a polite reply. Failures are logged at warn with their
//! reason; the API key and the transcript never reach the log.
//!
//! - [`audio`]: the size limit, accepted MIME types and endpoint URL (pure).

use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::config::{Secret, SttSettings};
use crate::domain::{Content, VoiceFailure};

pub mod audio;
pub mod file;

pub use audio::{ACCEPTED_MIME, MAX_BYTES};

/// The model asked for when `RECERT_STT_MODEL` is not set, and the time-out when
/// `RECERT_STT_TIMEOUT_SECS` is not: settings, so they live in `config`.
pub use crate::config::{
    DEFAULT_STT_MODEL as DEFAULT_MODEL, DEFAULT_STT_TIMEOUT as DEFAULT_TIMEOUT,
};

/// Why a voice note was not transcribed. The text is for the log: it never holds the
/// key or the transcript.
#[derive(Debug, thiserror::Error)]
pub enum SttError {
    #[error("no speech-to-text service is configured (RECERT_STT_URL)")]
    NotConfigured,
    #[error("the audio is {size} bytes, over the {MAX_BYTES}-byte limit")]
    TooLarge { size: u64 },
    #[error("unsupported audio type {0:?}")]
    UnsupportedFormat(String),
    #[error("the audio could not be fetched: {0}")]
    Fetch(String),
    #[error("the speech-to-text service cannot be reached: {0}")]
    Unreachable(String),
    #[error("the speech-to-text service did not answer within {0:?}")]
    TimedOut(Duration),
    #[error("the speech-to-text service answered HTTP {0}")]
    Status(u16),
    #[error("the speech-to-text answer is not {{\"text\": …}}: {0}")]
    BadResponse(String),
    #[error("the speech-to-text service heard nothing")]
    Empty,
}

impl SttError {
    /// What the conversation tells the trainer.
    #[must_use]
    pub const fn failure(&self) -> VoiceFailure {
        match self {
            Self::NotConfigured => VoiceFailure::NotConfigured,
            Self::TooLarge { .. } => VoiceFailure::TooLarge,
            Self::UnsupportedFormat(_) => VoiceFailure::UnsupportedFormat,
            _ => VoiceFailure::Unavailable,
        }
    }
}

/// The configured URL is not usable; reported at start-up.
#[derive(Debug, thiserror::Error)]
#[error("RECERT_STT_URL is not a valid URL ({url:?}): {reason}")]
pub struct BadSttUrl {
    pub url: String,
    pub reason: String,
}

/// A client of the speech-to-text service. Cheap to clone (one connection pool).
#[derive(Clone)]
pub struct Stt {
    client: reqwest::Client,
    endpoint: reqwest::Url,
    model: String,
    key: Option<Secret>,
    timeout: Duration,
}

impl fmt::Debug for Stt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stt")
            .field("endpoint", &self.endpoint.as_str())
            .field("model", &self.model)
            .field("key", &self.key)
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[derive(Deserialize)]
struct Transcription {
    text: String,
}

impl Stt {
    /// A client for the configured service.
    ///
    /// # Errors
    /// The URL is not an absolute http(s) URL.
    pub fn new(settings: &SttSettings) -> Result<Self, BadSttUrl> {
        let endpoint = audio::endpoint(&settings.url).map_err(|reason| BadSttUrl {
            url: settings.url.clone(),
            reason,
        })?;
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .map_err(|e| BadSttUrl {
                url: settings.url.clone(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            client,
            endpoint,
            model: settings.model.clone(),
            key: settings.key.clone(),
            timeout: settings.timeout,
        })
    }

    /// The client when `RECERT_STT_URL` is set, `None` otherwise.
    ///
    /// # Errors
    /// As [`Stt::new`].
    pub fn from_settings(settings: Option<&SttSettings>) -> Result<Option<Self>, BadSttUrl> {
        settings.map(Self::new).transpose()
    }

    /// The full transcription URL requests go to.
    #[must_use]
    pub const fn endpoint(&self) -> &reqwest::Url {
        &self.endpoint
    }

    /// Sends audio of an accepted MIME type and returns the transcript, trimmed.
    ///
    /// # Errors
    /// Over the size limit, the service unreachable, slow, answering non-2xx or not
    /// `{"text": …}`, or an empty transcript.
    pub async fn transcribe(&self, bytes: Vec<u8>, mime: &'static str) -> Result<String, SttError> {
        let size = bytes.len() as u64;
        if size > MAX_BYTES {
            return Err(SttError::TooLarge { size });
        }
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(audio::file_name_for(mime))
            .mime_str(mime)
            .map_err(|_| SttError::UnsupportedFormat(mime.to_string()))?;
        let form = reqwest::multipart::Form::new()
            .part("file", part)
            .text("model", self.model.clone())
            .text("response_format", "json");
        let mut request = self.client.post(self.endpoint.clone()).multipart(form);
        if let Some(key) = &self.key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await.map_err(|e| self.http_error(e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(SttError::Status(status.as_u16()));
        }
        let body: Transcription = response.json().await.map_err(|e| self.http_error(e))?;
        let text = body.text.trim();
        if text.is_empty() {
            return Err(SttError::Empty);
        }
        Ok(text.to_string())
    }

    /// Reads an audio file (its type from the extension; see [`file::read_audio`] for
    /// what is read) on a blocking task inside the time-out, and transcribes it.
    ///
    /// # Errors
    /// As [`Stt::transcribe`]; also an unknown extension, a path that is not a regular
    /// audio file, or a read that does not finish within the time-out.
    pub async fn transcribe_file(&self, path: &Path) -> Result<String, SttError> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let mime = audio::check(None, Some(audio::mime_for_name(name).unwrap_or(name)))?;
        let owned = path.to_path_buf();
        let read = tokio::task::spawn_blocking(move || file::read_audio(&owned, MAX_BYTES));
        let bytes = tokio::time::timeout(self.timeout, read)
            .await
            .map_err(|_| SttError::TimedOut(self.timeout))?
            .map_err(|e| SttError::Fetch(e.to_string()))??;
        self.transcribe(bytes, mime).await
    }

    /// A reqwest failure as an [`SttError`], without the URL.
    fn http_error(&self, error: reqwest::Error) -> SttError {
        if error.is_timeout() {
            SttError::TimedOut(self.timeout)
        } else if error.is_decode() {
            SttError::BadResponse(error.without_url().to_string())
        } else {
            SttError::Unreachable(crate::error::cause_chain(&error.without_url()))
        }
    }
}

/// The message content for a transcription's outcome. A failure is logged at warn with
/// its reason; the transcript itself is never logged.
#[must_use]
pub fn content(result: Result<String, SttError>) -> Content {
    match result {
        Ok(transcript) => {
            tracing::info!(chars = transcript.chars().count(), "voice note transcribed");
            Content::Voice { transcript }
        }
        Err(error) => {
            tracing::warn!(reason = %error, "voice note not transcribed");
            Content::VoiceFailed {
                reason: error.failure(),
            }
        }
    }
}

/// A voice note given as a file path (JSONL): transcribed when a service is configured.
pub async fn file_content(stt: Option<&Stt>, path: &Path) -> Content {
    let result = match stt {
        Some(stt) => stt.transcribe_file(path).await,
        None => Err(SttError::NotConfigured),
    };
    content(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> SttSettings {
        SttSettings {
            url: url.into(),
            model: DEFAULT_MODEL.into(),
            key: Some(Secret::new("sk-very-secret")),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    #[test]
    fn errors_map_to_what_the_trainer_is_told() {
        let cases = [
            (SttError::NotConfigured, VoiceFailure::NotConfigured),
            (SttError::TooLarge { size: 1 }, VoiceFailure::TooLarge),
            (
                SttError::UnsupportedFormat("x".into()),
                VoiceFailure::UnsupportedFormat,
            ),
            (
                SttError::Unreachable("refused".into()),
                VoiceFailure::Unavailable,
            ),
            (
                SttError::TimedOut(DEFAULT_TIMEOUT),
                VoiceFailure::Unavailable,
            ),
            (SttError::Status(500), VoiceFailure::Unavailable),
            (
                SttError::BadResponse("eof".into()),
                VoiceFailure::Unavailable,
            ),
            (SttError::Fetch("gone".into()), VoiceFailure::Unavailable),
            (SttError::Empty, VoiceFailure::Unavailable),
        ];
        for (error, expected) in cases {
            assert_eq!(error.failure(), expected, "{error}");
            assert_eq!(
                content(Err(error)),
                Content::VoiceFailed { reason: expected }
            );
        }
        assert_eq!(
            content(Ok("two hours".into())),
            Content::Voice {
                transcript: "two hours".into()
            }
        );
    }

    #[test]
    fn the_key_never_prints() {
        let stt = Stt::new(&settings("http://127.0.0.1:1")).expect("valid");
        let shown = format!("{stt:?}");
        assert!(!shown.contains("sk-very-secret"), "{shown}");
        assert!(shown.contains("/v1/audio/transcriptions"), "{shown}");
        assert!(Stt::new(&settings("nope")).is_err());
        assert!(Stt::from_settings(None).expect("none is fine").is_none());
    }
}
