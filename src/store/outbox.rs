//! The outbox: messages queued in the same transaction as the record that caused them,
//! claimed by one worker at a time (a lease in `claimed_until`), delivered in id order,
//! retried with backoff when delivery fails.

use chrono::{DateTime, Utc};

use super::{Conn, StoreError};
use crate::domain::{ChatId, TrainerId};

/// What a queued message is for; a reminder is dropped at delivery when the trainer
/// has opted out since it was queued.
pub const REMINDER: &str = "reminder";

/// A queued message claimed for delivery by this worker.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub trainer_id: TrainerId,
    pub chat_ref: ChatId,
    /// The trainer's user id: their private chat is the one with this id.
    pub user_ref: String,
    pub text: String,
    /// JSON array of buttons.
    pub buttons: String,
    pub attempts: i32,
    /// The trainer still wants reminders (checked at delivery time).
    pub reminders_enabled: bool,
    pub purpose: String,
}

/// Queues a message for a trainer's chat; returns its id.
///
/// # Errors
/// The query failed.
pub async fn enqueue(
    conn: &mut Conn,
    trainer: TrainerId,
    chat_ref: impl Into<ChatId>,
    text: &str,
    buttons_json: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_scalar(
        "INSERT INTO outbox (trainer_id, chat_ref, text, buttons, created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(trainer)
    .bind(chat_ref.into())
    .bind(text)
    .bind(buttons_json)
    .bind(at)
    .fetch_one(c)
    .await?))
}

/// Claims up to `limit` unsent messages for trainers on `channel` whose next attempt is
/// due at `now` and that no other worker holds, in id order: each is leased to the
/// caller until `lease_until`. Run it in its own transaction (the select and the
/// update must be one step; on PostgreSQL the select takes `FOR UPDATE SKIP LOCKED`).
///
/// # Errors
/// The query failed.
pub async fn claim(
    conn: &mut Conn,
    channel: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<Claimed>, StoreError> {
    let sql = conn.pick(
        "SELECT o.id, o.trainer_id, o.chat_ref, o.text, o.buttons, o.attempts, o.purpose,
                t.reminders_enabled, t.user_ref
         FROM outbox o INDEXED BY outbox_pending JOIN trainers t ON t.id = o.trainer_id
         WHERE o.sent_at IS NULL AND o.next_attempt_at <= $2
           AND (o.claimed_until IS NULL OR o.claimed_until <= $2) AND t.channel = $1
         ORDER BY o.id LIMIT $3",
        "SELECT o.id, o.trainer_id, o.chat_ref, o.text, o.buttons, o.attempts, o.purpose,
                t.reminders_enabled, t.user_ref
         FROM outbox o JOIN trainers t ON t.id = o.trainer_id
         WHERE o.sent_at IS NULL AND o.next_attempt_at <= $2
           AND (o.claimed_until IS NULL OR o.claimed_until <= $2) AND t.channel = $1
         ORDER BY o.id LIMIT $3 FOR UPDATE OF o SKIP LOCKED",
    );
    let claimed: Vec<Claimed> = crate::on!(conn, |c| sqlx::query_as(sql)
        .bind(channel)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(c)
        .await?);
    for p in &claimed {
        crate::on!(conn, |c| sqlx::query(
            "UPDATE outbox SET claimed_until = $2 WHERE id = $1"
        )
        .bind(p.id)
        .bind(lease_until)
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(claimed)
}

/// Marks a message delivered.
///
/// # Errors
/// The query failed.
pub async fn mark_sent(conn: &mut Conn, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
    crate::on!(conn, |c| {
        sqlx::query(
        "UPDATE outbox SET sent_at = $2, attempts = attempts + 1, claimed_until = NULL WHERE id = $1",
    )
        .bind(id)
        .bind(at)
        .execute(c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Records a failed attempt and when to try again.
///
/// # Errors
/// The query failed.
pub async fn mark_failed(
    conn: &mut Conn,
    id: i64,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3,
           claimed_until = NULL
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(retry_at)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Removes a queued message (the trainer opted out, or delivery was given up).
///
/// # Errors
/// The query failed.
pub async fn remove(conn: &mut Conn, id: i64) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query("DELETE FROM outbox WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// How many messages are still waiting (any attempt time).
///
/// # Errors
/// The query failed.
pub async fn unsent(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"
    )
    .fetch_one(c)
    .await?))
}

/// Deletes messages delivered before `before` (the `reminders_sent` record stays).
///
/// # Errors
/// The query failed.
pub async fn purge_sent(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query(
        "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1"
    )
    .bind(before)
    .execute(c)
    .await?
    .rows_affected()))
}
