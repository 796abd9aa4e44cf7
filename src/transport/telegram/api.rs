//! The Bot API calls the reply outbox makes, as raw JSON over reqwest, with every
//! failure sorted by what to do about it ([`Failure`]): the HTTP status and Telegram's
//! `parameters` are read directly, so a 500, an HTML 502 page, a 429's `retry_after`
//! and a group's `migrate_to_chat_id` are each told apart.
//!
//! The client's time-out ([`REQUEST_TIMEOUT`]) is longer than Telegram's slowest
//! answer, so a slow sendMessage is waited for, not sent again while the first is
//! still being delivered.

use std::time::Duration;

use serde_json::Value;

use crate::error::cause_chain;

/// How long one request may take before it counts as failed (and is retried).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a request did not go through, by what to do next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// 429: wait this long, then send again (this chat only).
    #[error("rate limited: retry after {0:?}")]
    RetryAfter(Duration),
    /// A 5xx, a body that is not the Bot API's JSON, a network error or a time-out:
    /// try again later.
    #[error("{0}")]
    Transient(String),
    /// The group became a supergroup with this chat id: send there instead.
    #[error("the group moved to chat {0}")]
    Migrated(i64),
    /// The chat cannot be written to (403: the bot was blocked or removed; the chat is
    /// not found): stop writing to it.
    #[error("{0}")]
    Unreachable(String),
    /// Refused for good (another 4xx): drop the request.
    #[error("{0}")]
    Refused(String),
}

/// The Bot API of one bot: base URL and token, never shown.
#[derive(Clone)]
pub struct Api {
    client: reqwest::Client,
    /// `<api>/bot<token>/`: never logged (it holds the token).
    base: String,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Api { .. }")
    }
}

impl Api {
    /// The API of `bot` (its URL and token).
    ///
    /// # Errors
    /// The HTTP client cannot be built.
    pub fn new(bot: &teloxide::Bot) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        let base = format!(
            "{}/bot{}/",
            bot.api_url().as_str().trim_end_matches('/'),
            bot.token()
        );
        Ok(Self { client, base })
    }

    /// Calls `method` with a JSON body; the `result` on success.
    ///
    /// # Errors
    /// A [`Failure`].
    pub async fn call(&self, method: &str, body: &Value) -> Result<Value, Failure> {
        let request = self
            .client
            .post(format!("{}{method}", self.base))
            .json(body);
        answer(request.send().await).await
    }

    /// Sends a document (multipart upload of `content` named `name`).
    ///
    /// # Errors
    /// A [`Failure`].
    pub async fn send_document(
        &self,
        chat: i64,
        name: &str,
        mime: &str,
        content: &str,
    ) -> Result<Value, Failure> {
        let part = reqwest::multipart::Part::bytes(content.as_bytes().to_vec())
            .file_name(name.to_string())
            .mime_str(mime)
            .map_err(|e| Failure::Refused(e.without_url().to_string()))?;
        let form = reqwest::multipart::Form::new()
            .text("chat_id", chat.to_string())
            .part("document", part);
        let request = self
            .client
            .post(format!("{}sendDocument", self.base))
            .multipart(form);
        answer(request.send().await).await
    }
}

async fn answer(sent: reqwest::Result<reqwest::Response>) -> Result<Value, Failure> {
    let response = sent.map_err(|e| Failure::Transient(cause_chain(&e.without_url())))?;
    let status = response.status().as_u16();
    let text = response
        .text()
        .await
        .map_err(|e| Failure::Transient(cause_chain(&e.without_url())))?;
    classify(status, &text)
}

/// What an answer means: the `result`, or the [`Failure`] its status and body say.
///
/// # Errors
/// Every answer that is not `{"ok": true, …}`.
pub fn classify(status: u16, body: &str) -> Result<Value, Failure> {
    let Ok(reply) = serde_json::from_str::<Value>(body) else {
        let what = format!("HTTP {status} with a body that is not the Bot API's JSON");
        return Err(if status >= 500 || status == 429 || status < 300 {
            Failure::Transient(what)
        } else {
            Failure::Refused(what)
        });
    };
    if reply["ok"] == true {
        return Ok(reply["result"].clone());
    }
    let code = reply["error_code"].as_u64().unwrap_or(u64::from(status));
    let description = reply["description"].as_str().unwrap_or("no description");
    let what = format!("HTTP {code}: {description}");
    let parameters = &reply["parameters"];
    if let Some(after) = parameters["retry_after"].as_u64() {
        return Err(Failure::RetryAfter(Duration::from_secs(after.max(1))));
    }
    if let Some(chat) = parameters["migrate_to_chat_id"].as_i64() {
        return Err(Failure::Migrated(chat));
    }
    let lower = description.to_lowercase();
    Err(match code {
        429 => Failure::RetryAfter(Duration::from_secs(1)),
        500.. => Failure::Transient(what),
        403 => Failure::Unreachable(what),
        400 if lower.contains("chat not found") || lower.contains("user is deactivated") => {
            Failure::Unreachable(what)
        }
        _ => Failure::Refused(what),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_sorted_by_what_to_do_next() {
        let cases: &[(u16, &str, Failure)] = &[
            (
                500,
                r#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#,
                Failure::Transient("HTTP 500: Internal Server Error".into()),
            ),
            (
                502,
                "<html><body>502 Bad Gateway</body></html>",
                Failure::Transient("HTTP 502 with a body that is not the Bot API's JSON".into()),
            ),
            (
                429,
                r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 20","parameters":{"retry_after":20}}"#,
                Failure::RetryAfter(Duration::from_secs(20)),
            ),
            (
                400,
                r#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234}}"#,
                Failure::Migrated(-1_001_234),
            ),
            (
                403,
                r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
                Failure::Unreachable("HTTP 403: Forbidden: bot was blocked by the user".into()),
            ),
            (
                400,
                r#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#,
                Failure::Unreachable("HTTP 400: Bad Request: chat not found".into()),
            ),
            (
                400,
                r#"{"ok":false,"error_code":400,"description":"Bad Request: message text is empty"}"#,
                Failure::Refused("HTTP 400: Bad Request: message text is empty".into()),
            ),
        ];
        for (status, body, want) in cases {
            assert_eq!(
                classify(*status, body).unwrap_err(),
                *want,
                "{status} {body}"
            );
        }
        assert_eq!(
            classify(200, r#"{"ok":true,"result":{"message_id":5}}"#).unwrap()["message_id"],
            5
        );
    }
}
