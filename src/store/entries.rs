//! Continuing-education entries.

use chrono::{DateTime, NaiveDate, Utc};

use super::batch::Statement;
use super::{Conn, StoreError};
use crate::conversation::NewEntry;
use crate::domain::{EntryId, TrainerId};
use crate::rules::{Area, CeEntry, Ceu, Provider};

/// An entry's columns as stored, checked into a [`CeEntry`] by [`EntryRow::entry`].
#[derive(sqlx::FromRow)]
pub(super) struct EntryRow {
    pub id: EntryId,
    pub completed_on: NaiveDate,
    pub minutes: i64,
    pub area: String,
    pub provider: String,
    pub title: Option<String>,
    pub petition_approved: bool,
    pub petition_declined: bool,
    pub has_document: bool,
}

impl EntryRow {
    pub(super) fn entry(self) -> Result<CeEntry, StoreError> {
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

/// The columns of a new entry and their values, `$1` the trainer.
const INSERT: &str =
    "INSERT INTO ce_entries (trainer_id, completed_on, minutes, area, provider, title, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

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
    let sql = format!("{INSERT} RETURNING id");
    Ok(crate::on!(conn, |c| {
        sqlx::query_scalar(&sql)
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

/// [`insert`] as a statement for a [`Batch`](super::Batch) (without the new id).
#[must_use]
pub fn insert_statement(trainer: TrainerId, entry: &NewEntry, now: DateTime<Utc>) -> Statement {
    Statement::new("ce_entries", INSERT)
        .arg(trainer)
        .arg(entry.completed_on)
        .arg(i64::from(entry.amount.minutes()))
        .arg(entry.area.key())
        .arg(entry.provider.key())
        .arg(entry.title.as_deref())
        .arg(now)
}

/// Replaces an entry's details; only the owner's entry is touched. A statement for a
/// [`Batch`](super::Batch).
#[must_use]
pub fn update_statement(trainer: TrainerId, id: EntryId, entry: &NewEntry) -> Statement {
    Statement::new(
        "ce_entries",
        "UPDATE ce_entries SET completed_on = $3, minutes = $4, area = $5, provider = $6, title = $7
         WHERE id = $2 AND trainer_id = $1",
    )
    .arg(trainer)
    .arg(id)
    .arg(entry.completed_on)
    .arg(i64::from(entry.amount.minutes()))
    .arg(entry.area.key())
    .arg(entry.provider.key())
    .arg(entry.title.as_deref())
}

/// One statement on one of the trainer's entries (`$1` the trainer, `$2` the entry).
fn on_entry(sql: &'static str, trainer: TrainerId, id: EntryId) -> Statement {
    Statement::new("ce_entries", sql).arg(trainer).arg(id)
}

/// Deletes one of the trainer's entries; a statement for a [`Batch`](super::Batch).
#[must_use]
pub fn delete_statement(trainer: TrainerId, id: EntryId) -> Statement {
    on_entry(
        "DELETE FROM ce_entries WHERE id = $2 AND trainer_id = $1",
        trainer,
        id,
    )
}

/// Attaches a certificate to one of the trainer's entries; a statement for a
/// [`Batch`](super::Batch).
#[must_use]
pub fn attach_document_statement(trainer: TrainerId, id: EntryId, reference: &str) -> Statement {
    Statement::new(
        "ce_entries",
        "UPDATE ce_entries SET document_ref = $3 WHERE id = $2 AND trainer_id = $1",
    )
    .arg(trainer)
    .arg(id)
    .arg(reference)
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
    let done = approve_petition_statement(trainer, id)
        .execute(conn)
        .await?;
    Ok(done == 1)
}

/// [`approve_petition`] as a statement for a [`Batch`](super::Batch).
#[must_use]
pub fn approve_petition_statement(trainer: TrainerId, id: EntryId) -> Statement {
    let sql = "UPDATE ce_entries SET petition_approved = TRUE, petition_declined = FALSE
         WHERE id = $2 AND trainer_id = $1 AND provider = 'petition'";
    on_entry(sql, trainer, id)
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
    let done = decline_petition_statement(trainer, id)
        .execute(conn)
        .await?;
    Ok(done == 1)
}

/// [`decline_petition`] as a statement for a [`Batch`](super::Batch).
#[must_use]
pub fn decline_petition_statement(trainer: TrainerId, id: EntryId) -> Statement {
    let sql = "UPDATE ce_entries SET petition_declined = TRUE, petition_approved = FALSE
         WHERE id = $2 AND trainer_id = $1 AND provider = 'petition'";
    on_entry(sql, trainer, id)
}
