//! Everything stored about one trainer, read for `/export`. Only rows owned by the
//! trainer are read: every query filters on the trainer's id.

use serde::Serialize;
use sqlx::{Row, SqliteConnection};

use super::StoreError;
use super::trainers::Trainer;

/// A trainer's own record, as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    pub channel: String,
    pub user: String,
    pub name: Option<String>,
    pub reminders_enabled: bool,
    pub certification: Option<CertificationRow>,
    pub entries: Vec<EntryRow>,
    pub transcript: Vec<TranscriptRow>,
}

/// The certification row with the CPR/AED card's file references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificationRow {
    pub expires_on: String,
    pub cpr_expires_on: Option<String>,
    pub recertify_for_life: bool,
    pub audit_selected_on: Option<String>,
    pub applied_on: Option<String>,
    pub audit_closed_on: Option<String>,
    pub counts_from: Option<String>,
    pub cpr_card_front: Option<String>,
    pub cpr_card_back: Option<String>,
}

/// One continuing-education entry with its certificate's file reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRow {
    pub completed_on: String,
    pub contact_minutes: i64,
    pub area: String,
    pub provider: String,
    pub title: Option<String>,
    pub petition_approved: bool,
    pub petition_declined: bool,
    pub document: Option<String>,
    pub logged_at: String,
}

/// One line of the conversation still within the retention period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptRow {
    pub at: String,
    pub from_bot: bool,
    pub text: String,
}

/// Reads the trainer's whole record.
///
/// # Errors
/// A query failed.
pub async fn record(conn: &mut SqliteConnection, trainer: &Trainer) -> Result<Record, StoreError> {
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
    conn: &mut SqliteConnection,
    trainer: i64,
) -> Result<Option<CertificationRow>, StoreError> {
    let row = sqlx::query(
        "SELECT expires_on, cpr_expires_on, recertify_for_life, audit_selected_on,
                applied_on, audit_closed_on, counts_from, cpr_front_ref, cpr_back_ref
         FROM certifications WHERE trainer_id = ?1",
    )
    .bind(trainer)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| CertificationRow {
        expires_on: r.get("expires_on"),
        cpr_expires_on: r.get("cpr_expires_on"),
        recertify_for_life: r.get::<i64, _>("recertify_for_life") != 0,
        audit_selected_on: r.get("audit_selected_on"),
        applied_on: r.get("applied_on"),
        audit_closed_on: r.get("audit_closed_on"),
        counts_from: r.get("counts_from"),
        cpr_card_front: r.get("cpr_front_ref"),
        cpr_card_back: r.get("cpr_back_ref"),
    }))
}

async fn entries(conn: &mut SqliteConnection, trainer: i64) -> Result<Vec<EntryRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT completed_on, minutes, area, provider, title, petition_approved,
                petition_declined, document_ref, created_at
         FROM ce_entries WHERE trainer_id = ?1 ORDER BY completed_on, id",
    )
    .bind(trainer)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| EntryRow {
            completed_on: r.get("completed_on"),
            contact_minutes: r.get("minutes"),
            area: r.get("area"),
            provider: r.get("provider"),
            title: r.get("title"),
            petition_approved: r.get::<i64, _>("petition_approved") != 0,
            petition_declined: r.get::<i64, _>("petition_declined") != 0,
            document: r.get("document_ref"),
            logged_at: r.get("created_at"),
        })
        .collect())
}

async fn transcript(
    conn: &mut SqliteConnection,
    trainer: i64,
) -> Result<Vec<TranscriptRow>, StoreError> {
    let rows =
        sqlx::query("SELECT at, from_bot, text FROM transcript WHERE trainer_id = ?1 ORDER BY id")
            .bind(trainer)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .iter()
        .map(|r| TranscriptRow {
            at: r.get("at"),
            from_bot: r.get::<i64, _>("from_bot") != 0,
            text: r.get("text"),
        })
        .collect())
}
