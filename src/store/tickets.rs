//! Hand-off tickets and messages left while advisors were away.

use chrono::{DateTime, Utc};

use super::batch::Statement;
use super::{Conn, StoreError};
use crate::domain::{ChatId, Outgoing, Reply, TicketId, TrainerId, personal};

/// A ticket's life: waiting for an advisor, claimed by one, or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum TicketState {
    Waiting,
    Claimed,
    Closed,
}

/// A notice a ticket's trainer gets at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Nobody claimed it in time: the trainer was given the phone number.
    Timeout,
    /// Advisors closed with it still open: both sides were told.
    Closing,
}

/// A ticket with the trainer it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Ticket {
    pub id: TicketId,
    pub trainer_id: TrainerId,
    pub reason: String,
    pub state: TicketState,
    pub advisor_name: Option<String>,
    pub opened_at: DateTime<Utc>,
    /// The trainer's chat, for relaying advisor replies: see [`Ticket::personal`].
    pub chat_ref: ChatId,
    /// The trainer's user id (their private chat is the one with this id).
    pub user_ref: String,
    pub trainer_name: Option<String>,
    pub timeout_notified: bool,
    pub closing_notified: bool,
}

const SELECT: &str = "SELECT k.id, k.trainer_id, k.reason, k.state, k.advisor_name, k.opened_at,
        k.timeout_notified, k.closing_notified, t.chat_ref, t.user_ref, t.name AS trainer_name
    FROM tickets k JOIN trainers t ON t.id = k.trainer_id";

impl Ticket {
    /// A personal message for the ticket's trainer: to their private chat, or the
    /// prompt to write privately where none is known.
    #[must_use]
    pub fn personal(&self, text: impl Into<String>) -> Outgoing {
        self.personal_reply(Reply::text(text.into()))
    }

    /// As [`Ticket::personal`], for a reply with buttons.
    #[must_use]
    pub fn personal_reply(&self, reply: Reply) -> Outgoing {
        let name = self.trainer_name.as_deref();
        personal(&self.chat_ref, &self.user_ref, name, reply)
    }
}

/// Opens a waiting ticket for the trainer and returns its id.
///
/// # Errors
/// The query failed (including when the trainer already has an open ticket).
pub async fn open(
    conn: &mut Conn,
    trainer: TrainerId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<TicketId, StoreError> {
    Ok(crate::on!(conn, |c| {
        sqlx::query_scalar(
        "INSERT INTO tickets (trainer_id, reason, state, opened_at) VALUES ($1, $2, 'waiting', $3) RETURNING id",
    )
    .bind(trainer)
    .bind(reason)
    .bind(now)
    .fetch_one(c)
    .await?
    }))
}

/// The trainer's open (waiting or claimed) ticket, if any.
///
/// # Errors
/// The query failed.
pub async fn open_for(conn: &mut Conn, trainer: TrainerId) -> Result<Option<Ticket>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(&format!(
        "{SELECT} WHERE k.trainer_id = $1 AND k.state <> 'closed'"
    ))
    .bind(trainer)
    .fetch_optional(c)
    .await?))
}

/// A ticket by id.
///
/// # Errors
/// The query failed.
pub async fn get(conn: &mut Conn, id: TicketId) -> Result<Option<Ticket>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(&format!(
        "{SELECT} WHERE k.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?))
}

/// Every open ticket, oldest first.
///
/// # Errors
/// The query failed.
pub async fn open_tickets(conn: &mut Conn) -> Result<Vec<Ticket>, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_as(&format!(
        "{SELECT} WHERE k.state <> 'closed' ORDER BY k.opened_at, k.id"
    ))
    .fetch_all(c)
    .await?))
}

/// How many tickets wait for an advisor (`/metrics`).
///
/// # Errors
/// The query failed.
pub async fn waiting(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(crate::on!(conn, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM tickets WHERE state = 'waiting'"
    )
    .fetch_one(c)
    .await?))
}

/// The open tickets the scheduled tick may notify about, oldest first. On PostgreSQL
/// they are locked for the caller's transaction and tickets another instance's tick
/// holds are skipped (`FOR UPDATE SKIP LOCKED`), so a notice is never given twice.
///
/// # Errors
/// The query failed.
pub async fn open_tickets_to_notify(conn: &mut Conn) -> Result<Vec<Ticket>, StoreError> {
    let rest = conn.pick(
        "WHERE k.state <> 'closed' ORDER BY k.opened_at, k.id",
        "WHERE k.state <> 'closed' ORDER BY k.opened_at, k.id FOR UPDATE OF k SKIP LOCKED",
    );
    let sql = format!("{SELECT} {rest}");
    Ok(crate::on!(conn, |c| sqlx::query_as(&sql)
        .fetch_all(c)
        .await?))
}

/// Marks a ticket claimed by `advisor`.
///
/// # Errors
/// The query failed.
pub async fn claim(
    conn: &mut Conn,
    id: TicketId,
    advisor: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "UPDATE tickets SET state = 'claimed', advisor_name = $2, claimed_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(advisor)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Puts a claimed ticket back in line, unclaimed (`/release`).
///
/// # Errors
/// The query failed.
pub async fn release(conn: &mut Conn, id: TicketId) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "UPDATE tickets SET state = 'waiting', advisor_name = NULL, claimed_at = NULL
         WHERE id = $1 AND state = 'claimed'",
    )
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Closes a ticket.
///
/// # Errors
/// The query failed.
pub async fn close(conn: &mut Conn, id: TicketId, now: DateTime<Utc>) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "UPDATE tickets SET state = 'closed', closed_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Records that the ticket's `notice` was given, so it is never given twice.
///
/// # Errors
/// The query failed.
pub async fn mark_notified(
    conn: &mut Conn,
    id: TicketId,
    notice: Notice,
) -> Result<(), StoreError> {
    let sql = match notice {
        Notice::Closing => "UPDATE tickets SET closing_notified = TRUE WHERE id = $1",
        Notice::Timeout => "UPDATE tickets SET timeout_notified = TRUE WHERE id = $1",
    };
    crate::on!(conn, |c| sqlx::query(sql)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// Keeps a message left while advisors were away.
///
/// # Errors
/// The query failed.
pub async fn leave_message(
    conn: &mut Conn,
    trainer: TrainerId,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    leave_message_statement(trainer, text, now)
        .execute(conn)
        .await?;
    Ok(())
}

/// [`leave_message`] as a statement for a [`Batch`](super::Batch).
#[must_use]
pub fn leave_message_statement(trainer: TrainerId, text: &str, now: DateTime<Utc>) -> Statement {
    Statement::new(
        "left_messages",
        "INSERT INTO left_messages (trainer_id, text, left_at) VALUES ($1, $2, $3)",
    )
    .arg(trainer)
    .arg(text)
    .arg(now)
}

/// A message left for the advisors.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LeftMessage {
    pub id: i64,
    pub trainer_id: TrainerId,
    pub text: String,
    pub left_at: DateTime<Utc>,
}

/// Messages not yet delivered to the advisors, oldest first (on PostgreSQL locked for
/// the caller, skipping those another instance holds).
///
/// # Errors
/// The query failed.
pub async fn pending_left_messages(conn: &mut Conn) -> Result<Vec<LeftMessage>, StoreError> {
    let sql = conn.pick(
        "SELECT id, trainer_id, text, left_at FROM left_messages WHERE delivered_at IS NULL ORDER BY id",
        "SELECT id, trainer_id, text, left_at FROM left_messages WHERE delivered_at IS NULL ORDER BY id
         FOR UPDATE SKIP LOCKED",
    );
    Ok(crate::on!(conn, |c| sqlx::query_as(sql)
        .fetch_all(c)
        .await?))
}

/// Marks a left message as delivered to the advisors.
///
/// # Errors
/// The query failed.
pub async fn mark_left_delivered(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "UPDATE left_messages SET delivered_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}
