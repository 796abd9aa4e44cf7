//! A fake OpenAI-compatible speech-to-text server on 127.0.0.1 (axum): answers from a
//! script (a transcript, a slow answer, an HTTP error, a held answer) and records every
//! request with its headers and multipart parts.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::Notify;

/// How the fake answers one request.
#[derive(Debug, Clone)]
pub enum Answer {
    Text(String),
    /// Answers only after this long.
    Slow(Duration),
    Status(u16),
    /// 200 with a body that is not `{"text": …}`.
    Garbage,
    /// Waits for [`FakeStt::release`], then answers with the text.
    Held(String),
}

/// One recorded request.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub authorization: Option<String>,
    content_type: String,
    body: Vec<u8>,
}

impl Request {
    /// A multipart part by field name: (its header lines, its bytes).
    pub fn part(&self, name: &str) -> Option<(String, Vec<u8>)> {
        let boundary = self
            .content_type
            .split("boundary=")
            .nth(1)?
            .trim_matches('"');
        let delimiter = format!("--{boundary}").into_bytes();
        split(&self.body, &delimiter).into_iter().find_map(|raw| {
            let raw = raw.strip_prefix(b"\r\n")?;
            let end = find(raw, b"\r\n\r\n")?;
            let headers = String::from_utf8_lossy(&raw[..end]).into_owned();
            let body = &raw[end + 4..];
            let body = body.strip_suffix(b"\r\n").unwrap_or(body);
            headers
                .contains(&format!("name=\"{name}\""))
                .then(|| (headers, body.to_vec()))
        })
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(mut hay: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    while let Some(i) = find(hay, delimiter) {
        parts.push(&hay[..i]);
        hay = &hay[i + delimiter.len()..];
    }
    parts.push(hay);
    parts
}

#[derive(Default)]
struct World {
    answers: VecDeque<Answer>,
    requests: Vec<Request>,
}

#[derive(Clone, Default)]
struct Shared {
    world: Arc<Mutex<World>>,
    release: Arc<Notify>,
    seen: Arc<Notify>,
}

/// A running fake service; answers are used in order, the last one repeats.
pub struct FakeStt {
    pub url: String,
    shared: Shared,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeStt {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeStt {
    pub async fn start(answers: Vec<Answer>) -> Self {
        let shared = Shared::default();
        shared.world.lock().unwrap().answers = answers.into();
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            url: format!("http://{addr}"),
            shared,
            server,
        }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.shared.world.lock().unwrap().requests.clone()
    }

    /// Waits until `n` requests arrived (at most 10 s).
    pub async fn wait_for_requests(&self, n: usize) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let seen = self.shared.seen.notified();
            if self.requests().len() >= n {
                return true;
            }
            if tokio::time::timeout_at(deadline, seen).await.is_err() {
                return self.requests().len() >= n;
            }
        }
    }

    /// Lets a [`Answer::Held`] answer go.
    pub fn release(&self) {
        self.shared.release.notify_one();
    }
}

async fn handle(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let answer = {
        let mut w = shared.world.lock().unwrap();
        w.requests.push(Request {
            path: uri.path().to_string(),
            authorization: header("authorization"),
            content_type: header("content-type").unwrap_or_default(),
            body: body.to_vec(),
        });
        if w.answers.len() > 1 {
            w.answers.pop_front()
        } else {
            w.answers.front().cloned()
        }
    };
    shared.seen.notify_waiters();
    let text = |t: &str| axum::Json(json!({ "text": t })).into_response();
    match answer.unwrap_or(Answer::Status(500)) {
        Answer::Text(t) => text(&t),
        Answer::Slow(wait) => {
            tokio::time::sleep(wait).await;
            text("too late")
        }
        Answer::Status(code) => (
            StatusCode::from_u16(code).unwrap(),
            axum::Json(json!({"error": {"message": "model crashed"}})),
        )
            .into_response(),
        Answer::Garbage => "<html>oops</html>".into_response(),
        Answer::Held(t) => {
            shared.release.notified().await;
            text(&t)
        }
    }
}
