//! Everything stored about one trainer, read for `/export`. Only rows owned by the
//! trainer are read: every query filters on the trainer's id.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

use super::trainers::Trainer;
use super::{Conn, StoreError};
use crate::domain::TrainerId;

/// A trainer's own record, as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    pub channel: String,
    pub user: String,
    pub name: Option<String>,
    pub reminders_enabled: bool,
    pub certification: Option<ExportedCertification>,
    pub entries: Vec<ExportedEntry>,
    pub transcript: Vec<TranscriptRow>,
}

/// The certification row with the CPR/AED card's file references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ExportedCertification {
    pub expires_on: NaiveDate,
    pub cpr_expires_on: Option<NaiveDate>,
    pub recertify_for_life: bool,
    pub audit_selected_on: Option<NaiveDate>,
    pub applied_on: Option<NaiveDate>,
    pub audit_closed_on: Option<NaiveDate>,
    pub counts_from: Option<NaiveDate>,
    #[sqlx(rename = "cpr_front_ref")]
    pub cpr_card_front: Option<String>,
    #[sqlx(rename = "cpr_back_ref")]
    pub cpr_card_back: Option<String>,
}

/// One continuing-education entry with its certificate's file reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ExportedEntry {
    pub completed_on: NaiveDate,
    #[sqlx(rename = "minutes")]
    pub contact_minutes: i64,
    pub area: String,
    pub provider: String,
    pub title: Option<String>,
    pub petition_approved: bool,
    pub petition_declined: bool,
    #[sqlx(rename = "document_ref")]
    pub document: Option<String>,
    #[sqlx(rename = "created_at")]
    #[serde(serialize_with = "instant")]
    pub logged_at: DateTime<Utc>,
}

/// One line of the conversation still within the retention period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TranscriptRow {
    #[serde(serialize_with = "instant")]
    pub at: DateTime<Utc>,
    pub from_bot: bool,
    pub text: String,
}

/// An instant as the SQLite store writes it (`2026-11-23T18:00:00.250+00:00`), on
/// either backend.
fn instant<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, false))
}

/// Reads the trainer's whole record.
///
/// # Errors
/// A query failed.
pub async fn record(conn: &mut Conn, trainer: &Trainer) -> Result<Record, StoreError> {
    Ok(Record {
        channel: trainer.channel.clone(),
        user: trainer.user_ref.clone(),
        name: trainer.name.clone(),
        reminders_enabled: trainer.reminders_enabled,
        certification: certification(conn, trainer.id).await?,
        entries: entries(conn, trainer.id).await?,
        transcript: transcript(conn, trainer.id).await?,
    })
}

async fn certification(
    conn: &mut Conn,
    trainer: TrainerId,
) -> Result<Option<ExportedCertification>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(
        "SELECT expires_on, cpr_expires_on, recertify_for_life, audit_selected_on,
                applied_on, audit_closed_on, counts_from, cpr_front_ref, cpr_back_ref
         FROM certifications WHERE trainer_id = $1",
    )
    .bind(trainer)
    .fetch_optional(c)
    .await?))
}

async fn entries(conn: &mut Conn, trainer: TrainerId) -> Result<Vec<ExportedEntry>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(
        "SELECT completed_on, minutes, area, provider, title, petition_approved,
                petition_declined, document_ref, created_at
         FROM ce_entries WHERE trainer_id = $1 ORDER BY completed_on, id",
    )
    .bind(trainer)
    .fetch_all(c)
    .await?))
}

async fn transcript(conn: &mut Conn, trainer: TrainerId) -> Result<Vec<TranscriptRow>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(
        "SELECT at, from_bot, text FROM transcript WHERE trainer_id = $1 ORDER BY id",
    )
    .bind(trainer)
    .fetch_all(c)
    .await?))
}
