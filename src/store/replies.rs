//! The Telegram reply outbox: one row per Bot API request, queued in the transaction of
//! the effects that caused it, claimed with a lease as the reminders' outbox is, and
//! deleted once Telegram accepts it. See `migrations/0011_telegram_replies.sql`.

use chrono::{DateTime, Utc};

use super::{Conn, StoreError};
use crate::domain::{ChatId, TicketId};

/// The oldest queued request of one chat: only it may be sent (a chat's requests go
/// in order).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Head {
    pub id: i64,
    pub chat_ref: ChatId,
    pub body: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub claimed_until: Option<DateTime<Utc>>,
}

/// Queues a request for `chat`, unless the chat is marked unreachable; returns whether
/// it was queued.
///
/// # Errors
/// The query failed.
pub async fn enqueue(
    conn: &mut Conn,
    chat: &ChatId,
    body: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = crate::on!(conn, |c| sqlx::query(
        "INSERT INTO replies (chat_ref, body, created_at, next_attempt_at)
         SELECT $1, $2, $3, $3
         WHERE NOT EXISTS (SELECT 1 FROM unreachable_chats WHERE chat_ref = $1)",
    )
    .bind(chat)
    .bind(body)
    .bind(at)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// The oldest queued request of each chat, oldest first, at most `limit`.
///
/// # Errors
/// The query failed.
pub async fn heads(conn: &mut Conn, limit: u32) -> Result<Vec<Head>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(
        "SELECT r.id, r.chat_ref, r.body, r.attempts, r.next_attempt_at, r.claimed_until
         FROM replies r
         JOIN (SELECT chat_ref, MIN(id) AS id FROM replies GROUP BY chat_ref) h ON h.id = r.id
         ORDER BY r.id LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(c)
    .await?))
}

/// The requests queued for `chat` after `id`, in order, at most `limit`: what may be
/// joined to it.
///
/// # Errors
/// The query failed.
pub async fn following(
    conn: &mut Conn,
    chat: &ChatId,
    id: i64,
    limit: u32,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(
        "SELECT id, body FROM replies WHERE chat_ref = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(chat)
    .bind(id)
    .bind(i64::from(limit))
    .fetch_all(c)
    .await?))
}

/// Takes the lease on a request until `until`; `false` if another sender holds it.
///
/// # Errors
/// The query failed.
pub async fn claim(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = crate::on!(conn, |c| sqlx::query(
        "UPDATE replies SET claimed_until = $3
         WHERE id = $1 AND (claimed_until IS NULL OR claimed_until <= $2)",
    )
    .bind(id)
    .bind(now)
    .bind(until)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Drops every lease. Only at start-up, and only while one process uses the database
/// (SQLite): a killed process's leases would otherwise hold its rows until they end.
///
/// # Errors
/// The query failed.
pub async fn release_all(conn: &mut Conn) -> Result<u64, StoreError> {
    if conn.backend() == super::Backend::Postgres {
        // Other instances may hold live leases; a dead one's leases just run out.
        return Ok(0);
    }
    Ok(crate::on!(conn, |c| sqlx::query(
        "UPDATE replies SET claimed_until = NULL WHERE claimed_until IS NOT NULL"
    )
    .execute(c)
    .await?
    .rows_affected()))
}

/// Removes a request Telegram accepted (or refused for good).
///
/// # Errors
/// The query failed.
pub async fn remove(conn: &mut Conn, id: i64) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query("DELETE FROM replies WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// Releases a request to be tried again at `retry_at`; `failed` counts an attempt and
/// keeps its error (a 429 is a wait, not a failure).
///
/// # Errors
/// The query failed.
pub async fn retry_at(
    conn: &mut Conn,
    id: i64,
    retry_at: DateTime<Utc>,
    failed: Option<&str>,
) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "UPDATE replies SET claimed_until = NULL, next_attempt_at = $2,
           attempts = attempts + $3, last_error = COALESCE($4, last_error)
         WHERE id = $1",
    )
    .bind(id)
    .bind(retry_at)
    .bind(i64::from(failed.is_some()))
    .bind(failed)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Moves a chat's queued requests to another chat id (a group upgraded to a
/// supergroup); returns how many.
///
/// # Errors
/// The query failed.
pub async fn move_chat(conn: &mut Conn, from: &ChatId, to: &ChatId) -> Result<u64, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query(
        "UPDATE replies SET chat_ref = $2, claimed_until = NULL WHERE chat_ref = $1"
    )
    .bind(from)
    .bind(to)
    .execute(c)
    .await?
    .rows_affected()))
}

/// Marks a chat unreachable and drops what was queued for it; returns the dropped
/// requests' bodies (their fallbacks are still to be sent).
///
/// # Errors
/// The query failed.
pub async fn mark_unreachable(
    conn: &mut Conn,
    chat: &ChatId,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "INSERT INTO unreachable_chats (chat_ref, since, reason) VALUES ($1, $2, $3)
         ON CONFLICT (chat_ref) DO UPDATE SET since = excluded.since, reason = excluded.reason",
    )
    .bind(chat)
    .bind(at)
    .bind(reason)
    .execute(c)
    .await?
    .rows_affected());
    Ok(crate::on!(conn, |c| sqlx::query_scalar(
        "DELETE FROM replies WHERE chat_ref = $1 RETURNING body"
    )
    .bind(chat)
    .fetch_all(c)
    .await?))
}

/// The message id of `ticket`'s card in `chat`, if it was posted.
///
/// # Errors
/// The query failed.
pub async fn card_message(
    conn: &mut Conn,
    chat: &ChatId,
    ticket: TicketId,
) -> Result<Option<i64>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_scalar(
        "SELECT message_id FROM ticket_cards WHERE chat_ref = $1 AND ticket_id = $2",
    )
    .bind(chat)
    .bind(ticket)
    .fetch_optional(c)
    .await?))
}

/// Records where `ticket`'s card was posted.
///
/// # Errors
/// The query failed.
pub async fn remember_card(
    conn: &mut Conn,
    chat: &ChatId,
    ticket: TicketId,
    message_id: i64,
) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "INSERT INTO ticket_cards (chat_ref, ticket_id, message_id) VALUES ($1, $2, $3)
         ON CONFLICT (chat_ref, ticket_id) DO UPDATE SET message_id = excluded.message_id",
    )
    .bind(chat)
    .bind(ticket)
    .bind(message_id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// The chat can be written to again (its trainer wrote to the bot).
///
/// # Errors
/// The query failed.
pub async fn mark_reachable(conn: &mut Conn, chat: &ChatId) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "DELETE FROM unreachable_chats WHERE chat_ref = $1"
    )
    .bind(chat)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Whether a chat is marked unreachable.
///
/// # Errors
/// The query failed.
pub async fn is_unreachable(conn: &mut Conn, chat: &ChatId) -> Result<bool, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM unreachable_chats WHERE chat_ref = $1"
    )
    .bind(chat)
    .fetch_one(c)
    .await?)
        > 0)
}

/// How many requests are queued.
///
/// # Errors
/// The query failed.
pub async fn queued(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM replies"
    )
    .fetch_one(c)
    .await?))
}
