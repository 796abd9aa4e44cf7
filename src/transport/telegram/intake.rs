//! Durable intake, shared by polling and the webhook: a page of updates is committed to
//! the inbox ([`crate::store::inbox`]) before polling confirms its offset or the
//! webhook answers 2xx, then handed to the chats' workers. An update_id already in the
//! inbox (a redelivery) is not handed on again. At start-up the updates recorded but
//! never handled (the process died first) are handed on before anything new.
//!
//! Each chat's updates are handled in order by that chat's worker, chats side by side,
//! so a slow chat (a voice note waiting on the service) never holds up the others.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use teloxide::types::Update;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::handler::{self, Ctx};
use super::polling::parse;
use crate::store::{StoreError, inbox};

/// How long updates in hand may run on after shutdown was asked for.
pub const GRACE: Duration = Duration::from_secs(3);

/// How long a handled update is remembered (Telegram keeps an update at most a day).
const REMEMBERED: chrono::Duration = chrono::Duration::days(1);

/// An update read from Telegram, with its JSON as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub update: Update,
    pub body: String,
}

/// Commits `page` to the inbox in one transaction; returns the updates not seen
/// before, in order. Only after this returns `Ok` may their offset be confirmed.
///
/// # Errors
/// The store failed: nothing is recorded, and the page must be fetched again.
pub async fn record(ctx: &Ctx, page: Vec<Received>) -> Result<Vec<Update>, StoreError> {
    if page.is_empty() {
        return Ok(Vec::new());
    }
    let at = Utc::now();
    let mut tx = ctx.app().store().begin().await?;
    let mut fresh = Vec::with_capacity(page.len());
    for r in page {
        if inbox::record(&mut tx, i64::from(r.update.id.0), &r.body, at).await? {
            fresh.push(r.update);
        } else {
            tracing::info!(
                update_id = r.update.id.0,
                "update redelivered; already recorded"
            );
        }
    }
    tx.commit().await?;
    Ok(fresh)
}

/// Hands the updates recorded but never handled to the workers (start-up), and forgets
/// those handled more than a day ago.
///
/// # Errors
/// The store failed.
pub async fn replay(ctx: &Arc<Ctx>, workers: &mut Workers) -> Result<usize, StoreError> {
    let mut conn = ctx.app().store().acquire().await?;
    let purged = inbox::purge_handled(&mut conn, Utc::now() - REMEMBERED).await?;
    let pending = inbox::pending(&mut conn).await?;
    drop(conn);
    let count = pending.len();
    for row in pending {
        let parsed = serde_json::from_str(&row.body)
            .map_err(|e| e.to_string())
            .and_then(|value| parse(&value));
        match parsed {
            Ok(received) => workers.dispatch(ctx, received.update),
            Err(error) => {
                tracing::warn!(update_id = row.update_id, %error, "a recorded update could not be read; skipped");
                handler::mark_handled(ctx, row.update_id).await;
            }
        }
    }
    if count > 0 || purged > 0 {
        tracing::info!(
            pending = count,
            purged,
            "updates left unhandled by the last run are handled first"
        );
    }
    Ok(count)
}

/// One worker task per chat keeps each chat's updates in order while chats run side by
/// side; a worker idle for [`IDLE`] ends, and the next update for its chat starts one.
#[derive(Default)]
pub struct Workers {
    chats: HashMap<i64, mpsc::UnboundedSender<Update>>,
    running: JoinSet<()>,
}

/// How long a chat's worker waits for another update before it ends.
const IDLE: Duration = Duration::from_secs(60);

impl Workers {
    /// Hands an update to its chat's worker.
    pub fn dispatch(&mut self, ctx: &Arc<Ctx>, update: Update) {
        while self.running.try_join_next().is_some() {}
        let key = update
            .chat()
            .map(|c| c.id.0)
            .or_else(|| {
                update
                    .from()
                    .map(|u| i64::try_from(u.id.0).unwrap_or(i64::MAX))
            })
            .unwrap_or(-i64::from(update.id.0));
        let update = match self.chats.get(&key) {
            Some(tx) => match tx.send(update) {
                Ok(()) => return,
                // That chat's worker ended (idle): start another.
                Err(mpsc::error::SendError(update)) => update,
            },
            None => update,
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(update);
        self.chats.insert(key, tx);
        self.running.spawn(worker(ctx.clone(), rx));
    }

    /// Lets the updates in hand finish for at most [`GRACE`], then drops the rest (they
    /// stay in the inbox and are handled after the restart).
    pub async fn stop(mut self) {
        self.chats.clear();
        let drained = tokio::time::timeout(GRACE, async {
            while self.running.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                chats = self.running.len(),
                "updates still in hand at shutdown are left for the restart"
            );
            self.running.abort_all();
        }
    }
}

async fn worker(ctx: Arc<Ctx>, mut rx: mpsc::UnboundedReceiver<Update>) {
    loop {
        match tokio::time::timeout(IDLE, rx.recv()).await {
            Ok(Some(update)) => handler::on_update(update, ctx.clone()).await,
            Ok(None) => return,
            Err(_) => {
                // Idle: take no more, but handle what raced in before the close.
                rx.close();
                while let Ok(update) = rx.try_recv() {
                    handler::on_update(update, ctx.clone()).await;
                }
                return;
            }
        }
    }
}
