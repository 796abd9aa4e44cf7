//! The Telegram transport on teloxide: long polling or a webhook, the reminder
//! scheduler in the same process, one graceful shutdown.
//!
//! - [`inbound`]: which updates the bot acts on and what they mean (pure).
//! - [`intake`]: updates committed to the inbox before they are confirmed, the chats'
//!   workers, the start-up replay.
//! - [`polling`]: getUpdates long polling of our own, raw JSON, graceful stop.
//! - [`webhook`]: the axum webhook server and its secret-token check.
//! - [`handler`]: one update through the app: effects, replies and inbox mark in one
//!   transaction.
//! - [`queue`], [`outbox`], [`lanes`], [`api`]: the reply outbox: requests queued with
//!   the effects, sent after the commit per chat lane, retried with backoff.
//! - [`outbound`]: splitting and keyboards.
//! - [`voice`]: voice notes checked, downloaded (getFile) and transcribed.
//!
//! The guarantee: an update's effects apply exactly once (the inbox and the
//! processed-message record), and its replies are delivered at least once (a request
//! whose answer was lost is sent again: the Bot API has no idempotency key). Text is
//! sent without a parse mode, so trainer-supplied text can never break formatting.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use teloxide::adaptors::throttle::Limits;
use teloxide::prelude::*;
use tokio::sync::watch;

use crate::app::{App, run_scheduler};
use crate::config::{Secret, Settings};
use crate::domain::{Outgoing, Transport, TransportError};
use crate::stt::Stt;

pub mod api;
pub mod handler;
pub mod inbound;
pub mod intake;
pub mod lanes;
pub mod outbound;
pub mod outbox;
pub mod polling;
pub mod queue;
mod start;
pub mod voice;
pub mod webhook;

pub use inbound::{BotIdentity, Inbound, inbound};
pub use outbound::{MAX_MESSAGE_CHARS, Retry, split_message};
pub use outbox::Outbox;
use start::{FLUSH, Start, check_advisor_chat, flush, register_commands};

/// The bot for the calls made in place (getMe, answerCallbackQuery, getFile,
/// setWebhook); messages go through the [`Outbox`].
pub type TgBot = Bot;

/// Why the bot could not start. Each is one line, for `main` to print before exiting
/// non-zero.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("TELOXIDE_TOKEN is not set: the Telegram bot needs its token")]
    MissingToken,
    #[error("TELOXIDE_API_URL is not a valid URL ({url:?}): {reason}")]
    BadApiUrl { url: String, reason: String },
    #[error("RECERT_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")]
    BadSecret,
    #[error("the Telegram Bot API cannot be reached at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: SocketAddr, reason: String },
    #[error("setting the webhook failed: {0}")]
    Webhook(String),
    #[error(transparent)]
    Stt(#[from] crate::stt::BadSttUrl),
}

/// How updates arrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// getUpdates long polling (the default).
    Polling,
    /// Telegram posts updates to `url`, which reaches this process at `listen`; every
    /// request must carry `secret` in `X-Telegram-Bot-Api-Secret-Token`.
    Webhook {
        url: reqwest::Url,
        listen: SocketAddr,
        secret: String,
    },
}

impl Mode {
    /// Webhook mode from the command line; the secret is `--webhook-secret`
    /// (`RECERT_WEBHOOK_SECRET`) or generated.
    ///
    /// # Errors
    /// The secret has characters Telegram refuses.
    pub fn webhook(
        url: reqwest::Url,
        listen: SocketAddr,
        secret: Option<String>,
    ) -> Result<Self, StartError> {
        let secret = secret.unwrap_or_else(webhook::generate_secret);
        if !webhook::valid_secret(&secret) {
            return Err(StartError::BadSecret);
        }
        Ok(Self::Webhook {
            url,
            listen,
            secret,
        })
    }
}

/// Everything the transport runs with.
#[derive(Debug, Clone)]
pub struct Options {
    pub token: Secret,
    /// The Bot API base URL; `None` is Telegram's own.
    pub api_url: Option<reqwest::Url>,
    pub mode: Mode,
    pub advisor_chat: Option<String>,
    /// The getUpdates long-poll timeout.
    pub poll_timeout: Duration,
    pub limits: Limits,
    pub retry: Retry,
    /// How often scheduled work (reminders, hand-off time-outs) runs; `None`: the
    /// policy's `reminders.sweep_interval_seconds`.
    pub tick_every: Option<Duration>,
    /// The speech-to-text service for voice notes; `None`: trainers are asked to type.
    pub stt: Option<Stt>,
    /// Where polling mode serves `/healthz` and `/metrics` (a webhook serves them on
    /// its own listener).
    pub metrics: Option<SocketAddr>,
}

/// The getUpdates long-poll timeout by default.
pub const POLL_TIMEOUT: Duration = Duration::from_secs(25);

impl Options {
    /// Options from the settings (`TELOXIDE_TOKEN`, `TELOXIDE_API_URL` and the
    /// speech-to-text service, as the command line read them).
    ///
    /// # Errors
    /// No token, a malformed API URL, or a malformed speech-to-text URL.
    pub fn from_settings(settings: &Settings, mode: Mode) -> Result<Self, StartError> {
        let token = settings.token.clone().ok_or(StartError::MissingToken)?;
        let api_url = settings.api_url.as_deref().map(parse_api_url).transpose()?;
        let mut options = Self::new(token, api_url, mode, settings.advisor_chat.clone());
        options.stt = Stt::from_settings(settings.stt.as_ref())?;
        Ok(options)
    }

    /// Options with production defaults.
    #[must_use]
    pub fn new(
        token: Secret,
        api_url: Option<reqwest::Url>,
        mode: Mode,
        advisor_chat: Option<String>,
    ) -> Self {
        Self {
            token,
            api_url,
            mode,
            advisor_chat,
            poll_timeout: POLL_TIMEOUT,
            limits: Limits::default(),
            retry: Retry::default(),
            tick_every: None,
            stt: None,
            metrics: None,
        }
    }
}

/// Parses a Bot API base URL as `TELOXIDE_API_URL` gives it.
///
/// # Errors
/// Not an absolute http(s) URL.
pub fn parse_api_url(url: &str) -> Result<reqwest::Url, StartError> {
    let bad = |reason: String| StartError::BadApiUrl {
        url: url.to_string(),
        reason,
    };
    let parsed = reqwest::Url::parse(url.trim_end_matches('/')).map_err(|e| bad(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(bad("expected an http or https URL".into()));
    }
    Ok(parsed)
}

/// Delivers the bot's proactive messages (reminders, hand-off time-outs) to Telegram
/// chats: each is committed to the reply outbox and sent by it.
#[derive(Clone, Debug)]
pub struct TelegramSender {
    outbox: Outbox,
}

impl TelegramSender {
    #[must_use]
    pub const fn new(outbox: Outbox) -> Self {
        Self { outbox }
    }

    async fn queue(&self, message: &Outgoing) -> Result<(), crate::store::StoreError> {
        let mut tx = self.outbox.store().begin().await?;
        queue::enqueue(&mut tx, message, chrono::Utc::now()).await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(())
    }
}

impl Transport for TelegramSender {
    fn channel(&self) -> &'static str {
        "telegram"
    }

    /// Queues the message; `Ok` once it is committed to the outbox.
    async fn send(&self, message: &Outgoing) -> Result<(), TransportError> {
        self.queue(message)
            .await
            .map_err(|e| TransportError::Delivery {
                chat: message.chat.to_string(),
                reason: e.to_string(),
            })
    }
}

/// The commands shown in Telegram's menu.
pub const COMMANDS: [(&str, &str); 7] = [
    ("start", "Start: set your expiration date"),
    ("status", "Your CEUs, deadlines and fees"),
    ("ceus", "The CE courses you logged"),
    ("help", "What I can do"),
    ("human", "Talk to an advisor"),
    ("reminders", "Turn reminders on or off"),
    ("cancel", "Stop what we are doing"),
];

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received; stopping"),
        () = term => tracing::info!("SIGTERM received; stopping"),
    }
}

/// Runs the bot until `shutdown` resolves: checks the Bot API (getMe), registers the
/// commands, starts the reply outbox and the scheduler, handles the updates the last
/// run left in the inbox, then receives updates. On shutdown, stops receiving, lets
/// the updates in hand finish, gives the outbox a moment to send their replies, stops
/// the scheduler and returns `Ok`.
///
/// # Errors
/// A [`StartError`] at start-up; once running, failures are logged, not returned.
pub async fn run(
    app: App,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let (start, me, api) = connect(&app, &options).await?;
    let bot = start.plain.clone();
    let outbox = outbox(&app, api, &options);
    let (stop_tx, stop_rx) = watch::channel(false);
    let (flush_tx, flush_rx) = watch::channel(false);
    let signal = tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let sending = tokio::spawn(outbox.clone().run(flush_rx));
    let scheduler = spawn_scheduler(&app, &outbox, options.tick_every, stop_rx.clone());
    let ctx = Arc::new(
        handler::Ctx::new(
            app.clone(),
            bot.clone(),
            outbox,
            me,
            options.advisor_chat.clone(),
        )
        .with_stt(options.stt),
    );
    let workers = replay_inbox(&ctx).await;
    if let (Mode::Polling, Some(addr)) = (&options.mode, options.metrics) {
        serve_metrics(&app, addr, stop_rx.clone()).await?;
    }
    let result = start
        .receive(
            &bot,
            options.mode,
            options.poll_timeout,
            ctx,
            workers,
            stop_rx,
        )
        .await;
    signal.abort();
    wind_down(
        &app,
        &flush_tx,
        [("scheduler", scheduler), ("reply outbox", sending)],
    )
    .await;
    result
}

/// Start-up before anything runs: the Bot API checked (getMe), the commands
/// registered, the advisors' chat checked.
async fn connect(
    app: &App,
    options: &Options,
) -> Result<(Start, BotIdentity, api::Api), StartError> {
    let start = Start::new(options)?;
    let me = start.identify().await?;
    tracing::info!(bot = %me.username, mode = ?mode_name(&options.mode), "Telegram bot starting");
    register_commands(&start.plain).await;
    let api = api::Api::new(&start.plain).map_err(|r| start.unreachable(r))?;
    if let Some(chat) = &options.advisor_chat {
        app.set_advisor_chat_reachable(check_advisor_chat(&api, chat).await);
    }
    Ok((start, me, api))
}

/// The updates the last run left in the inbox, handled by the chats' workers; when the
/// inbox cannot be read, they wait for the next start.
async fn replay_inbox(ctx: &Arc<handler::Ctx>) -> intake::Workers {
    let mut workers = intake::Workers::default();
    if let Err(e) = intake::replay(ctx, &mut workers).await {
        tracing::error!(error = %e, "the inbox could not be read; its updates wait for the next start");
    }
    workers
}

/// `/healthz` and `/metrics` on their own listener at `addr` (polling has no webhook
/// listener to share), until `stop` turns true.
async fn serve_metrics(
    app: &App,
    addr: SocketAddr,
    stop: watch::Receiver<bool>,
) -> Result<(), StartError> {
    let tcp = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| StartError::Bind {
            addr,
            reason: e.to_string(),
        })?;
    tokio::spawn(crate::ops::serve(tcp, app.store().clone(), stop));
    Ok(())
}

/// The reply outbox over the app's store, joining relayed lines in the advisors' chat.
fn outbox(app: &App, api: api::Api, options: &Options) -> Outbox {
    let desk = options.advisor_chat.as_deref().and_then(|c| c.parse().ok());
    Outbox::new(
        app.store().clone(),
        api,
        options.limits,
        options.retry.backoff,
    )
    .joining_in(desk)
}

/// The scheduler (reminders, hand-off time-outs) every `every`, sending through the
/// outbox, until `stop` turns true.
fn spawn_scheduler(
    app: &App,
    outbox: &Outbox,
    every: Option<Duration>,
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run_scheduler(
        app.clone(),
        TelegramSender::new(outbox.clone()),
        every,
        async move { polling::stopped(&mut stop).await },
    ))
}

/// After receiving stopped: gives the outbox [`FLUSH`] to send the last replies, then
/// tells it to stop and waits for it and the scheduler.
async fn wind_down(
    app: &App,
    flush_tx: &watch::Sender<bool>,
    tasks: [(&'static str, tokio::task::JoinHandle<()>); 2],
) {
    flush(app, FLUSH).await;
    let _ = flush_tx.send(true);
    for (part, task) in tasks {
        if let Err(e) = task.await {
            tracing::error!(error = %e, part, "task failed");
        }
    }
    tracing::info!("Telegram bot stopped");
}

const fn mode_name(mode: &Mode) -> &'static str {
    match mode {
        Mode::Polling => "polling",
        Mode::Webhook { .. } => "webhook",
    }
}
