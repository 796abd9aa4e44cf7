//! What a message in a trainer's private chat finds, in one query: whether its id was
//! handled already, the trainer, their open ticket and dialogue state, and what the
//! conversation step reads of their record (certification, CPR/AED card, entries).
//! Nothing is written here: the turn's writes, the processed-message record among
//! them, go into one [`Batch`](super::Batch) (see `app::turn`).

use chrono::NaiveDate;

use super::entries::EntryRow;
use super::trainers::Trainer;
use super::{Conn, StoreError};
use crate::domain::{CardOnFile, ChatId, EntryId, TicketId, TrainerId};
use crate::rules::{CeEntry, Certification};

/// What the query found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The message id was handled already (a redelivery): do nothing.
    pub seen: bool,
    /// `None` on first contact.
    pub trainer: Option<Known>,
}

/// A trainer on record, as the turn needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub trainer: Trainer,
    pub open_ticket: Option<TicketId>,
    /// The serialised dialogue state, if one is stored.
    pub dialogue: Option<String>,
    pub cert: Option<Certification>,
    pub cpr_card: CardOnFile,
    /// Every entry, oldest completion first.
    pub entries: Vec<CeEntry>,
}

/// One row per entry (one with empty entry columns when there is none), each carrying
/// the trainer's columns; every column is nullable, as the joins are outer.
#[derive(sqlx::FromRow)]
struct Row {
    seen: bool,
    id: Option<TrainerId>,
    chat_ref: Option<ChatId>,
    name: Option<String>,
    reminders_enabled: Option<bool>,
    open_ticket: Option<TicketId>,
    dialogue: Option<String>,
    expires_on: Option<NaiveDate>,
    cpr_expires_on: Option<NaiveDate>,
    recertify_for_life: Option<bool>,
    audit_selected_on: Option<NaiveDate>,
    applied_on: Option<NaiveDate>,
    audit_closed_on: Option<NaiveDate>,
    counts_from: Option<NaiveDate>,
    front: Option<bool>,
    back: Option<bool>,
    entry_id: Option<EntryId>,
    completed_on: Option<NaiveDate>,
    minutes: Option<i64>,
    area: Option<String>,
    provider: Option<String>,
    title: Option<String>,
    petition_approved: Option<bool>,
    petition_declined: Option<bool>,
    has_document: Option<bool>,
}

/// The same text on both backends: `$1` channel, `$2` user, `$3` chat, `$4` message id.
const READ: &str = "
SELECT EXISTS (SELECT 1 FROM processed_messages p
               WHERE p.channel = $1 AND p.chat_ref = $3 AND p.message_id = $4) AS seen,
       t.id, t.chat_ref, t.name, t.reminders_enabled,
       (SELECT k.id FROM tickets k WHERE k.trainer_id = t.id AND k.state <> 'closed') AS open_ticket,
       d.state AS dialogue,
       c.expires_on, c.cpr_expires_on, c.recertify_for_life, c.audit_selected_on,
       c.applied_on, c.audit_closed_on, c.counts_from,
       c.cpr_front_ref IS NOT NULL AS front, c.cpr_back_ref IS NOT NULL AS back,
       e.id AS entry_id, e.completed_on, e.minutes, e.area, e.provider, e.title,
       e.petition_approved, e.petition_declined, e.document_ref IS NOT NULL AS has_document
FROM (SELECT 1 AS one) o
LEFT JOIN trainers t ON t.channel = $1 AND t.user_ref = $2
LEFT JOIN dialogues d ON d.trainer_id = t.id
LEFT JOIN certifications c ON c.trainer_id = t.id
LEFT JOIN ce_entries e ON e.trainer_id = t.id
ORDER BY e.completed_on, e.id";

/// Reads what a message from `(channel, user)` in `chat` finds. Take the chat's lock
/// first ([`super::messages::lock_chat`]), so no other instance handles this chat
/// until the caller's transaction ends.
///
/// # Errors
/// The query failed or a stored value is unreadable.
#[tracing::instrument(skip_all)]
pub async fn read(
    conn: &mut Conn,
    channel: &str,
    user: &str,
    chat: &ChatId,
    message_id: Option<&str>,
) -> Result<Reading, StoreError> {
    let rows: Vec<Row> = crate::on!(conn, |c| sqlx::query_as(READ)
        .bind(channel)
        .bind(user)
        .bind(chat)
        .bind(message_id)
        .fetch_all(c)
        .await?);
    let seen = rows.first().is_some_and(|r| r.seen);
    let trainer = known(channel, user, rows)?;
    Ok(Reading { seen, trainer })
}

fn known(channel: &str, user: &str, rows: Vec<Row>) -> Result<Option<Known>, StoreError> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let (Some(id), Some(chat_ref)) = (first.id, first.chat_ref.clone()) else {
        return Ok(None);
    };
    let trainer = Trainer {
        id,
        channel: channel.to_owned(),
        user_ref: user.to_owned(),
        chat_ref,
        name: first.name.clone(),
        reminders_enabled: first.reminders_enabled.unwrap_or(true),
    };
    let cert = first.expires_on.map(|expires_on| Certification {
        expires_on,
        cpr_expires_on: first.cpr_expires_on,
        recertify_for_life: first.recertify_for_life.unwrap_or(false),
        audit_selected_on: first.audit_selected_on,
        applied_on: first.applied_on,
        audit_closed_on: first.audit_closed_on,
        counts_from: first.counts_from,
    });
    let cpr_card = CardOnFile {
        front: first.front.unwrap_or(false),
        back: first.back.unwrap_or(false),
    };
    let (open_ticket, dialogue) = (first.open_ticket, first.dialogue.clone());
    let entries = rows
        .into_iter()
        .filter_map(entry_row)
        .map(EntryRow::entry)
        .collect::<Result<_, _>>()?;
    Ok(Some(Known {
        trainer,
        open_ticket,
        dialogue,
        cert,
        cpr_card,
        entries,
    }))
}

/// The row's entry, if it has one.
fn entry_row(row: Row) -> Option<EntryRow> {
    Some(EntryRow {
        id: row.entry_id?,
        completed_on: row.completed_on?,
        minutes: row.minutes?,
        area: row.area?,
        provider: row.provider?,
        title: row.title,
        petition_approved: row.petition_approved.unwrap_or(false),
        petition_declined: row.petition_declined.unwrap_or(false),
        has_document: row.has_document.unwrap_or(false),
    })
}
