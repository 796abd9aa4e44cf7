//! Trainers, their certification record and their dialogue state.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Row, SqliteConnection};

use super::{StoreError, date, opt_date};
use crate::rules::Certification;

/// A trainer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trainer {
    pub id: i64,
    pub channel: String,
    pub user_ref: String,
    pub chat_ref: String,
    pub name: Option<String>,
    pub reminders_enabled: bool,
}

impl Trainer {
    /// A personal message for this trainer: to their private chat, or the prompt to
    /// write privately where none is known (see [`crate::app::personal`]).
    #[must_use]
    pub fn personal(&self, text: impl Into<String>) -> crate::app::Outgoing {
        self.personal_reply(crate::conversation::Reply::text(text.into()))
    }

    /// As [`Trainer::personal`], for a reply with buttons.
    #[must_use]
    pub fn personal_reply(&self, reply: crate::conversation::Reply) -> crate::app::Outgoing {
        crate::app::personal(&self.chat_ref, &self.user_ref, self.name.as_deref(), reply)
    }
}

/// A trainer on arrival of a message, with what the turn needs next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub trainer: Trainer,
    /// The id of the trainer's open hand-off ticket, if any.
    pub open_ticket: Option<i64>,
    /// The serialised dialogue state, if one is stored.
    pub dialogue: Option<String>,
}

/// Finds the trainer for `(channel, user_ref)`, creating it on first contact, and keeps
/// the chat and display name current; one statement also returns the open ticket and
/// the dialogue state.
///
/// # Errors
/// The query failed.
#[tracing::instrument(skip_all)]
pub async fn upsert(
    conn: &mut SqliteConnection,
    channel: &str,
    user_ref: &str,
    chat_ref: &str,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Arrival, StoreError> {
    let row = sqlx::query(
        "INSERT INTO trainers (channel, user_ref, chat_ref, name, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (channel, user_ref) DO UPDATE
           SET chat_ref = excluded.chat_ref, name = COALESCE(excluded.name, trainers.name)
         RETURNING id, channel, user_ref, chat_ref, name, reminders_enabled,
           (SELECT k.id FROM tickets k WHERE k.trainer_id = trainers.id AND k.state <> 'closed') AS open_ticket,
           (SELECT d.state FROM dialogues d WHERE d.trainer_id = trainers.id) AS dialogue",
    )
    .bind(channel)
    .bind(user_ref)
    .bind(chat_ref)
    .bind(name)
    .bind(now.to_rfc3339())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Arrival {
        trainer: from_row(&row),
        open_ticket: row.get("open_ticket"),
        dialogue: row.get("dialogue"),
    })
}

/// The trainer with this id, if any.
///
/// # Errors
/// The query failed.
pub async fn by_id(conn: &mut SqliteConnection, id: i64) -> Result<Option<Trainer>, StoreError> {
    let row = sqlx::query(
        "SELECT id, channel, user_ref, chat_ref, name, reminders_enabled FROM trainers WHERE id = ?1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.as_ref().map(from_row))
}

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Trainer {
    Trainer {
        id: row.get("id"),
        channel: row.get("channel"),
        user_ref: row.get("user_ref"),
        chat_ref: row.get("chat_ref"),
        name: row.get("name"),
        reminders_enabled: row.get::<i64, _>("reminders_enabled") != 0,
    }
}

/// Turns reminders on or off for a trainer.
///
/// # Errors
/// The query failed.
pub async fn set_reminders(
    conn: &mut SqliteConnection,
    trainer: i64,
    on: bool,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE trainers SET reminders_enabled = ?2 WHERE id = ?1")
        .bind(trainer)
        .bind(i64::from(on))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes the trainer and, by cascade, everything stored about them.
///
/// # Errors
/// The query failed.
pub async fn delete(conn: &mut SqliteConnection, trainer: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM trainers WHERE id = ?1")
        .bind(trainer)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The certification record, if the trainer registered one.
///
/// # Errors
/// The query failed or a stored date is unreadable.
pub async fn certification(
    conn: &mut SqliteConnection,
    trainer: i64,
) -> Result<Option<Certification>, StoreError> {
    Ok(certification_with_card(conn, trainer).await?.0)
}

/// The certification record and which sides of the CPR/AED card are on file, in one
/// query.
///
/// # Errors
/// The query failed or a stored date is unreadable.
pub async fn certification_with_card(
    conn: &mut SqliteConnection,
    trainer: i64,
) -> Result<(Option<Certification>, (bool, bool)), StoreError> {
    let Some(row) = sqlx::query(
        "SELECT expires_on, cpr_expires_on, recertify_for_life, audit_selected_on,
                applied_on, audit_closed_on, counts_from,
                cpr_front_ref IS NOT NULL AS front, cpr_back_ref IS NOT NULL AS back
         FROM certifications WHERE trainer_id = ?1",
    )
    .bind(trainer)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok((None, (false, false)));
    };
    let cert = Certification {
        expires_on: date(row.get("expires_on"))?,
        cpr_expires_on: opt_date(row.get("cpr_expires_on"))?,
        recertify_for_life: row.get::<i64, _>("recertify_for_life") != 0,
        audit_selected_on: opt_date(row.get("audit_selected_on"))?,
        applied_on: opt_date(row.get("applied_on"))?,
        audit_closed_on: opt_date(row.get("audit_closed_on"))?,
        counts_from: opt_date(row.get("counts_from"))?,
    };
    let card = (
        row.get::<i64, _>("front") != 0,
        row.get::<i64, _>("back") != 0,
    );
    Ok((Some(cert), card))
}

/// Writes the certification record (insert or replace every field).
///
/// # Errors
/// The query failed.
pub async fn save_certification(
    conn: &mut SqliteConnection,
    trainer: i64,
    cert: &Certification,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO certifications (trainer_id, expires_on, cpr_expires_on, recertify_for_life,
           audit_selected_on, applied_on, audit_closed_on, counts_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (trainer_id) DO UPDATE SET expires_on = excluded.expires_on,
           cpr_expires_on = excluded.cpr_expires_on,
           recertify_for_life = excluded.recertify_for_life,
           audit_selected_on = excluded.audit_selected_on,
           applied_on = excluded.applied_on,
           audit_closed_on = excluded.audit_closed_on,
           counts_from = excluded.counts_from",
    )
    .bind(trainer)
    .bind(cert.expires_on.to_string())
    .bind(cert.cpr_expires_on.map(|d| d.to_string()))
    .bind(i64::from(cert.recertify_for_life))
    .bind(cert.audit_selected_on.map(|d| d.to_string()))
    .bind(cert.applied_on.map(|d| d.to_string()))
    .bind(cert.audit_closed_on.map(|d| d.to_string()))
    .bind(cert.counts_from.map(|d| d.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the day the trainer applied for the current cycle; `false` when they have
/// no certification record.
///
/// # Errors
/// The query failed.
pub async fn record_application(
    conn: &mut SqliteConnection,
    trainer: i64,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE certifications SET applied_on = ?2 WHERE trainer_id = ?1")
        .bind(trainer)
        .bind(on.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the day the trainer sent every audit document to NASM; `false` when they
/// have no audit on record.
///
/// # Errors
/// The query failed.
pub async fn close_audit(
    conn: &mut SqliteConnection,
    trainer: i64,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE certifications SET audit_closed_on = ?2
         WHERE trainer_id = ?1 AND audit_selected_on IS NOT NULL",
    )
    .bind(trainer)
    .bind(on.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records one side of the CPR/AED card.
///
/// # Errors
/// The query failed.
pub async fn set_cpr_card(
    conn: &mut SqliteConnection,
    trainer: i64,
    back: bool,
    reference: &str,
) -> Result<(), StoreError> {
    let sql = if back {
        "UPDATE certifications SET cpr_back_ref = ?2 WHERE trainer_id = ?1"
    } else {
        "UPDATE certifications SET cpr_front_ref = ?2 WHERE trainer_id = ?1"
    };
    sqlx::query(sql)
        .bind(trainer)
        .bind(reference)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The serialised dialogue state, if one is stored.
///
/// # Errors
/// The query failed.
pub async fn dialogue(
    conn: &mut SqliteConnection,
    trainer: i64,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT state FROM dialogues WHERE trainer_id = ?1")
            .bind(trainer)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Stores the serialised dialogue state.
///
/// # Errors
/// The query failed.
pub async fn save_dialogue(
    conn: &mut SqliteConnection,
    trainer: i64,
    state: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO dialogues (trainer_id, state, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (trainer_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(trainer)
    .bind(state)
    .bind(now.to_rfc3339())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
