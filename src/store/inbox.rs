//! The Telegram inbox: each update committed as it arrived, before its offset is
//! confirmed (or the webhook answers), and marked handled in the transaction that
//! applies it. See `migrations/0010_telegram_inbox.sql`.

use chrono::{DateTime, Utc};

use super::{Conn, StoreError};

/// An update received but not yet handled.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Pending {
    pub update_id: i64,
    /// The update's JSON as Telegram sent it.
    pub body: String,
}

/// Records an update; `false` if its update_id was already recorded (a redelivery,
/// handled or in hand), in which case the caller must not handle it again.
///
/// # Errors
/// The query failed.
pub async fn record(
    conn: &mut Conn,
    update_id: i64,
    body: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = crate::on!(conn, |c| sqlx::query(
        "INSERT INTO inbox (update_id, body, received_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(update_id)
    .bind(body)
    .bind(at)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Marks an update handled (in the transaction of its effects).
///
/// # Errors
/// The query failed.
pub async fn mark_handled(
    conn: &mut Conn,
    update_id: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "UPDATE inbox SET handled_at = $2 WHERE update_id = $1"
    )
    .bind(update_id)
    .bind(at)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// The updates recorded but not handled, oldest first (handled first at start-up).
///
/// # Errors
/// The query failed.
pub async fn pending(conn: &mut Conn) -> Result<Vec<Pending>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(
        "SELECT update_id, body FROM inbox WHERE handled_at IS NULL ORDER BY update_id",
    )
    .fetch_all(c)
    .await?))
}

/// Deletes updates handled before `before`; returns how many.
///
/// # Errors
/// The query failed.
pub async fn purge_handled(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query(
        "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < $1"
    )
    .bind(before)
    .execute(c)
    .await?
    .rows_affected()))
}
