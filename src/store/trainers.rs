//! Trainers, their certification record and their dialogue state.

use chrono::{DateTime, NaiveDate, Utc};

use super::batch::Statement;
use super::{Conn, StoreError, entries};
use crate::conversation::{Profile, State};
use crate::domain::{CardOnFile, CardSide, ChatId, Outgoing, Reply, TicketId, TrainerId, personal};
use crate::rules::Certification;

/// A trainer as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Trainer {
    pub id: TrainerId,
    pub channel: String,
    pub user_ref: String,
    pub chat_ref: ChatId,
    pub name: Option<String>,
    pub reminders_enabled: bool,
}

impl Trainer {
    /// A personal message for this trainer: to their private chat, or the prompt to
    /// write privately where none is known (see [`crate::domain::personal`]).
    #[must_use]
    pub fn personal(&self, text: impl Into<String>) -> Outgoing {
        self.personal_reply(Reply::text(text.into()))
    }

    /// As [`Trainer::personal`], for a reply with buttons.
    #[must_use]
    pub fn personal_reply(&self, reply: Reply) -> Outgoing {
        personal(&self.chat_ref, &self.user_ref, self.name.as_deref(), reply)
    }
}

/// A trainer on arrival of a message, with what the turn needs next.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Arrival {
    #[sqlx(flatten)]
    pub trainer: Trainer,
    /// The id of the trainer's open hand-off ticket, if any.
    pub open_ticket: Option<TicketId>,
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
    conn: &mut Conn,
    channel: &str,
    user_ref: &str,
    chat_ref: impl Into<ChatId>,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Arrival, StoreError> {
    Ok(crate::on!(conn, |c| {
        sqlx::query_as(
        "INSERT INTO trainers (channel, user_ref, chat_ref, name, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (channel, user_ref) DO UPDATE
           SET chat_ref = excluded.chat_ref, name = COALESCE(excluded.name, trainers.name)
         RETURNING id, channel, user_ref, chat_ref, name, reminders_enabled,
           (SELECT k.id FROM tickets k WHERE k.trainer_id = trainers.id AND k.state <> 'closed') AS open_ticket,
           (SELECT d.state FROM dialogues d WHERE d.trainer_id = trainers.id) AS dialogue",
    )
    .bind(channel)
    .bind(user_ref)
    .bind(chat_ref.into())
    .bind(name)
    .bind(now)
    .fetch_one(c)
    .await?
    }))
}

/// The trainer with this id, if any.
///
/// # Errors
/// The query failed.
pub async fn by_id(conn: &mut Conn, id: TrainerId) -> Result<Option<Trainer>, StoreError> {
    Ok(crate::on!(conn, |c| {
        sqlx::query_as(
        "SELECT id, channel, user_ref, chat_ref, name, reminders_enabled FROM trainers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?
    }))
}

/// What the conversation step knows of the trainer: name, certification, entries,
/// reminder choice and CPR/AED card.
///
/// # Errors
/// The query failed or a stored value is unreadable.
pub async fn profile(conn: &mut Conn, trainer: &Trainer) -> Result<Profile, StoreError> {
    let (cert, cpr_card) = certification_with_card(conn, trainer.id).await?;
    Ok(Profile {
        name: trainer.name.clone(),
        cert,
        entries: entries::list(conn, trainer.id).await?,
        reminders_enabled: trainer.reminders_enabled,
        cpr_card,
    })
}

/// Turns reminders on or off for a trainer, as a statement for a [`Batch`](super::Batch).
#[must_use]
pub fn set_reminders_statement(trainer: TrainerId, on: bool) -> Statement {
    Statement::new(
        "trainers",
        "UPDATE trainers SET reminders_enabled = $2 WHERE id = $1",
    )
    .arg(trainer)
    .arg(on)
}

/// Deletes the trainer and, by cascade, everything stored about them.
///
/// # Errors
/// The query failed.
pub async fn delete(conn: &mut Conn, trainer: TrainerId) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query("DELETE FROM trainers WHERE id = $1")
        .bind(trainer)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// The certification record, if the trainer registered one.
///
/// # Errors
/// The query failed or a stored date is unreadable.
pub async fn certification(
    conn: &mut Conn,
    trainer: TrainerId,
) -> Result<Option<Certification>, StoreError> {
    Ok(certification_with_card(conn, trainer).await?.0)
}

/// The certification columns as stored, with which card sides are on file.
#[derive(sqlx::FromRow)]
struct CertificationRow {
    expires_on: NaiveDate,
    cpr_expires_on: Option<NaiveDate>,
    recertify_for_life: bool,
    audit_selected_on: Option<NaiveDate>,
    applied_on: Option<NaiveDate>,
    audit_closed_on: Option<NaiveDate>,
    counts_from: Option<NaiveDate>,
    front: bool,
    back: bool,
}

/// The certification record and which sides of the CPR/AED card are on file, in one
/// query.
///
/// # Errors
/// The query failed or a stored date is unreadable.
pub async fn certification_with_card(
    conn: &mut Conn,
    trainer: TrainerId,
) -> Result<(Option<Certification>, CardOnFile), StoreError> {
    let row: Option<CertificationRow> = crate::on!(conn, |c| sqlx::query_as(
        "SELECT expires_on, cpr_expires_on, recertify_for_life, audit_selected_on,
                applied_on, audit_closed_on, counts_from,
                cpr_front_ref IS NOT NULL AS front, cpr_back_ref IS NOT NULL AS back
         FROM certifications WHERE trainer_id = $1",
    )
    .bind(trainer)
    .fetch_optional(c)
    .await?);
    let Some(row) = row else {
        return Ok((None, CardOnFile::default()));
    };
    let cert = Certification {
        expires_on: row.expires_on,
        cpr_expires_on: row.cpr_expires_on,
        recertify_for_life: row.recertify_for_life,
        audit_selected_on: row.audit_selected_on,
        applied_on: row.applied_on,
        audit_closed_on: row.audit_closed_on,
        counts_from: row.counts_from,
    };
    Ok((
        Some(cert),
        CardOnFile {
            front: row.front,
            back: row.back,
        },
    ))
}

/// Writes the certification record (insert or replace every field).
///
/// # Errors
/// The query failed.
pub async fn save_certification(
    conn: &mut Conn,
    trainer: TrainerId,
    cert: &Certification,
) -> Result<(), StoreError> {
    save_certification_statement(trainer, cert)
        .execute(conn)
        .await?;
    Ok(())
}

/// [`save_certification`] as a statement for a [`Batch`](super::Batch).
#[must_use]
pub fn save_certification_statement(trainer: TrainerId, cert: &Certification) -> Statement {
    Statement::new(
        "certifications",
        "INSERT INTO certifications (trainer_id, expires_on, cpr_expires_on, recertify_for_life,
           audit_selected_on, applied_on, audit_closed_on, counts_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (trainer_id) DO UPDATE SET expires_on = excluded.expires_on,
           cpr_expires_on = excluded.cpr_expires_on,
           recertify_for_life = excluded.recertify_for_life,
           audit_selected_on = excluded.audit_selected_on,
           applied_on = excluded.applied_on,
           audit_closed_on = excluded.audit_closed_on,
           counts_from = excluded.counts_from",
    )
    .arg(trainer)
    .arg(cert.expires_on)
    .arg(cert.cpr_expires_on)
    .arg(cert.recertify_for_life)
    .arg(cert.audit_selected_on)
    .arg(cert.applied_on)
    .arg(cert.audit_closed_on)
    .arg(cert.counts_from)
}

/// Records the day the trainer applied for the current cycle; `false` when they have
/// no certification record.
///
/// # Errors
/// The query failed.
pub async fn record_application(
    conn: &mut Conn,
    trainer: TrainerId,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let done = record_application_statement(trainer, on)
        .execute(conn)
        .await?;
    Ok(done == 1)
}

/// [`record_application`] as a statement for a [`Batch`](super::Batch).
#[must_use]
pub fn record_application_statement(trainer: TrainerId, on: NaiveDate) -> Statement {
    Statement::new(
        "certifications",
        "UPDATE certifications SET applied_on = $2 WHERE trainer_id = $1",
    )
    .arg(trainer)
    .arg(on)
}

/// Records the day the trainer sent every audit document to NASM; `false` when they
/// have no audit on record.
///
/// # Errors
/// The query failed.
pub async fn close_audit(
    conn: &mut Conn,
    trainer: TrainerId,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let done = close_audit_statement(trainer, on).execute(conn).await?;
    Ok(done == 1)
}

/// [`close_audit`] as a statement for a [`Batch`](super::Batch).
#[must_use]
pub fn close_audit_statement(trainer: TrainerId, on: NaiveDate) -> Statement {
    Statement::new(
        "certifications",
        "UPDATE certifications SET audit_closed_on = $2
         WHERE trainer_id = $1 AND audit_selected_on IS NOT NULL",
    )
    .arg(trainer)
    .arg(on)
}

/// Records one side of the CPR/AED card, as a statement for a [`Batch`](super::Batch).
#[must_use]
pub fn set_cpr_card_statement(trainer: TrainerId, side: CardSide, reference: &str) -> Statement {
    let sql = match side {
        CardSide::Back => "UPDATE certifications SET cpr_back_ref = $2 WHERE trainer_id = $1",
        CardSide::Front => "UPDATE certifications SET cpr_front_ref = $2 WHERE trainer_id = $1",
    };
    Statement::new("certifications", sql)
        .arg(trainer)
        .arg(reference)
}

/// Stores the dialogue state.
///
/// # Errors
/// The query failed, or the state does not serialise.
pub async fn save_dialogue(
    conn: &mut Conn,
    trainer: TrainerId,
    state: &State,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    save_dialogue_statement(trainer, state, now)?
        .execute(conn)
        .await?;
    Ok(())
}

/// [`save_dialogue`] as a statement for a [`Batch`](super::Batch).
///
/// # Errors
/// The state does not serialise.
pub fn save_dialogue_statement(
    trainer: TrainerId,
    state: &State,
    now: DateTime<Utc>,
) -> Result<Statement, StoreError> {
    Ok(Statement::new(
        "dialogues",
        "INSERT INTO dialogues (trainer_id, state, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (trainer_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
    )
    .arg(trainer)
    .arg(serde_json::to_string(state)?)
    .arg(now))
}

/// Keeps the trainer's chat and display name current as of a new message, as
/// [`upsert`] does: updates `trainer`, and returns the statement to store it when
/// anything changed.
#[must_use]
pub fn arrived(trainer: &mut Trainer, chat_ref: &ChatId, name: Option<&str>) -> Option<Statement> {
    let renamed = name.is_some_and(|n| trainer.name.as_deref() != Some(n));
    if trainer.chat_ref == *chat_ref && !renamed {
        return None;
    }
    trainer.chat_ref = chat_ref.clone();
    if let Some(name) = name {
        trainer.name = Some(name.to_owned());
    }
    Some(
        Statement::new(
            "trainers",
            "UPDATE trainers SET chat_ref = $2, name = COALESCE($3, name) WHERE id = $1",
        )
        .arg(trainer.id)
        .arg(chat_ref)
        .arg(name),
    )
}
