//! Webhook mode: an axum server of our own behind a secret-token check. A request
//! without the right `X-Telegram-Bot-Api-Secret-Token` gets 401 before anything reads
//! it. An update is answered 2xx only once it is committed to the inbox
//! ([`super::intake`]); if the commit fails the answer is 500 and Telegram sends the
//! update again. A redelivered update_id is answered 200 and not handled twice.
//! The same listener serves `GET /healthz` and `GET /metrics` ([`crate::ops`]), which
//! need no secret.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use rand::distributions::Alphanumeric;
use teloxide::payloads::SetWebhookSetters;
use teloxide::prelude::Requester;
use teloxide::types::AllowedUpdate;
use tokio::sync::watch;

use super::handler::Ctx;
use super::intake::{self, Workers};
use super::polling::{read, stopped};
use super::{StartError, TgBot};
use crate::store::Backend;

/// The header Telegram sends the secret in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The length of a generated secret.
const GENERATED_SECRET_LEN: usize = 32;

/// The lengths Telegram accepts for a secret.
const SECRET_LEN: std::ops::RangeInclusive<usize> = 1..=256;

/// A fresh random secret (32 letters and digits).
#[must_use]
pub fn generate_secret() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(GENERATED_SECRET_LEN)
        .map(char::from)
        .collect()
}

/// Whether Telegram accepts `secret`: 1-256 of `A-Z a-z 0-9 _ -`.
#[must_use]
pub fn valid_secret(secret: &str) -> bool {
    SECRET_LEN.contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Compares without stopping at the first difference, so the time a refusal takes says
/// nothing about how much of a guess was right. teloxide's axum listener checks the
/// header too, but with a plain `!=` on the bytes (`update_listeners/webhooks/axum.rs`
/// in teloxide 0.17), which returns at the first differing byte; this check runs
/// before it and refuses a wrong secret in constant time.
#[must_use]
pub fn secret_matches(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Where the webhook lives and who it serves.
pub struct Hook {
    pub url: reqwest::Url,
    pub listen: SocketAddr,
    pub secret: String,
}

#[derive(Clone)]
struct Served {
    ctx: Arc<Ctx>,
    workers: Arc<Mutex<Workers>>,
}

/// Binds `listen`, registers the webhook (setWebhook with the secret and the update
/// kinds), serves it until `stop`, lets the updates in hand finish, then deletes the
/// webhook (on SQLite; on PostgreSQL other instances may still serve it).
///
/// # Errors
/// The address cannot be bound, or setWebhook fails.
pub async fn serve(
    bot: &TgBot,
    ctx: Arc<Ctx>,
    workers: Workers,
    hook: Hook,
    mut stop: watch::Receiver<bool>,
) -> Result<(), StartError> {
    let tcp = tokio::net::TcpListener::bind(hook.listen)
        .await
        .map_err(|e| StartError::Bind {
            addr: hook.listen,
            reason: e.to_string(),
        })?;
    bot.set_webhook(hook.url.clone())
        .secret_token(hook.secret.clone())
        .allowed_updates([AllowedUpdate::Message, AllowedUpdate::CallbackQuery])
        .await
        .map_err(|e| StartError::Webhook(e.to_string()))?;
    let served = Served {
        ctx,
        workers: Arc::new(Mutex::new(workers)),
    };
    let secret = hook.secret;
    let path = match hook.url.path() {
        "" => "/".to_string(),
        p => p.to_string(),
    };
    let store = served.ctx.app().store().clone();
    let store_backend = store.backend();
    let router = Router::new()
        .route(&path, axum::routing::post(receive))
        .with_state(served.clone())
        .layer(axum::middleware::from_fn(
            move |req: Request, next: Next| {
                let secret = secret.clone();
                async move { check(&secret, req, next).await }
            },
        ))
        // After the layer: health and metrics need no Telegram secret.
        .merge(crate::ops::routes(store));
    tracing::info!(listen = %hook.listen, "webhook listening");
    let result = axum::serve(tcp, router)
        .with_graceful_shutdown(async move { stopped(&mut stop).await })
        .await;
    if let Err(e) = result {
        tracing::error!(error = %e, "webhook server failed");
    }
    let workers = std::mem::take(&mut *served.workers.lock().unwrap_or_else(|p| p.into_inner()));
    workers.stop().await;
    // On PostgreSQL other instances may serve the same webhook (a deploy stops one at
    // a time): deleting it would cut them off too.
    if store_backend == Backend::Postgres {
        tracing::info!("webhook left registered for the other instances");
    } else if let Err(e) = bot.delete_webhook().await {
        tracing::warn!(error = %e, "deleteWebhook failed");
    }
    Ok(())
}

/// One webhook request: 200 once the update is recorded (or is one the bot skips),
/// 500 if it could not be recorded, so Telegram sends it again.
async fn receive(State(served): State<Served>, body: Bytes) -> StatusCode {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) else {
        tracing::warn!("a webhook request that is not JSON was skipped");
        return StatusCode::OK;
    };
    let (_, page) = read(std::slice::from_ref(&value), 0);
    match intake::record(&served.ctx, page).await {
        Ok(fresh) => {
            let mut workers = served.workers.lock().unwrap_or_else(|p| p.into_inner());
            for update in fresh {
                workers.dispatch(&served.ctx, update);
            }
            StatusCode::OK
        }
        Err(e) => {
            tracing::error!(error = %e, "an update could not be recorded; Telegram will send it again");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

async fn check(secret: &str, req: Request, next: Next) -> Response {
    let given = req.headers().get(SECRET_HEADER).map(|v| v.as_bytes());
    if !given.is_some_and(|g| secret_matches(g, secret.as_bytes())) {
        tracing::warn!("webhook request without the right secret refused");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    next.run(req).await
}
