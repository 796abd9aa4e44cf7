//! Delivering the outbox through a transport: claimed a page at a time, in id order,
//! only while advisors are open, re-checking the opt-out at send time, retrying
//! failures with backoff. The
//! transport's own rate limiting (Telegram's throttle) paces a large morning.

use chrono::{DateTime, Duration, Utc};

use crate::conversation::{Button, Reply};
use crate::rules::{Policy, hours};
use crate::store::outbox::{self, Pending};
use crate::store::{Store, StoreError};
use crate::transport::Transport;

/// After this many failed attempts a message is given up (and logged).
pub const MAX_ATTEMPTS: u32 = 10;

/// Delivered messages stay in the outbox this long (for support questions), then go.
pub const KEEP_SENT_DAYS: i64 = 30;

/// Messages claimed from the outbox at a time.
const PAGE: u32 = 50;

/// How long claimed messages stay reserved for the worker that claimed them. A worker
/// killed mid-page leaves at most [`PAGE`] messages waiting this long.
pub const LEASE: Duration = Duration::minutes(10);

/// What a delivery run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Advisors were closed: nothing was sent.
    pub closed: bool,
    pub sent: usize,
    /// Failed this time; retried on a later run.
    pub failed: usize,
    /// Dropped: the trainer opted out, or delivery was given up.
    pub dropped: usize,
}

/// Wait before the next attempt after `attempts` failures: 1 minute doubling, at most
/// an hour.
#[must_use]
pub fn backoff(attempts: u32) -> Duration {
    Duration::minutes(1i64 << attempts.min(6)).min(Duration::hours(1))
}

/// Sends every queued message due at `now` to trainers of `transport`'s channel: claims
/// a page (so another worker never takes the same rows), sends each, marks it sent.
///
/// Delivery is at least once: a message goes out twice only if the process dies (or
/// the store fails) between handing it to the transport and marking it sent.
///
/// # Errors
/// The store failed.
#[tracing::instrument(skip_all, fields(channel = transport.channel()))]
pub async fn deliver(
    store: &Store,
    policy: &Policy,
    transport: &impl Transport,
    now: DateTime<Utc>,
) -> Result<DeliveryReport, StoreError> {
    let mut report = DeliveryReport::default();
    if !hours::is_open(&policy.hours, now) {
        report.closed = true;
        return Ok(report);
    }
    let mut conn = store.pool().acquire().await?;
    outbox::purge_sent(&mut conn, now - Duration::days(KEEP_SENT_DAYS)).await?;
    loop {
        let mut tx = store.begin().await?;
        let page = outbox::claim(&mut tx, transport.channel(), now, now + LEASE, PAGE).await?;
        tx.commit().await?;
        for p in &page {
            deliver_one(&mut conn, transport, p, now, &mut report).await?;
        }
        if page.len() < PAGE as usize {
            break;
        }
    }
    if report != DeliveryReport::default() {
        tracing::info!(
            sent = report.sent,
            failed = report.failed,
            dropped = report.dropped,
            "outbox delivered"
        );
    }
    Ok(report)
}

async fn deliver_one(
    conn: &mut sqlx::SqliteConnection,
    transport: &impl Transport,
    p: &Pending,
    now: DateTime<Utc>,
    report: &mut DeliveryReport,
) -> Result<(), StoreError> {
    if p.purpose == "reminder" && !p.reminders_enabled {
        tracing::info!(chat = %p.chat_ref, "reminder dropped: trainer opted out");
        report.dropped += 1;
        return outbox::remove(conn, p.id).await;
    }
    let buttons: Vec<Button> = serde_json::from_str(&p.buttons)
        .map_err(|e| StoreError::Corrupt(format!("outbox {} buttons: {e}", p.id)))?;
    // Queued before personal messages kept to private chats: never post it elsewhere.
    let message = crate::app::personal(
        &p.chat_ref,
        &p.user_ref,
        None,
        Reply {
            text: p.text.clone(),
            buttons,
        },
    );
    match transport.send(&message).await {
        Ok(()) => {
            report.sent += 1;
            outbox::mark_sent(conn, p.id, now).await
        }
        Err(e) if p.attempts + 1 >= MAX_ATTEMPTS => {
            tracing::error!(chat = %p.chat_ref, error = %e, attempts = p.attempts + 1, "delivery given up");
            report.dropped += 1;
            outbox::remove(conn, p.id).await
        }
        Err(e) => {
            tracing::warn!(chat = %p.chat_ref, error = %e, attempts = p.attempts + 1, "delivery failed; will retry");
            report.failed += 1;
            let retry = now + backoff(p.attempts + 1);
            outbox::mark_failed(conn, p.id, &e.to_string(), retry).await
        }
    }
}
