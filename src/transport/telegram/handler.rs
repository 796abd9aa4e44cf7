//! One update through the app: dedupe, answer a button press, map, handle, reply.
//! Each update runs in a tracing span with its id, chat and handling time; message
//! bodies are never logged at info.

use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use teloxide::dispatching::{Dispatcher, UpdateFilterExt, UpdateHandler};
use teloxide::dptree;
use teloxide::payloads::AnswerCallbackQuerySetters;
use teloxide::prelude::Requester;
use teloxide::types::{CallbackQuery, Update, UpdateKind};
use tracing::Instrument;

use super::inbound::{BotIdentity, Inbound, inbound, voice_note};
use super::voice;
use super::{TelegramSender, TgBot};
use crate::app::App;
use crate::domain::Transport;
use crate::handoff::REFUSED;
use crate::stt::Stt;

/// How many recent update ids are remembered to drop an immediate redelivery cheaply
/// (the store's processed-message record is the durable guard).
const RECENT_UPDATES: usize = 4096;

/// What every update handler shares.
pub struct Ctx {
    app: App,
    sender: TelegramSender,
    me: BotIdentity,
    advisor_chat: Option<String>,
    recent: Mutex<Recent>,
    stt: Option<Stt>,
}

impl Ctx {
    #[must_use]
    pub fn new(
        app: App,
        sender: TelegramSender,
        me: BotIdentity,
        advisor_chat: Option<String>,
    ) -> Self {
        Self {
            app,
            sender,
            me,
            advisor_chat,
            recent: Mutex::new(Recent::default()),
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
}

/// A bounded set of recently seen update ids.
#[derive(Debug, Default)]
struct Recent {
    order: VecDeque<u32>,
    seen: HashSet<u32>,
}

impl Recent {
    /// `false` if `id` was seen recently.
    fn insert(&mut self, id: u32) -> bool {
        if !self.seen.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > RECENT_UPDATES
            && let Some(old) = self.order.pop_front()
        {
            self.seen.remove(&old);
        }
        true
    }
}

/// The dispatcher: messages and button presses reach [`on_update`] (updates of other
/// kinds are not requested and, if they arrive anyway, ignored); one worker per chat
/// keeps each chat's updates in order.
#[must_use]
pub fn dispatcher(
    bot: TgBot,
    ctx: Arc<Ctx>,
) -> Dispatcher<TgBot, Infallible, teloxide::dispatching::DefaultKey> {
    let handler: UpdateHandler<Infallible> = dptree::entry()
        .branch(Update::filter_message().endpoint(on_update))
        .branch(Update::filter_callback_query().endpoint(on_update));
    Dispatcher::builder(bot, handler)
        .dependencies(dptree::deps![ctx])
        .default_handler(|update| async move {
            tracing::debug!(update_id = update.id.0, "update ignored");
        })
        .build()
}

/// Handles one update. Never fails: problems are logged and the trainer gets an
/// apology.
pub(super) async fn on_update(update: Update, ctx: Arc<Ctx>) -> Result<(), Infallible> {
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
    Ok(())
}

/// Answers a button press, redelivery or not, so its spinner stops. A press in the
/// advisors' chat by someone not on the advisor list gets a short refusal as the
/// answer and goes no further: returns whether the press should be handled.
async fn answer_press(ctx: &Ctx, q: &CallbackQuery) -> bool {
    let chat = q
        .message
        .as_ref()
        .map_or(q.from.id.0.to_string(), |m| m.chat().id.0.to_string());
    let user = q.from.id.0.to_string();
    let refused = ctx.app.refuses_in_advisor_chat(&chat, &user);
    let mut answer = ctx.sender.bot().answer_callback_query(q.id.clone());
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
    let fresh = ctx
        .recent
        .lock()
        .map_or(true, |mut r| r.insert(update.id.0));
    if let UpdateKind::CallbackQuery(q) = &update.kind
        && !answer_press(ctx, q).await
    {
        return;
    }
    if !fresh {
        tracing::info!("update redelivered; ignored");
        return;
    }
    let mut incoming = match inbound(
        update,
        &ctx.me,
        ctx.advisor_chat.as_deref(),
        chrono::Utc::now(),
    ) {
        Inbound::Handle(incoming) => incoming,
        Inbound::Ignore(why) => {
            tracing::debug!(why, "update ignored");
            return;
        }
    };
    if let Some(note) = voice_note(update) {
        // Only this chat's worker waits for the download and the service.
        incoming.content = voice::content(ctx.sender.bot(), ctx.stt.as_ref(), &note).await;
    }
    let chat = incoming.chat.clone();
    let replies = match ctx.app.handle(incoming).await {
        Ok(replies) => replies,
        Err(e) => {
            tracing::error!(error = %e, "handling failed");
            vec![App::apology(&chat)]
        }
    };
    for reply in &replies {
        // A failure is logged with the chat and the reason inside `send`.
        let _ = ctx.sender.send(reply).await;
    }
}
