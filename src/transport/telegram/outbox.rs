//! The sender of the reply outbox: after each commit (and on a timer) it reads the
//! oldest queued request of every chat and starts those whose lane is free
//! ([`super::lanes`]), each on its own task, so a slow, rate-limited or failing chat
//! waits alone. A request is deleted once Telegram accepts it; after a 5xx, a network
//! error or a time-out it is tried again with backoff (also after a restart: it is
//! still queued); a 429 waits out `retry_after`; a chat that blocked the bot is marked
//! unreachable and its queue dropped; a group that became a supergroup has its queue
//! moved to the new id.
//!
//! Delivery is at least once: a request whose answer was lost (a crash or time-out
//! after Telegram accepted it) is sent again, since the Bot API has no idempotency key.

use std::sync::Arc;
use std::time::Duration;

use crate::store::Conn;
use chrono::Utc;
use serde_json::Value;
use teloxide::adaptors::throttle::Limits;
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::api::{Api, Failure, REQUEST_TIMEOUT};
use super::lanes::{Gate, Lanes};
use super::queue::{self, Request, chat_number};
use crate::domain::{ChatId, Outgoing, TicketId};
use crate::retry::Backoff;
use crate::store::replies::{self, Head};
use crate::store::{Store, StoreError};

/// How long a started request is leased: longer than the request may take.
const LEASE: Duration = REQUEST_TIMEOUT.saturating_add(Duration::from_secs(60));

/// The most chats looked at in one round.
const HEADS: u32 = 500;

/// The most queued lines joined into one message.
const JOINED: u32 = 20;

/// How often the queue is read when nothing wakes the sender.
const IDLE: Duration = Duration::from_secs(2);

/// The reply outbox's sender, shared by the handlers (who wake it after a commit).
#[derive(Clone, Debug)]
pub struct Outbox {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    api: Api,
    wake: Notify,
    limits: Limits,
    backoff: Backoff,
    /// The chat whose queued plain lines are joined into one message (the advisors').
    joined_in: Option<i64>,
}

/// A finished request: its chat, and how long that chat must wait (`None`: its pace).
type Done = (i64, Option<Duration>);

impl Outbox {
    #[must_use]
    pub fn new(store: Store, api: Api, limits: Limits, backoff: Backoff) -> Self {
        let inner = Inner {
            store,
            api,
            wake: Notify::new(),
            limits,
            backoff,
            joined_in: None,
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    /// Joins the plain lines queued together for `chat` (the advisors' chat) into one
    /// message. Call before [`Outbox::run`] and before cloning.
    #[must_use]
    pub fn joining_in(mut self, chat: Option<i64>) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.joined_in = chat;
        }
        self
    }

    #[must_use]
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Something was queued: look at the queue now.
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// Sends until `stop` turns true. Requests in flight at the stop are abandoned;
    /// they stay queued and are sent again after the restart.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        match self.inner.store.acquire().await {
            Ok(mut conn) => {
                if let Err(e) = replies::release_all(&mut conn).await {
                    tracing::error!(error = %e, "the outbox's old leases could not be released");
                }
            }
            Err(e) => tracing::error!(error = %e, "the outbox cannot reach the database"),
        }
        let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Done>();
        let mut lanes = Lanes::new(self.inner.limits);
        let mut tasks = JoinSet::new();
        tracing::info!("reply outbox started");
        loop {
            let next = self.round(&mut lanes, &done_tx, &mut tasks).await;
            let until = next.unwrap_or_else(|| Instant::now() + IDLE);
            tokio::select! {
                () = super::polling::stopped(&mut stop) => break,
                () = self.inner.wake.notified() => {}
                Some((chat, wait)) = done_rx.recv() => lanes.finish(chat, Instant::now(), wait),
                () = tokio::time::sleep_until(until) => {}
            }
            while let Ok((chat, wait)) = done_rx.try_recv() {
                lanes.finish(chat, Instant::now(), wait);
            }
            while tasks.try_join_next().is_some() {}
            lanes.forget_idle(Instant::now());
        }
        tasks.abort_all();
        tracing::info!("reply outbox stopped: shutdown requested");
    }

    /// Starts every chat's oldest request that may go now; returns when to look again.
    async fn round(
        &self,
        lanes: &mut Lanes,
        done: &mpsc::UnboundedSender<Done>,
        tasks: &mut JoinSet<()>,
    ) -> Option<Instant> {
        let heads = match self.heads().await {
            Ok(heads) => heads,
            Err(e) => {
                tracing::error!(error = %e, "the reply outbox cannot be read; retrying");
                return Some(Instant::now() + IDLE);
            }
        };
        let (now, at) = (Utc::now(), Instant::now());
        let mut next: Option<Instant> = None;
        let mut soon = |when: Instant| next = Some(next.map_or(when, |n| n.min(when)));
        for head in heads {
            let Some(chat) = chat_number(&head.chat_ref) else {
                continue;
            };
            let due = head.next_attempt_at.max(head.claimed_until.unwrap_or(now));
            if due > now {
                soon(at + (due - now).to_std().unwrap_or_default());
                continue;
            }
            match lanes.gate(chat, at) {
                Gate::Go => {}
                Gate::Busy => continue,
                Gate::Wait(when) => {
                    soon(when);
                    continue;
                }
                Gate::Full(when) => {
                    soon(when);
                    break;
                }
            }
            if !self.claim(head.id).await {
                continue;
            }
            lanes.start(chat, at);
            let (outbox, done) = (self.clone(), done.clone());
            tasks.spawn(async move {
                let wait = outbox.send(head, chat).await;
                let _ = done.send((chat, wait));
                outbox.wake();
            });
        }
        next
    }

    async fn heads(&self) -> Result<Vec<Head>, StoreError> {
        let mut conn = self.inner.store.acquire().await?;
        replies::heads(&mut conn, HEADS).await
    }

    async fn claim(&self, id: i64) -> bool {
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
        let claimed = async {
            let mut conn = self.inner.store.acquire().await?;
            replies::claim(&mut conn, id, now, until).await
        };
        claimed.await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "a reply could not be claimed");
            false
        })
    }

    /// Makes one request and records the outcome; returns how long the chat must wait.
    #[tracing::instrument(skip_all, fields(chat, reply = head.id, attempt = head.attempts + 1))]
    async fn send(&self, head: Head, chat: i64) -> Option<Duration> {
        let request = serde_json::from_str::<Request>(&head.body);
        let (joined, taken) = match &request {
            Ok(r) if self.inner.joined_in == Some(chat) && queue::joinable(r) => {
                self.join(&head, r).await
            }
            _ => (None, Vec::new()),
        };
        let result = match (&joined, &request) {
            (Some(r), _) | (None, Ok(r @ Request::Send { .. })) => {
                self.send_text(&head.chat_ref, chat, r).await
            }
            (None, Ok(Request::Document(d))) => {
                self.inner
                    .api
                    .send_document(chat, &d.name, &d.mime, &d.content)
                    .await
            }
            (None, Err(e)) => Err(Failure::Refused(format!("unreadable queued reply: {e}"))),
        };
        let fallback = request.as_ref().ok().and_then(Request::fallback);
        match self.settle(&head, result.err(), fallback, &taken).await {
            Ok(wait) => wait,
            Err(e) => {
                tracing::error!(error = %e, "a reply's outcome could not be stored; it waits for its lease");
                Some(IDLE)
            }
        }
    }

    /// The head joined with the plain lines queued after it in a group (trainer lines
    /// relayed to the advisors arriving together): one message, and the requests taken.
    async fn join(
        &self,
        head: &Head,
        request: &Request,
    ) -> (Option<Request>, Vec<(i64, Option<Outgoing>)>) {
        let following = async {
            let mut conn = self.inner.store.acquire().await?;
            replies::following(&mut conn, &head.chat_ref, head.id, JOINED).await
        };
        let following: Vec<(i64, Request)> = match following.await {
            Ok(rows) => rows
                .into_iter()
                .map_while(|(id, body)| serde_json::from_str(&body).ok().map(|r| (id, r)))
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "queued lines could not be read to join them");
                return (None, Vec::new());
            }
        };
        let (joined, ids) = queue::join(request, &following);
        if ids.is_empty() {
            return (None, Vec::new());
        }
        let taken = following
            .into_iter()
            .filter(|(id, _)| ids.contains(id))
            .map(|(id, r)| (id, r.fallback().cloned()))
            .collect();
        (Some(joined), taken)
    }

    /// sendMessage, or for a card already posted editMessageText (a card that cannot be
    /// edited any more is posted anew); a posted card's message id is kept.
    async fn send_text(
        &self,
        chat_ref: &ChatId,
        chat: i64,
        request: &Request,
    ) -> Result<Value, Failure> {
        let api = &self.inner.api;
        let card = request.card();
        let edit = match card {
            Some(ticket) => self.card_message(chat_ref, ticket).await,
            None => None,
        };
        let (method, body) = request.json(chat, edit);
        let result = match (edit, api.call(method, &body).await) {
            (Some(_), Err(Failure::Refused(e))) if e.contains("not modified") => {
                return Ok(Value::Null);
            }
            (Some(_), Err(Failure::Refused(e))) => {
                tracing::warn!(error = %e, "a card could not be edited; posting it anew");
                let (method, body) = request.json(chat, None);
                api.call(method, &body).await
            }
            (_, result) => result,
        };
        if let (Some(ticket), Ok(sent)) = (card, &result)
            && let Some(message_id) = sent["message_id"].as_i64()
        {
            let remembered = async {
                let mut conn = self.inner.store.acquire().await?;
                replies::remember_card(&mut conn, chat_ref, ticket, message_id).await
            };
            if let Err(e) = remembered.await {
                tracing::error!(error = %e, "a card's message id could not be kept; it will be posted anew");
            }
        }
        result
    }

    async fn card_message(&self, chat: &ChatId, ticket: TicketId) -> Option<i64> {
        let found = async {
            let mut conn = self.inner.store.acquire().await?;
            replies::card_message(&mut conn, chat, ticket).await
        };
        found.await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "a card's message id could not be read");
            None
        })
    }

    /// Stores what became of a request (`None`: accepted); a request given up sends
    /// its fallback instead.
    async fn settle(
        &self,
        head: &Head,
        failure: Option<Failure>,
        fallback: Option<&Outgoing>,
        taken: &[(i64, Option<Outgoing>)],
    ) -> Result<Option<Duration>, StoreError> {
        let mut tx = self.inner.store.begin().await?;
        let now = Utc::now();
        let done = matches!(
            failure,
            None | Some(Failure::Unreachable(_) | Failure::Refused(_))
        );
        if done {
            // Lines joined into this message share its fate.
            for (id, fallback) in taken {
                replies::remove(&mut tx, *id).await?;
                if let (Some(f), Some(_)) = (fallback, &failure) {
                    queue::enqueue(&mut tx, f, now).await?;
                }
            }
        }
        let wait = match failure {
            None => {
                replies::remove(&mut tx, head.id).await?;
                None
            }
            Some(failure) => self.failed(&mut tx, head, failure, fallback).await?,
        };
        tx.commit().await?;
        Ok(wait)
    }

    /// Records a failed request: when to try again, or that it is given up (then its
    /// fallback is queued); returns how long the chat must wait.
    async fn failed(
        &self,
        tx: &mut Conn,
        head: &Head,
        failure: Failure,
        fallback: Option<&Outgoing>,
    ) -> Result<Option<Duration>, StoreError> {
        let now = Utc::now();
        let later = |wait: Duration| now + chrono::Duration::from_std(wait).unwrap_or_default();
        Ok(match failure {
            Failure::RetryAfter(wait) => {
                tracing::warn!(?wait, "429 from Telegram: this chat waits");
                replies::retry_at(tx, head.id, later(wait), None).await?;
                Some(wait)
            }
            Failure::Transient(error) => {
                let wait = self
                    .inner
                    .backoff
                    .delay(u32::try_from(head.attempts).unwrap_or(0) + 1);
                tracing::warn!(%error, ?wait, "reply not sent; retrying");
                replies::retry_at(tx, head.id, later(wait), Some(&error)).await?;
                Some(wait)
            }
            Failure::Migrated(to) => {
                let to = ChatId::from(to.to_string());
                let moved = replies::move_chat(tx, &head.chat_ref, &to).await?;
                tracing::warn!(from = %head.chat_ref, to = %to, moved, "the group became a supergroup; its messages go to the new chat id (set RECERT_ADVISOR_CHAT to it if it is the advisors' chat)");
                Some(Duration::ZERO)
            }
            Failure::Unreachable(error) if chat_number(&head.chat_ref).is_some_and(|c| c > 0) => {
                let dropped = replies::mark_unreachable(tx, &head.chat_ref, &error, now).await?;
                tracing::warn!(%error, dropped = dropped.len(), "the chat cannot be written to; marked unreachable, its queue dropped");
                for body in dropped {
                    if let Some(f) = serde_json::from_str::<Request>(&body)
                        .ok()
                        .as_ref()
                        .and_then(Request::fallback)
                    {
                        queue::enqueue(tx, f, now).await?;
                    }
                }
                None
            }
            Failure::Unreachable(error) | Failure::Refused(error) => {
                tracing::error!(%error, "Telegram refused a message; it is dropped");
                replies::remove(tx, head.id).await?;
                if let Some(f) = fallback {
                    queue::enqueue(tx, f, now).await?;
                }
                None
            }
        })
    }
}
