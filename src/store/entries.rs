//! Continuing-education entries.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Conn, StoreError};
use crate::conversation::NewEntry;
use crate::domain::{EntryId, TrainerId};
use crate::rules::{Area, CeEntry, Ceu, Provider};

/// An entry's columns as stored, checked into a [`CeEntry`] by [`EntryRow::entry`].
#[derive(sqlx::FromRow)]
struct EntryRow {
    id: EntryId,
    completed_on: NaiveDate,
    minutes: i64,
    area: String,
    provider: String,
    title: Option<String>,
    petition_approved: bool,
    petition_declined: bool,
    has_document: bool,
}

impl EntryRow {
    fn entry(self) -> Result<CeEntry, StoreError> {
        let minutes = u32::try_from(self.minutes)
            .map_err(|_| StoreError::Corrupt(format!("minutes {}", self.minutes)))?;
        let area = Area::from_key(&self.area)
            .ok_or_else(|| StoreError::Corrupt(format!("area `{}`", self.area)))?;
        let provider = Provider::from_key(&self.provider)
            .ok_or_else(|| StoreError::Corrupt(format!("provider `{}`", self.provider)))?;
        Ok(CeEntry {
            id: self.id,
            completed_on: self.completed_on,
            amount: Ceu::from_minutes(minutes),
            area,
            provider,
            title: self.title,
            petition_approved: self.petition_approved,
            petition_declined: self.petition_declined,
            has_document: self.has_document,
        })
    }
}

/// Every entry of a trainer, oldest completion first.
///
/// # Errors
/// The query failed or a stored value is unreadable.
pub async fn list(conn: &mut Conn, trainer: TrainerId) -> Result<Vec<CeEntry>, StoreError> {
    let rows: Vec<EntryRow> = crate::on!(conn, |c| sqlx::query_as(
        "SELECT id, completed_on, minutes, area, provider, title, petition_approved,
                petition_declined, document_ref IS NOT NULL AS has_document
         FROM ce_entries WHERE trainer_id = $1 ORDER BY completed_on, id",
    )
    .bind(trainer)
    .fetch_all(c)
    .await?);
    rows.into_iter().map(EntryRow::entry).collect()
}

/// Stores a new entry and returns its id.
///
/// # Errors
/// The query failed (a zero amount violates the table's check).
#[tracing::instrument(skip_all, fields(trainer))]
pub async fn insert(
    conn: &mut Conn,
    trainer: TrainerId,
    entry: &NewEntry,
    now: DateTime<Utc>,
) -> Result<EntryId, StoreError> {
    Ok(crate::on!(conn, |c| {
        sqlx::query_scalar(
        "INSERT INTO ce_entries (trainer_id, completed_on, minutes, area, provider, title, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(trainer)
    .bind(entry.completed_on)
    .bind(i64::from(entry.amount.minutes()))
    .bind(entry.area.key())
    .bind(entry.provider.key())
    .bind(entry.title.as_deref())
    .bind(now)
    .fetch_one(c)
    .await?
    }))
}

/// Replaces an entry's details; only the owner's entry is touched.
///
/// # Errors
/// The query failed.
pub async fn update(
    conn: &mut Conn,
    trainer: TrainerId,
    id: EntryId,
    entry: &NewEntry,
) -> Result<bool, StoreError> {
    let done = crate::on!(conn, |c| {
        sqlx::query(
        "UPDATE ce_entries SET completed_on = $3, minutes = $4, area = $5, provider = $6, title = $7
         WHERE id = $2 AND trainer_id = $1",
    )
    .bind(trainer)
    .bind(id)
    .bind(entry.completed_on)
    .bind(i64::from(entry.amount.minutes()))
    .bind(entry.area.key())
    .bind(entry.provider.key())
    .bind(entry.title.as_deref())
    .execute(c)
    .await?
    .rows_affected()
    });
    Ok(done == 1)
}

/// Runs one statement on one of the trainer's entries (`$1` the trainer, `$2` the
/// entry); whether it touched the entry.
async fn on_entry(
    conn: &mut Conn,
    sql: &str,
    trainer: TrainerId,
    id: EntryId,
) -> Result<bool, StoreError> {
    let done = crate::on!(conn, |c| sqlx::query(sql)
        .bind(trainer)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(done == 1)
}

/// Deletes one of the trainer's entries.
///
/// # Errors
/// The query failed.
pub async fn delete(conn: &mut Conn, trainer: TrainerId, id: EntryId) -> Result<bool, StoreError> {
    let sql = "DELETE FROM ce_entries WHERE id = $2 AND trainer_id = $1";
    on_entry(conn, sql, trainer, id).await
}

/// Attaches a certificate to one of the trainer's entries.
///
/// # Errors
/// The query failed.
pub async fn attach_document(
    conn: &mut Conn,
    trainer: TrainerId,
    id: EntryId,
    reference: &str,
) -> Result<bool, StoreError> {
    let done = crate::on!(conn, |c| sqlx::query(
        "UPDATE ce_entries SET document_ref = $3 WHERE id = $2 AND trainer_id = $1"
    )
    .bind(trainer)
    .bind(id)
    .bind(reference)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Marks a petitioned entry as approved.
///
/// # Errors
/// The query failed.
pub async fn approve_petition(
    conn: &mut Conn,
    trainer: TrainerId,
    id: EntryId,
) -> Result<bool, StoreError> {
    let sql = "UPDATE ce_entries SET petition_approved = TRUE, petition_declined = FALSE
         WHERE id = $2 AND trainer_id = $1 AND provider = 'petition'";
    on_entry(conn, sql, trainer, id).await
}

/// Marks a petitioned entry as declined by NASM: it never counts.
///
/// # Errors
/// The query failed.
pub async fn decline_petition(
    conn: &mut Conn,
    trainer: TrainerId,
    id: EntryId,
) -> Result<bool, StoreError> {
    let sql = "UPDATE ce_entries SET petition_declined = TRUE, petition_approved = FALSE
         WHERE id = $2 AND trainer_id = $1 AND provider = 'petition'";
    on_entry(conn, sql, trainer, id).await
}
