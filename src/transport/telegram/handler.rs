//! One update through the app: answer a button press, map, handle, and commit the
//! effects, the queued replies and the inbox's "handled" mark in one transaction, then
//! wake the reply outbox. Each update runs in a tracing span with its id, chat and
//! handling time; message bodies are never logged at info.

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use teloxide::payloads::AnswerCallbackQuerySetters;
use teloxide::prelude::Requester;
use teloxide::types::{CallbackQuery, Update, UpdateKind};
use tracing::Instrument;

use super::TgBot;
use super::inbound::{BotIdentity, Inbound, inbound, voice_note};
use super::outbox::Outbox;
use super::queue;
use super::voice;
use crate::app::{App, AppError};
use crate::domain::{Incoming, Outgoing};
use crate::handoff::REFUSED;
use crate::store::{inbox, replies};
use crate::stt::Stt;

/// What every update handler shares.
pub struct Ctx {
    app: App,
    bot: TgBot,
    outbox: Outbox,
    me: BotIdentity,
    advisor_chat: Option<String>,
    stt: Option<Stt>,
}

impl Ctx {
    #[must_use]
    pub fn new(
        app: App,
        bot: TgBot,
        outbox: Outbox,
        me: BotIdentity,
        advisor_chat: Option<String>,
    ) -> Self {
        Self {
            app,
            bot,
            outbox,
            me,
            advisor_chat,
            stt: None,
        }
    }

    /// Transcribes voice notes with this service (without one, trainers are asked to
    /// type).
    #[must_use]
    pub fn with_stt(mut self, stt: Option<Stt>) -> Self {
        self.stt = stt;
        self
    }

    #[must_use]
    pub const fn app(&self) -> &App {
        &self.app
    }
}

/// Handles one update recorded in the inbox. Never fails: problems are logged and the
/// trainer gets an apology; an update whose handling could not be committed stays in
/// the inbox for the next start.
pub(super) async fn on_update(update: Update, ctx: Arc<Ctx>) {
    let span = tracing::info_span!(
        "update",
        update_id = update.id.0,
        chat = tracing::field::Empty,
        handled_ms = tracing::field::Empty,
    );
    if let Some(chat) = update.chat() {
        span.record("chat", chat.id.0);
    }
    let started = Instant::now();
    async {
        process(&update, &ctx).await;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        tracing::Span::current().record("handled_ms", ms);
        tracing::info!(handled_ms = ms, "update handled");
    }
    .instrument(span)
    .await;
}

/// Answers a button press so its spinner stops. A press in the advisors' chat by
/// someone not on the advisor list gets a short refusal as the answer and goes no
/// further: returns whether the press should be handled.
async fn answer_press(ctx: &Ctx, q: &CallbackQuery) -> bool {
    let chat = q
        .message
        .as_ref()
        .map_or(q.from.id.0.to_string(), |m| m.chat().id.0.to_string());
    let user = q.from.id.0.to_string();
    let refused = ctx.app.refuses_in_advisor_chat(&chat, &user);
    let mut answer = ctx.bot.answer_callback_query(q.id.clone());
    if refused {
        tracing::warn!(%user, "refused: a button in the advisors' chat pressed by someone not on the advisor list");
        answer = answer.text(REFUSED);
    }
    if let Err(e) = answer.await {
        tracing::warn!(error = %e, "answerCallbackQuery failed");
    }
    !refused
}

async fn process(update: &Update, ctx: &Ctx) {
    let id = i64::from(update.id.0);
    if let UpdateKind::CallbackQuery(q) = &update.kind
        && !answer_press(ctx, q).await
    {
        mark_handled(ctx, id).await;
        return;
    }
    let mut incoming = match inbound(update, &ctx.me, ctx.advisor_chat.as_deref(), Utc::now()) {
        Inbound::Handle(incoming) => incoming,
        Inbound::Ignore(why) => {
            tracing::debug!(why, "update ignored");
            mark_handled(ctx, id).await;
            return;
        }
    };
    if let Some(note) = voice_note(update) {
        // Only this chat's worker waits for the download and the service.
        incoming.content = voice::content(&ctx.bot, ctx.stt.as_ref(), &note).await;
    }
    let chat = incoming.chat.clone();
    if let Err(e) = commit(ctx, id, incoming).await {
        tracing::error!(error = %e, "handling failed");
        let apology = [App::apology(&chat)];
        if let Err(e) = settle(ctx, id, &apology).await {
            tracing::error!(error = %e, "the update stays in the inbox for the next start");
        }
    }
}

/// The message's effects, its replies and the inbox mark, in one transaction.
async fn commit(ctx: &Ctx, id: i64, incoming: Incoming) -> Result<(), AppError> {
    let mut tx = ctx.app.store().begin().await?;
    let private = incoming.is_private().then(|| incoming.chat.clone());
    let replies = ctx.app.handle_in(&mut tx, incoming).await?;
    if let Some(chat) = &private {
        // The trainer wrote: the chat is reachable again.
        replies::mark_reachable(&mut tx, chat).await?;
    }
    finish(ctx, tx, id, &replies).await
}

async fn finish(
    ctx: &Ctx,
    mut tx: crate::store::Tx,
    id: i64,
    replies: &[Outgoing],
) -> Result<(), AppError> {
    let at = Utc::now();
    queue::enqueue_all(&mut tx, replies, at).await?;
    inbox::mark_handled(&mut tx, id, at).await?;
    tx.commit().await?;
    ctx.outbox.wake();
    Ok(())
}

/// Queues `replies` and marks the update handled, without effects.
async fn settle(ctx: &Ctx, id: i64, replies: &[Outgoing]) -> Result<(), AppError> {
    let tx = ctx.app.store().begin().await?;
    finish(ctx, tx, id, replies).await
}

/// Marks an update handled that has nothing to do (ignored, unreadable, refused).
pub(super) async fn mark_handled(ctx: &Ctx, id: i64) {
    if let Err(e) = settle(ctx, id, &[]).await {
        tracing::error!(error = %e, "an update could not be marked handled");
    }
}
