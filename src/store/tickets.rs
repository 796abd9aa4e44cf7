//! Hand-off tickets and messages left while advisors were away.

use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

use super::StoreError;

/// A ticket's life: waiting for an advisor, claimed by one, or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketState {
    Waiting,
    Claimed,
    Closed,
}

impl TicketState {
    fn from_key(k: &str) -> Result<Self, StoreError> {
        match k {
            "waiting" => Ok(Self::Waiting),
            "claimed" => Ok(Self::Claimed),
            "closed" => Ok(Self::Closed),
            _ => Err(StoreError::Corrupt(format!("ticket state `{k}`"))),
        }
    }
}

/// A ticket with the trainer it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: i64,
    pub trainer_id: i64,
    pub reason: String,
    pub state: TicketState,
    pub advisor_name: Option<String>,
    pub opened_at: DateTime<Utc>,
    /// The trainer's chat, for relaying advisor replies: see [`Ticket::personal`].
    pub chat_ref: String,
    /// The trainer's user id (their private chat is the one with this id).
    pub user_ref: String,
    pub trainer_name: Option<String>,
    pub timeout_notified: bool,
    pub closing_notified: bool,
}

const SELECT: &str = "SELECT k.id, k.trainer_id, k.reason, k.state, k.advisor_name, k.opened_at,
        k.timeout_notified, k.closing_notified, t.chat_ref, t.user_ref, t.name
    FROM tickets k JOIN trainers t ON t.id = k.trainer_id";

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Ticket, StoreError> {
    let opened: String = row.get("opened_at");
    Ok(Ticket {
        id: row.get("id"),
        trainer_id: row.get("trainer_id"),
        reason: row.get("reason"),
        state: TicketState::from_key(row.get("state"))?,
        advisor_name: row.get("advisor_name"),
        opened_at: DateTime::parse_from_rfc3339(&opened)
            .map_err(|e| StoreError::Corrupt(format!("instant `{opened}`: {e}")))?
            .with_timezone(&Utc),
        chat_ref: row.get("chat_ref"),
        user_ref: row.get("user_ref"),
        trainer_name: row.get("name"),
        timeout_notified: row.get::<i64, _>("timeout_notified") != 0,
        closing_notified: row.get::<i64, _>("closing_notified") != 0,
    })
}

impl Ticket {
    /// A personal message for the ticket's trainer: to their private chat, or the
    /// prompt to write privately where none is known.
    #[must_use]
    pub fn personal(&self, text: impl Into<String>) -> crate::app::Outgoing {
        self.personal_reply(crate::conversation::Reply::text(text.into()))
    }

    /// As [`Ticket::personal`], for a reply with buttons.
    #[must_use]
    pub fn personal_reply(&self, reply: crate::conversation::Reply) -> crate::app::Outgoing {
        let name = self.trainer_name.as_deref();
        crate::app::personal(&self.chat_ref, &self.user_ref, name, reply)
    }
}

/// Opens a waiting ticket for the trainer and returns its id.
///
/// # Errors
/// The query failed (including when the trainer already has an open ticket).
pub async fn open(
    conn: &mut SqliteConnection,
    trainer: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO tickets (trainer_id, reason, state, opened_at) VALUES (?1, ?2, 'waiting', ?3) RETURNING id",
    )
    .bind(trainer)
    .bind(reason)
    .bind(now.to_rfc3339())
    .fetch_one(&mut *conn)
    .await?)
}

/// The trainer's open (waiting or claimed) ticket, if any.
///
/// # Errors
/// The query failed.
pub async fn open_for(
    conn: &mut SqliteConnection,
    trainer: i64,
) -> Result<Option<Ticket>, StoreError> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE k.trainer_id = ?1 AND k.state <> 'closed'"
    ))
    .bind(trainer)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// A ticket by id.
///
/// # Errors
/// The query failed.
pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Option<Ticket>, StoreError> {
    let row = sqlx::query(&format!("{SELECT} WHERE k.id = ?1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Every open ticket, oldest first.
///
/// # Errors
/// The query failed.
pub async fn open_tickets(conn: &mut SqliteConnection) -> Result<Vec<Ticket>, StoreError> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE k.state <> 'closed' ORDER BY k.opened_at, k.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Marks a ticket claimed by `advisor`.
///
/// # Errors
/// The query failed.
pub async fn claim(
    conn: &mut SqliteConnection,
    id: i64,
    advisor: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE tickets SET state = 'claimed', advisor_name = ?2, claimed_at = ?3 WHERE id = ?1",
    )
    .bind(id)
    .bind(advisor)
    .bind(now.to_rfc3339())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Closes a ticket.
///
/// # Errors
/// The query failed.
pub async fn close(
    conn: &mut SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET state = 'closed', closed_at = ?2 WHERE id = ?1")
        .bind(id)
        .bind(now.to_rfc3339())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records that the trainer was given the phone number (`timeout`) or that both sides
/// were told of closing time (`closing`).
///
/// # Errors
/// The query failed.
pub async fn mark_notified(
    conn: &mut SqliteConnection,
    id: i64,
    closing: bool,
) -> Result<(), StoreError> {
    let sql = if closing {
        "UPDATE tickets SET closing_notified = 1 WHERE id = ?1"
    } else {
        "UPDATE tickets SET timeout_notified = 1 WHERE id = ?1"
    };
    sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Keeps a message left while advisors were away.
///
/// # Errors
/// The query failed.
pub async fn leave_message(
    conn: &mut SqliteConnection,
    trainer: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO left_messages (trainer_id, text, left_at) VALUES (?1, ?2, ?3)")
        .bind(trainer)
        .bind(text)
        .bind(now.to_rfc3339())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A message left for the advisors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftMessage {
    pub id: i64,
    pub trainer_id: i64,
    pub text: String,
    pub left_at: String,
}

/// Messages not yet delivered to the advisors, oldest first.
///
/// # Errors
/// The query failed.
pub async fn pending_left_messages(
    conn: &mut SqliteConnection,
) -> Result<Vec<LeftMessage>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, trainer_id, text, left_at FROM left_messages WHERE delivered_at IS NULL ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| LeftMessage {
            id: r.get("id"),
            trainer_id: r.get("trainer_id"),
            text: r.get("text"),
            left_at: r.get("left_at"),
        })
        .collect())
}

/// Marks a left message as delivered to the advisors.
///
/// # Errors
/// The query failed.
pub async fn mark_left_delivered(
    conn: &mut SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE left_messages SET delivered_at = ?2 WHERE id = ?1")
        .bind(id)
        .bind(now.to_rfc3339())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
