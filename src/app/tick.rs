//! Scheduled and operator work: the tick (transcript retention, the desk's scheduled
//! work, the reminder sweep), outbox delivery, and the FAQ's unanswered questions.

use chrono::{DateTime, Utc};

use super::{App, AppError, Outgoing};
use crate::domain::Transport;
use crate::reminders::{self, DeliveryReport, SweepOptions, SweepReport};
use crate::store::messages;

impl App {
    /// Runs all scheduled work as of `at` (reminder sweep, hand-off time-outs, left
    /// messages at opening, transcript retention) and returns what to send.
    ///
    /// # Errors
    /// The store failed.
    pub async fn tick(&self, at: DateTime<Utc>) -> Result<Vec<Outgoing>, AppError> {
        let mut tx = self.store.begin().await?;
        let days = i64::from(self.policy.retention.transcript_days);
        let purged = messages::purge_transcript(&mut tx, at - chrono::Duration::days(days)).await?;
        let out = self.desk.tick(&mut tx, at).await?;
        tx.commit().await?;
        if purged > 0 {
            tracing::info!(purged, "old transcript lines purged");
        }
        self.sweep_reminders(at, SweepOptions::default()).await?;
        Ok(out)
    }

    /// One reminder sweep as of `at`: queues the due reminders in the outbox (see
    /// [`reminders::sweep()`]); with `opts.dry_run`, reports them without writing.
    ///
    /// # Errors
    /// The store failed.
    pub async fn sweep_reminders(
        &self,
        at: DateTime<Utc>,
        opts: SweepOptions,
    ) -> Result<SweepReport, AppError> {
        Ok(reminders::sweep(&self.store, &self.policy, at, opts).await?)
    }

    /// Delivers the outbox (queued reminders) through `transport`, as of `now`: call it
    /// after [`App::tick`]. Opted-out trainers' queued reminders are dropped; failures
    /// are retried on later calls.
    ///
    /// # Errors
    /// The store failed.
    pub async fn deliver_outbox(
        &self,
        transport: &impl Transport,
        now: DateTime<Utc>,
    ) -> Result<DeliveryReport, AppError> {
        Ok(reminders::deliver(&self.store, &self.policy, transport, now).await?)
    }

    /// The FAQ's unanswered questions, most frequent first.
    ///
    /// # Errors
    /// The store failed.
    pub async fn faq_misses(&self, limit: u32) -> Result<Vec<messages::Miss>, AppError> {
        let mut conn = self.store.acquire().await?;
        Ok(messages::misses(&mut conn, limit).await?)
    }
}
