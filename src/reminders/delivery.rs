//! Delivering the outbox through a transport: claimed a page at a time, in id order,
//! only while advisors are open, re-checking the opt-out at send time, retrying
//! failures with [`RETRY`]'s backoff. The transport's own rate limiting (Telegram's
//! throttle) paces a large morning.

use crate::store::Conn;
use chrono::{DateTime, Duration, Utc};

use crate::domain::{Button, Reply, Transport, personal};
use crate::retry::Backoff;
use crate::rules::{Policy, hours};
use crate::store::outbox::{self, Claimed};
use crate::store::{Store, StoreError};

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

/// The wait before the next attempt after a failed one: 2 minutes after the first
/// failure, doubling, at most an hour.
pub const RETRY: Backoff = Backoff::new(
    std::time::Duration::from_secs(2 * 60),
    std::time::Duration::from_secs(60 * 60),
);

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
    let mut conn = store.acquire().await?;
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

/// Sends one claimed message and records what became of it.
async fn deliver_one(
    conn: &mut Conn,
    transport: &impl Transport,
    p: &Claimed,
    now: DateTime<Utc>,
    report: &mut DeliveryReport,
) -> Result<(), StoreError> {
    if p.purpose == outbox::REMINDER && !p.reminders_enabled {
        tracing::info!(chat = %p.chat_ref, "reminder dropped: trainer opted out");
        report.dropped += 1;
        return outbox::remove(conn, p.id).await;
    }
    let buttons: Vec<Button> = serde_json::from_str(&p.buttons)
        .map_err(|e| StoreError::Corrupt(format!("outbox {} buttons: {e}", p.id)))?;
    // Queued before personal messages kept to private chats: never post it elsewhere.
    let message = personal(
        &p.chat_ref,
        &p.user_ref,
        None,
        Reply {
            text: p.text.clone(),
            buttons,
        },
    );
    let attempt = u32::try_from(p.attempts).unwrap_or(0) + 1;
    match transport.send(&message).await {
        Ok(()) => {
            report.sent += 1;
            if p.purpose == outbox::REMINDER {
                crate::ops::reminder_sent();
            }
            outbox::mark_sent(conn, p.id, now).await
        }
        Err(e) if attempt >= MAX_ATTEMPTS => {
            tracing::error!(chat = %p.chat_ref, error = %e, attempts = attempt, "delivery given up");
            report.dropped += 1;
            outbox::remove(conn, p.id).await
        }
        Err(e) => {
            tracing::warn!(chat = %p.chat_ref, error = %e, attempts = attempt, "delivery failed; will retry");
            report.failed += 1;
            let wait = RETRY.delay(attempt);
            let retry = now + Duration::from_std(wait).unwrap_or(Duration::hours(1));
            outbox::mark_failed(conn, p.id, &e.to_string(), retry).await
        }
    }
}
