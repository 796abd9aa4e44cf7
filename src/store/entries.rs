//! Continuing-education entries.

use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

use super::{StoreError, date};
use crate::conversation::NewEntry;
use crate::rules::{Area, CeEntry, Ceu, Provider};

/// Every entry of a trainer, oldest completion first.
///
/// # Errors
/// The query failed or a stored value is unreadable.
pub async fn list(conn: &mut SqliteConnection, trainer: i64) -> Result<Vec<CeEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, completed_on, minutes, area, provider, title, petition_approved,
                petition_declined, document_ref
         FROM ce_entries WHERE trainer_id = ?1 ORDER BY completed_on, id",
    )
    .bind(trainer)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<CeEntry, StoreError> {
    let area: String = row.get("area");
    let provider: String = row.get("provider");
    let minutes: i64 = row.get("minutes");
    Ok(CeEntry {
        id: row.get("id"),
        completed_on: date(row.get("completed_on"))?,
        amount: Ceu::from_minutes(
            u32::try_from(minutes)
                .map_err(|_| StoreError::Corrupt(format!("minutes {minutes}")))?,
        ),
        area: Area::from_key(&area).ok_or_else(|| StoreError::Corrupt(format!("area `{area}`")))?,
        provider: Provider::from_key(&provider)
            .ok_or_else(|| StoreError::Corrupt(format!("provider `{provider}`")))?,
        title: row.get("title"),
        petition_approved: row.get::<i64, _>("petition_approved") != 0,
        petition_declined: row.get::<i64, _>("petition_declined") != 0,
        has_document: row.get::<Option<String>, _>("document_ref").is_some(),
    })
}

/// Stores a new entry and returns its id.
///
/// # Errors
/// The query failed (a zero amount violates the table's check).
#[tracing::instrument(skip_all, fields(trainer))]
pub async fn insert(
    conn: &mut SqliteConnection,
    trainer: i64,
    entry: &NewEntry,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO ce_entries (trainer_id, completed_on, minutes, area, provider, title, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    )
    .bind(trainer)
    .bind(entry.completed_on.to_string())
    .bind(i64::from(entry.amount.minutes()))
    .bind(entry.area.key())
    .bind(entry.provider.key())
    .bind(entry.title.as_deref())
    .bind(now.to_rfc3339())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Replaces an entry's details; only the owner's entry is touched.
///
/// # Errors
/// The query failed.
pub async fn update(
    conn: &mut SqliteConnection,
    trainer: i64,
    id: i64,
    entry: &NewEntry,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE ce_entries SET completed_on = ?3, minutes = ?4, area = ?5, provider = ?6, title = ?7
         WHERE id = ?2 AND trainer_id = ?1",
    )
    .bind(trainer)
    .bind(id)
    .bind(entry.completed_on.to_string())
    .bind(i64::from(entry.amount.minutes()))
    .bind(entry.area.key())
    .bind(entry.provider.key())
    .bind(entry.title.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes one of the trainer's entries.
///
/// # Errors
/// The query failed.
pub async fn delete(
    conn: &mut SqliteConnection,
    trainer: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM ce_entries WHERE id = ?2 AND trainer_id = ?1")
        .bind(trainer)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Attaches a certificate to one of the trainer's entries.
///
/// # Errors
/// The query failed.
pub async fn attach_document(
    conn: &mut SqliteConnection,
    trainer: i64,
    id: i64,
    reference: &str,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE ce_entries SET document_ref = ?3 WHERE id = ?2 AND trainer_id = ?1")
            .bind(trainer)
            .bind(id)
            .bind(reference)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a petitioned entry as approved.
///
/// # Errors
/// The query failed.
pub async fn approve_petition(
    conn: &mut SqliteConnection,
    trainer: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE ce_entries SET petition_approved = 1, petition_declined = 0
         WHERE id = ?2 AND trainer_id = ?1 AND provider = 'petition'",
    )
    .bind(trainer)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a petitioned entry as declined by NASM: it never counts.
///
/// # Errors
/// The query failed.
pub async fn decline_petition(
    conn: &mut SqliteConnection,
    trainer: i64,
    id: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE ce_entries SET petition_declined = 1, petition_approved = 0
         WHERE id = ?2 AND trainer_id = ?1 AND provider = 'petition'",
    )
    .bind(trainer)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
