//! A fake Telegram Bot API on 127.0.0.1 (axum): scripted getUpdates honouring the
//! offset, recorded sendMessage and friends, and a switch to answer 429 on the next
//! sendMessage, and a switch to answer 500 to everything; webhook delivery that
//! POSTs each update until it gets a 2xx, as Telegram does. Method names are matched case-insensitively (teloxide sends `GetMe`).
//! Files added with [`FakeTelegram::add_file`] are served by getFile and
//! `/file/bot<token>/<file_path>`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::Notify;

pub const BOT_ID: i64 = 999;
pub const BOT_NAME: &str = "RecertBot";

/// The fake server's recorded world.
#[derive(Default)]
struct World {
    updates: Vec<Value>,
    next_update: i64,
    next_message: i64,
    calls: Vec<(String, Value)>,
    rate_limit_sends: u32,
    /// Every method but getMe answers 500 (a Bot API having a bad day).
    failing: bool,
    /// file id -> (file path, bytes)
    files: std::collections::HashMap<String, (String, Vec<u8>)>,
    downloads: Vec<String>,
    /// Scripted answers to the next sends to a chat, in order (see [`Answer`]).
    scripts: std::collections::HashMap<i64, std::collections::VecDeque<Answer>>,
    /// Updates being posted to the webhook right now (by update_id).
    posting: std::collections::HashSet<i64>,
}

/// A scripted answer to a sendMessage (or editMessageText) to one chat.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    /// 500 with the Bot API's JSON error.
    Json500,
    /// 502 with an HTML page, as a proxy in front of the Bot API sends.
    Html502,
    /// 429 with `retry_after` seconds.
    RetryAfter(u64),
    /// 403: the user blocked the bot.
    Blocked,
    /// 400: chat not found.
    ChatNotFound,
    /// 400 with `migrate_to_chat_id`.
    Migrated(i64),
}

impl Answer {
    fn response(&self) -> Response {
        let json = |status: StatusCode, body: Value| (status, axum::Json(body)).into_response();
        match self {
            Self::Json500 => json(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"ok": false, "error_code": 500, "description": "Internal Server Error"}),
            ),
            Self::Html502 => (
                StatusCode::BAD_GATEWAY,
                [("content-type", "text/html")],
                "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            )
                .into_response(),
            Self::RetryAfter(s) => json(
                StatusCode::TOO_MANY_REQUESTS,
                json!({"ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {s}"),
                    "parameters": {"retry_after": s}}),
            ),
            Self::Blocked => json(
                StatusCode::FORBIDDEN,
                json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
            ),
            Self::ChatNotFound => json(
                StatusCode::BAD_REQUEST,
                json!({"ok": false, "error_code": 400, "description": "Bad Request: chat not found"}),
            ),
            Self::Migrated(to) => json(
                StatusCode::BAD_REQUEST,
                json!({"ok": false, "error_code": 400, "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": to}}),
            ),
        }
    }
}

#[derive(Clone, Default)]
struct Shared {
    world: Arc<Mutex<World>>,
    changed: Arc<Notify>,
}

/// A running fake Bot API.
pub struct FakeTelegram {
    pub url: reqwest::Url,
    shared: Shared,
    server: tokio::task::JoinHandle<()>,
    pushers: Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.server.abort();
        for p in self.pushers.lock().unwrap().iter() {
            p.abort();
        }
    }
}

impl FakeTelegram {
    pub async fn start() -> Self {
        let shared = Shared::default();
        shared.world.lock().unwrap().next_update = 1;
        shared.world.lock().unwrap().next_message = 1000;
        let app = Router::new()
            .route("/{bot}/{method}", axum::routing::any(api))
            .route("/file/{bot}/{*path}", axum::routing::get(download))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            url: format!("http://{addr}").parse().unwrap(),
            shared,
            server,
            pushers: Mutex::default(),
        }
    }

    /// Queues a raw update body (e.g. `{"message": …}`); returns its update_id.
    pub fn push(&self, kind: &str, body: Value) -> i64 {
        let mut w = self.shared.world.lock().unwrap();
        let id = w.next_update;
        w.next_update += 1;
        let mut update = json!({ "update_id": id });
        update[kind] = body;
        w.updates.push(update);
        drop(w);
        self.shared.changed.notify_waiters();
        id
    }

    /// Queues an update exactly as given (the same update_id may repeat).
    pub fn push_raw(&self, update: Value) {
        let mut w = self.shared.world.lock().unwrap();
        let id = update["update_id"].as_i64().unwrap_or_default();
        w.next_update = w.next_update.max(id + 1);
        w.updates.push(update);
        drop(w);
        self.shared.changed.notify_waiters();
    }

    /// Makes a file available to getFile and the download URL; returns its file path.
    pub fn add_file(&self, file_id: &str, bytes: &[u8]) -> String {
        let path = format!("voice/{file_id}.oga");
        let mut w = self.shared.world.lock().unwrap();
        w.files
            .insert(file_id.to_string(), (path.clone(), bytes.to_vec()));
        path
    }

    /// The request paths of every file download, in order (the token included).
    pub fn downloads(&self) -> Vec<String> {
        self.shared.world.lock().unwrap().downloads.clone()
    }

    /// A fresh message id (as Telegram would assign to a user's message).
    pub fn message_id(&self) -> i64 {
        let mut w = self.shared.world.lock().unwrap();
        w.next_message += 1;
        w.next_message
    }

    /// The next `n` sendMessage calls get a 429 with `retry_after` 1 second.
    pub fn rate_limit_next_sends(&self, n: u32) {
        self.shared.world.lock().unwrap().rate_limit_sends = n;
    }

    /// The next sends to `chat` get these answers, in order, instead of success.
    pub fn script(&self, chat: i64, answers: &[Answer]) {
        let mut w = self.shared.world.lock().unwrap();
        w.scripts
            .entry(chat)
            .or_default()
            .extend(answers.iter().cloned());
    }

    /// Texts of the accepted editMessageText calls in `chat`, with the message edited.
    pub fn edits_in(&self, chat: i64) -> Vec<(i64, Value)> {
        self.calls("editmessagetext")
            .into_iter()
            .filter(|b| b["chat_id"].as_i64() == Some(chat) && b["delivered"] == json!(true))
            .map(|b| (b["message_id"].as_i64().unwrap_or_default(), b))
            .collect()
    }

    /// Drops what is still scripted for `chat`: its sends succeed again.
    pub fn unscript(&self, chat: i64) {
        self.shared.world.lock().unwrap().scripts.remove(&chat);
    }

    /// Every sendMessage attempt to `chat`, delivered or not.
    pub fn attempts_to(&self, chat: i64) -> Vec<Value> {
        self.calls("sendmessage")
            .into_iter()
            .filter(|b| b["chat_id"].as_i64() == Some(chat))
            .collect()
    }

    /// From now on every method but getMe answers HTTP 500 (or again normally).
    pub fn fail_everything(&self, on: bool) {
        self.shared.world.lock().unwrap().failing = on;
        self.shared.changed.notify_waiters();
    }

    /// Every recorded call of `method` (lower case), in order.
    pub fn calls(&self, method: &str) -> Vec<Value> {
        let w = self.shared.world.lock().unwrap();
        w.calls
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// Texts delivered to `chat` (successful sendMessage calls).
    pub fn sent_to(&self, chat: i64) -> Vec<Value> {
        self.calls("sendmessage")
            .into_iter()
            .filter(|b| b["chat_id"].as_i64() == Some(chat) && b["delivered"] == json!(true))
            .collect()
    }

    /// Webhook delivery, as Telegram does it: every queued update is POSTed to `url`
    /// with the secret header, up to `parallel` at a time, and kept (and POSTed again)
    /// until it gets a 2xx. Runs until the fake is dropped.
    pub fn post_updates_to(&self, url: String, secret: &str, parallel: usize) {
        let client = reqwest::Client::new();
        for _ in 0..parallel {
            let (shared, client, url) = (self.shared.clone(), client.clone(), url.clone());
            let secret = secret.to_string();
            let task = tokio::spawn(async move {
                loop {
                    let next = {
                        let mut w = shared.world.lock().unwrap();
                        let found = w
                            .updates
                            .iter()
                            .find(|u| !w.posting.contains(&u["update_id"].as_i64().unwrap_or(0)));
                        let found = found.cloned();
                        if let Some(u) = &found {
                            w.posting.insert(u["update_id"].as_i64().unwrap_or(0));
                        }
                        found
                    };
                    let Some(update) = next else {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    };
                    let id = update["update_id"].as_i64().unwrap_or(0);
                    let answer = client
                        .post(&url)
                        .header("X-Telegram-Bot-Api-Secret-Token", &secret)
                        .json(&update)
                        .timeout(Duration::from_secs(5))
                        .send()
                        .await;
                    let accepted = answer.is_ok_and(|a| a.status().is_success());
                    {
                        let mut w = shared.world.lock().unwrap();
                        w.posting.remove(&id);
                        if accepted {
                            w.updates.retain(|u| u["update_id"].as_i64() != Some(id));
                        }
                    }
                    if !accepted {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            });
            self.pushers.lock().unwrap().push(task);
        }
    }

    /// How many updates Telegram still holds (not yet confirmed or accepted).
    pub fn pending_updates(&self) -> usize {
        self.shared.world.lock().unwrap().updates.len()
    }

    /// Waits until `pred` holds (checked whenever the fake sees a call), at most `within`.
    pub async fn wait_for(&self, within: Duration, mut pred: impl FnMut(&Self) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let changed = self.shared.changed.notified();
            if pred(self) {
                return true;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return pred(self);
            }
        }
    }
}

async fn api(
    State(shared): State<Shared>,
    Path((_bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let method = method.to_lowercase();
    // JSON for most methods; multipart (setWebhook) is kept as its raw text.
    let body: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    let failing = shared.world.lock().unwrap().failing;
    if failing && method != "getme" {
        shared.world.lock().unwrap().calls.push((method, body));
        shared.changed.notify_waiters();
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(
                json!({"ok": false, "error_code": 500, "description": "Internal Server Error"}),
            ),
        )
            .into_response();
    }
    if method == "getupdates" {
        return get_updates(&shared, &body).await;
    }
    let reply = {
        let mut w = shared.world.lock().unwrap();
        respond(&mut w, &method, body)
    };
    shared.changed.notify_waiters();
    reply
}

fn ok(result: Value) -> Response {
    axum::Json(json!({ "ok": true, "result": result })).into_response()
}

fn respond(w: &mut World, method: &str, mut body: Value) -> Response {
    let reply = match method {
        "getme" => ok(
            json!({"id": BOT_ID, "is_bot": true, "first_name": "Recert", "username": BOT_NAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false}),
        ),
        "sendmessage" if w.rate_limit_sends > 0 => {
            w.rate_limit_sends -= 1;
            body["delivered"] = json!(false);
            w.calls.push((method.to_string(), body));
            return (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(json!({"ok": false, "error_code": 429,
                    "description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}})),
            )
                .into_response();
        }
        "sendmessage" | "editmessagetext" | "getchat"
            if w.scripts
                .get(&body["chat_id"].as_i64().unwrap_or_default())
                .is_some_and(|q| !q.is_empty()) =>
        {
            let chat = body["chat_id"].as_i64().unwrap_or_default();
            let answer = w.scripts.get_mut(&chat).and_then(|q| q.pop_front());
            body["delivered"] = json!(false);
            w.calls.push((method.to_string(), body));
            return answer
                .map(|a| a.response())
                .unwrap_or_else(|| ok(json!(true)));
        }
        "sendmessage" => {
            w.next_message += 1;
            let chat = body["chat_id"].as_i64().unwrap_or_default();
            body["delivered"] = json!(true);
            body["sent_message_id"] = json!(w.next_message);
            ok(json!({"message_id": w.next_message, "date": 1_700_000_000,
                "chat": chat_json(chat), "from": {"id": BOT_ID, "is_bot": true, "first_name": "Recert",
                "username": BOT_NAME}, "text": body["text"]}))
        }
        "editmessagetext" => {
            let chat = body["chat_id"].as_i64().unwrap_or_default();
            body["delivered"] = json!(true);
            ok(
                json!({"message_id": body["message_id"], "date": 1_700_000_000,
                "chat": chat_json(chat), "text": body["text"]}),
            )
        }
        "getchat" => ok(chat_json(body["chat_id"].as_i64().unwrap_or_default())),
        "senddocument" => {
            w.next_message += 1;
            ok(json!({"message_id": w.next_message, "date": 1_700_000_000,
                "chat": chat_json(0), "document": {"file_id": "doc", "file_unique_id": "doc"}}))
        }
        "getwebhookinfo" => {
            ok(json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0}))
        }
        "getfile" => match w.files.get(body["file_id"].as_str().unwrap_or_default()) {
            Some((path, bytes)) => ok(json!({"file_id": body["file_id"], "file_unique_id": "u",
                "file_size": bytes.len(), "file_path": path})),
            None => (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({"ok": false, "error_code": 400,
                    "description": "Bad Request: invalid file_id"})),
            )
                .into_response(),
        },
        "answercallbackquery" | "setmycommands" | "deletewebhook" | "setwebhook" => ok(json!(true)),
        _ => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"ok": false, "error_code": 404, "description": "Not Found"})),
        )
            .into_response(),
    };
    w.calls.push((method.to_string(), body));
    reply
}

/// `/file/bot<token>/<file_path>`: the bytes of a file added with `add_file`.
async fn download(
    State(shared): State<Shared>,
    Path((bot, path)): Path<(String, String)>,
) -> Response {
    let mut w = shared.world.lock().unwrap();
    w.downloads.push(format!("/file/{bot}/{path}"));
    let found = w
        .files
        .values()
        .find(|(p, _)| *p == path)
        .map(|(_, b)| b.clone());
    drop(w);
    shared.changed.notify_waiters();
    match found {
        Some(bytes) => bytes.into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// getUpdates: drops what the offset confirms, returns the rest; with nothing to
/// return, holds the request briefly (a short long-poll).
async fn get_updates(shared: &Shared, body: &Value) -> Response {
    let offset = body["offset"].as_i64().unwrap_or(0);
    shared
        .world
        .lock()
        .unwrap()
        .calls
        .push(("getupdates".into(), body.clone()));
    shared.changed.notify_waiters();
    for _ in 0..2 {
        let changed = shared.changed.notified();
        {
            let mut w = shared.world.lock().unwrap();
            w.updates
                .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            if !w.updates.is_empty() {
                return ok(Value::Array(w.updates.clone()));
            }
        }
        let _ = tokio::time::timeout(Duration::from_millis(300), changed).await;
    }
    ok(json!([]))
}

pub fn chat_json(chat: i64) -> Value {
    if chat > 0 {
        json!({"id": chat, "type": "private", "first_name": "Ana"})
    } else {
        json!({"id": chat, "type": "supergroup", "title": "Group"})
    }
}
