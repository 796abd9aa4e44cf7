//! Webhook mode: teloxide's axum listener behind a secret-token check. A request
//! without the right `X-Telegram-Bot-Api-Secret-Token` gets 401 before anything reads
//! it.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use rand::distributions::Alphanumeric;
use teloxide::dispatching::{DefaultKey, Dispatcher};
use teloxide::update_listeners::webhooks;

use super::{StartError, TgBot};

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

/// Binds `listen`, registers the webhook (setWebhook with the secret), serves it and
/// dispatches until the dispatcher is shut down; then the webhook is deleted.
///
/// # Errors
/// The address cannot be bound, or setWebhook fails.
pub async fn serve(
    dispatcher: &mut Dispatcher<TgBot, Infallible, DefaultKey>,
    bot: TgBot,
    url: reqwest::Url,
    listen: SocketAddr,
    secret: String,
) -> Result<(), StartError> {
    let tcp = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| StartError::Bind {
            addr: listen,
            reason: e.to_string(),
        })?;
    let options = webhooks::Options::new(listen, url).secret_token(secret.clone());
    let (updates, stopped, router) = webhooks::axum_to_router(bot, options)
        .await
        .map_err(|e| StartError::Webhook(e.to_string()))?;
    let router = router.layer(axum::middleware::from_fn(
        move |req: Request, next: Next| {
            let secret = secret.clone();
            async move { check(&secret, req, next).await }
        },
    ));
    let server = tokio::spawn(async move {
        if let Err(e) = axum::serve(tcp, router)
            .with_graceful_shutdown(stopped)
            .await
        {
            tracing::error!(error = %e, "webhook server failed");
        }
    });
    tracing::info!(%listen, "webhook listening");
    let errors = teloxide::error_handlers::LoggingErrorHandler::with_custom_text("webhook failed");
    let result = dispatcher
        .try_dispatch_with_listener(updates, errors)
        .await
        .map_err(|e| StartError::Webhook(e.to_string()));
    if result.is_err() {
        server.abort();
    } else if let Err(e) = server.await {
        tracing::error!(error = %e, "webhook server task failed");
    }
    result
}

async fn check(secret: &str, req: Request, next: Next) -> Response {
    let given = req.headers().get(SECRET_HEADER).map(|v| v.as_bytes());
    if !given.is_some_and(|g| secret_matches(g, secret.as_bytes())) {
        tracing::warn!("webhook request without the right secret refused");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    next.run(req).await
}
