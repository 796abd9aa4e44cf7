//! Start-up and shutdown of the Telegram transport: the Bot API client (getMe first),
//! the command menu, the advisors' chat check (getChat), receiving by polling or
//! webhook, and the outbox's last flush.

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::BotCommand;
use tokio::sync::watch;

use super::{
    BotIdentity, COMMANDS, Mode, Options, StartError, TgBot, api, handler, intake, polling, webhook,
};
use crate::app::App;
use crate::store::replies;

/// How long the outbox may go on sending at shutdown.
pub(super) const FLUSH: Duration = Duration::from_secs(2);

/// Waits until the outbox is empty, at most `within`; what is left is sent after the
/// restart.
pub(super) async fn flush(app: &App, within: Duration) {
    let emptied = tokio::time::timeout(within, async {
        loop {
            let queued = match app.store().acquire().await {
                Ok(mut conn) => replies::queued(&mut conn).await.unwrap_or(0),
                Err(_) => 0,
            };
            if queued == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    if emptied.is_err() {
        tracing::info!("replies still queued at shutdown are sent after the restart");
    }
}

/// The Bot API as configured.
pub(super) struct Start {
    pub(super) plain: Bot,
    /// The base URL as shown in errors (never with the token).
    shown_url: String,
}

impl Start {
    pub(super) fn new(options: &Options) -> Result<Self, StartError> {
        let shown_url = options.api_url.as_ref().map_or_else(
            || "https://api.telegram.org".to_string(),
            ToString::to_string,
        );
        // Longer than Telegram's slowest answer, so nothing is retried early.
        let client = teloxide::net::default_reqwest_settings()
            .timeout(api::REQUEST_TIMEOUT)
            .build()
            .map_err(|e| StartError::Unreachable {
                url: shown_url.clone(),
                reason: e.to_string(),
            })?;
        let mut plain = Bot::with_client(options.token.expose(), client);
        if let Some(url) = &options.api_url {
            plain = plain.set_api_url(url.clone());
        }
        Ok(Self { plain, shown_url })
    }

    /// Who the bot is (getMe); the first request, so a wrong token or URL fails here.
    pub(super) async fn identify(&self) -> Result<BotIdentity, StartError> {
        let me = self
            .plain
            .get_me()
            .await
            .map_err(|e| self.unreachable(e.to_string()))?;
        Ok(BotIdentity {
            id: me.user.id,
            username: me.user.username.clone().unwrap_or_default(),
        })
    }

    pub(super) fn unreachable(&self, reason: String) -> StartError {
        StartError::Unreachable {
            url: self.shown_url.clone(),
            reason,
        }
    }

    /// Long polling until `stop`, after dropping any webhook left registered.
    /// Receives updates in `mode` until `stop` turns true.
    pub(super) async fn receive(
        &self,
        bot: &TgBot,
        mode: Mode,
        poll_timeout: Duration,
        ctx: Arc<handler::Ctx>,
        workers: intake::Workers,
        stop: watch::Receiver<bool>,
    ) -> Result<(), StartError> {
        match mode {
            Mode::Polling => self.poll(bot, poll_timeout, ctx, workers, stop).await,
            Mode::Webhook {
                url,
                listen,
                secret,
            } => {
                let hook = webhook::Hook {
                    url,
                    listen,
                    secret,
                };
                webhook::serve(bot, ctx, workers, hook, stop).await
            }
        }
    }

    async fn poll(
        &self,
        bot: &TgBot,
        timeout: Duration,
        ctx: Arc<handler::Ctx>,
        workers: intake::Workers,
        stop: watch::Receiver<bool>,
    ) -> Result<(), StartError> {
        if let Err(e) = bot.delete_webhook().await {
            tracing::warn!(error = %e, "deleteWebhook failed; polling anyway");
        }
        let poller = polling::Poller::new(&self.plain, timeout).map_err(|r| self.unreachable(r))?;
        polling::run(poller, ctx, workers, stop).await;
        Ok(())
    }
}

/// getChat on the advisors' chat at start-up: one clear line if the bot cannot post
/// there (hand-offs then give trainers the phone number when their card bounces).
pub(super) async fn check_advisor_chat(api: &api::Api, chat: &str) -> bool {
    let Ok(id) = chat.parse::<i64>() else {
        tracing::error!(
            chat,
            "RECERT_ADVISOR_CHAT is not a Telegram chat id; hand-offs cannot reach the advisors"
        );
        return false;
    };
    match api
        .call("getChat", &serde_json::json!({"chat_id": id}))
        .await
    {
        Ok(_) => {
            tracing::info!(chat = id, "the advisors' chat is reachable");
            true
        }
        Err(api::Failure::Migrated(to)) => {
            tracing::error!(
                chat = id,
                to,
                "the advisors' group became a supergroup: set RECERT_ADVISOR_CHAT={to} (messages are moved there meanwhile)"
            );
            true
        }
        Err(api::Failure::Transient(e)) => {
            tracing::warn!(chat = id, error = %e, "the advisors' chat could not be checked; assuming it is reachable");
            true
        }
        Err(e) => {
            tracing::error!(chat = id, error = %e, "the bot cannot post in the advisors' chat (RECERT_ADVISOR_CHAT): add the bot to that group; until then trainers asking for a person get the phone number");
            false
        }
    }
}

pub(super) async fn register_commands(bot: &TgBot) {
    let commands: Vec<BotCommand> = COMMANDS
        .iter()
        .map(|(c, d)| BotCommand::new(*c, *d))
        .collect();
    if let Err(e) = bot.set_my_commands(commands).await {
        tracing::warn!(error = %e, "setMyCommands failed; the command menu may be stale");
    }
}
