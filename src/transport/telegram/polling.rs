//! Long polling of our own over getUpdates, read as raw JSON.
//!
//! - Only the kinds the bot handles are asked for (`allowed_updates`: messages and button
//!   presses). Anything else that arrives, and any update that does not parse, is
//!   skipped by its id and logged with that id and the parse error only, never its
//!   text or names; it is confirmed with the rest, so it cannot crash every restart.
//! - A page is committed to the inbox ([`super::intake`]) before the next getUpdates
//!   confirms its offset: a crash at any instant loses no update. If the commit fails
//!   the offset stays, and the page is fetched again.
//! - On shutdown it stops fetching at once and gives the updates in hand
//!   [`super::intake::GRACE`] to finish; the rest wait in the inbox.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use teloxide::types::{Update, UpdateKind};
use tokio::sync::watch;

use super::handler::Ctx;
use super::intake::{self, Received, Workers};
use crate::error::cause_chain;
use crate::retry::Backoff;

/// The update kinds requested from Telegram: what [`super::inbound`] acts on.
pub const ALLOWED_UPDATES: [&str; 2] = ["message", "callback_query"];

/// How much longer than the long poll itself a getUpdates call may take.
const POLL_SLACK: Duration = Duration::from_secs(10);

/// The most updates asked for at a time (Telegram's own limit).
const LIMIT: u32 = 100;

/// Waits after failed getUpdates calls in a row.
const BACKOFF: Backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(30));

/// Where and how getUpdates is called.
pub struct Poller {
    pub client: reqwest::Client,
    /// `<api>/bot<token>/getUpdates`: never logged (it holds the token).
    pub url: reqwest::Url,
    pub timeout: Duration,
}

impl Poller {
    /// A poller for the bot's API URL and token, long-polling `timeout` at a time.
    ///
    /// # Errors
    /// The URL cannot be joined or the HTTP client not built.
    pub fn new(bot: &teloxide::Bot, timeout: Duration) -> Result<Self, String> {
        let base = bot.api_url();
        let url = format!(
            "{}/bot{}/getUpdates",
            base.as_str().trim_end_matches('/'),
            bot.token()
        );
        let url =
            reqwest::Url::parse(&url).map_err(|_| format!("{base} is not a usable API URL"))?;
        let client = reqwest::Client::builder()
            .timeout(timeout + POLL_SLACK)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            url,
            timeout,
        })
    }

    async fn fetch(&self, offset: i64) -> Result<Vec<Value>, String> {
        let body = json!({"offset": offset, "limit": LIMIT, "timeout": self.timeout.as_secs(),
            "allowed_updates": ALLOWED_UPDATES});
        let response = self
            .client
            .post(self.url.clone())
            .json(&body)
            .send()
            .await
            .map_err(|e| cause_chain(&e.without_url()))?;
        let status = response.status();
        let reply: Value = response
            .json()
            .await
            .map_err(|e| format!("HTTP {}: {}", status.as_u16(), e.without_url()))?;
        match reply["result"].as_array() {
            Some(updates) if reply["ok"] == true => Ok(updates.clone()),
            _ => Err(format!(
                "HTTP {}: {}",
                status.as_u16(),
                reply["description"]
            )),
        }
    }
}

/// Polls and handles updates until `stop` turns true (or its sender goes away); the
/// workers may already hold the updates replayed from the inbox.
pub async fn run(
    poller: Poller,
    ctx: Arc<Ctx>,
    mut workers: Workers,
    mut stop: watch::Receiver<bool>,
) {
    let mut offset = 0;
    let mut failures = 0;
    tracing::info!(allowed = ?ALLOWED_UPDATES, "polling for updates");
    loop {
        let fetched = tokio::select! {
            () = stopped(&mut stop) => break,
            fetched = poller.fetch(offset) => fetched,
        };
        let recorded = match fetched {
            Ok(raw) => {
                let (next, page) = read(&raw, offset);
                intake::record(&ctx, page)
                    .await
                    .map(|fresh| (next, fresh))
                    .map_err(|e| format!("the updates could not be recorded: {e}"))
            }
            Err(error) => Err(format!("getUpdates failed: {error}")),
        };
        let (next, fresh) = match recorded {
            Ok(done) => done,
            Err(error) => {
                failures += 1;
                let wait = BACKOFF.delay(failures);
                tracing::warn!(%error, ?wait, "retrying");
                tokio::select! {
                    () = stopped(&mut stop) => break,
                    () = tokio::time::sleep(wait) => {}
                }
                continue;
            }
        };
        failures = 0;
        offset = next;
        for update in fresh {
            workers.dispatch(&ctx, update);
        }
    }
    tracing::info!("polling stopped: shutdown requested");
    workers.stop().await;
}

/// Resolves once `stop` is true or can no longer change.
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|&s| s).await;
}

/// The updates of a page the bot acts on, and the offset that confirms the whole page.
/// Other kinds and unreadable updates are skipped, logged by id only.
#[must_use]
pub fn read(raw: &[Value], offset: i64) -> (i64, Vec<Received>) {
    let mut next = offset;
    let mut updates = Vec::with_capacity(raw.len());
    for value in raw {
        let Some(id) = value["update_id"].as_i64() else {
            tracing::warn!("an update without an update_id was skipped");
            continue;
        };
        next = next.max(id + 1);
        match parse(value) {
            Ok(update) => updates.push(update),
            Err(error) => {
                tracing::warn!(update_id = id, %error, "an update was skipped");
            }
        }
    }
    (next, updates)
}

/// Parses one update of a kind the bot handles; the error names what was wrong
/// without quoting the update.
///
/// # Errors
/// Not a kind the bot handles, or not readable.
pub fn parse(value: &Value) -> Result<Received, String> {
    let Some(kind) = ALLOWED_UPDATES
        .into_iter()
        .find(|k| value.get(*k).is_some())
    else {
        return Err("update of a kind not handled".into());
    };
    // An entity type newer than teloxide (`date_time`, say) makes teloxide read a text
    // message as some other kind, without its text: read it without those entities.
    match without_unknown_entities(value) {
        Some(known) => parse_kind(&known, kind),
        None => parse_kind(value, kind),
    }
}

/// The entity types teloxide 0.17 reads (`MessageEntityKind`).
const KNOWN_ENTITIES: [&str; 19] = [
    "mention",
    "hashtag",
    "cashtag",
    "bot_command",
    "url",
    "email",
    "phone_number",
    "bold",
    "blockquote",
    "expandable_blockquote",
    "italic",
    "underline",
    "strikethrough",
    "spoiler",
    "code",
    "pre",
    "text_link",
    "text_mention",
    "custom_emoji",
];

/// The update with every entity of a type teloxide does not know removed (from the
/// message and the message it replies to); `None` if there was none.
fn without_unknown_entities(value: &Value) -> Option<Value> {
    let mut out = value.clone();
    let message = if let Some(m) = out.get_mut("message") {
        m
    } else {
        out.get_mut("callback_query")?.get_mut("message")?
    };
    let mut removed = strip(message);
    if let Some(replied) = message.get_mut("reply_to_message") {
        removed |= strip(replied);
    }
    removed.then_some(out)
}

fn strip(message: &mut Value) -> bool {
    let mut removed = false;
    for field in ["entities", "caption_entities"] {
        if let Some(list) = message.get_mut(field).and_then(Value::as_array_mut) {
            let before = list.len();
            list.retain(|e| {
                e["type"]
                    .as_str()
                    .is_some_and(|t| KNOWN_ENTITIES.contains(&t))
            });
            removed |= list.len() != before;
        }
    }
    removed
}

fn parse_kind(value: &Value, kind: &str) -> Result<Received, String> {
    let redacted = |e: serde_json::Error| redact(&e.to_string());
    // From text, not from the `Value`: teloxide's kind visitor borrows its keys.
    let body = value.to_string();
    let update: Update = serde_json::from_str(&body).map_err(redacted)?;
    if let UpdateKind::Error(_) = update.kind {
        // teloxide keeps a kind it cannot read as raw JSON: find out why.
        let inner = &value[kind];
        let why = match kind {
            "message" => serde_json::from_value::<teloxide::types::Message>(inner.clone()).err(),
            _ => serde_json::from_value::<teloxide::types::CallbackQuery>(inner.clone()).err(),
        };
        return Err(why.map_or_else(|| format!("unreadable {kind}"), redacted));
    }
    Ok(Received { update, body })
}

/// An error text with every quoted value replaced by `"…"`.
#[must_use]
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            if !quoted {
                out.push_str("\"…\"");
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_redacted() {
        assert_eq!(
            redact(r#"invalid type: string "my card is 1234", expected i64"#),
            r#"invalid type: string "…", expected i64"#
        );
        assert_eq!(redact("missing field `date`"), "missing field `date`");
    }

    #[test]
    fn a_page_skips_other_kinds_and_unreadable_updates_but_confirms_them() {
        let raw = vec![
            json!({"update_id": 5, "message_reaction": {"chat": {"id": 1, "type": "private"}}}),
            json!({"update_id": 6, "message": {"message_id": 1, "date": "secret text", "chat": {"id": 1, "type": "private"}}}),
            json!({"update_id": 7, "message": {"message_id": 2, "date": 1_700_000_000,
                "chat": {"id": 1, "type": "private", "first_name": "A"},
                "from": {"id": 1, "is_bot": false, "first_name": "A"}, "text": "hi"}}),
        ];
        let (next, updates) = read(&raw, 0);
        assert_eq!(next, 8);
        assert_eq!(updates.len(), 1);
        assert_eq!(updates[0].update.id.0, 7);
        let error = parse(&raw[1]).unwrap_err();
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn an_entity_type_teloxide_does_not_know_is_dropped_and_the_text_kept() {
        let value = json!({"update_id": 9, "message": {"message_id": 3, "date": 1_700_000_000,
            "chat": {"id": 1, "type": "private", "first_name": "A"},
            "from": {"id": 1, "is_bot": false, "first_name": "A"}, "text": "/help tomorrow at 5",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5},
                {"type": "date_time", "offset": 6, "length": 13, "unix_time": 1_700_000_000}]}});
        let received = parse(&value).expect("read without the unknown entity");
        let UpdateKind::Message(m) = received.update.kind else {
            panic!("a message")
        };
        assert_eq!(m.text(), Some("/help tomorrow at 5"));
        assert_eq!(m.entities().map(<[_]>::len), Some(1));
        assert!(!received.body.contains("date_time"));
    }
}
