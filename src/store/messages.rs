//! What was said: the processed-message record (exactly-once handling), the transcript,
//! and the FAQ's unanswered questions.

use chrono::{DateTime, Utc};

use super::batch::Statement;
use super::{Conn, StoreError};
use crate::domain::{ChatId, TrainerId};
use crate::understand;

/// Records that `(channel, chat, message_id)` is being handled; `false` if it already
/// was (a redelivery), in which case the caller must not act again.
///
/// # Errors
/// The query failed.
pub async fn mark_processed(
    conn: &mut Conn,
    channel: &str,
    chat: &ChatId,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = crate::on!(conn, |c| sqlx::query(
        "INSERT INTO processed_messages (channel, chat_ref, message_id, processed_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(channel)
    .bind(chat)
    .bind(message_id)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done == 1)
}

/// Records that `(channel, chat, message_id)` was handled, for a
/// [`Batch`](super::Batch) whose caller has read that it was not (under the chat's
/// lock): a plain insert, so a second handling fails instead of acting twice.
#[must_use]
pub fn processed_statement(
    channel: &str,
    chat: &ChatId,
    message_id: &str,
    now: DateTime<Utc>,
) -> Statement {
    Statement::new(
        "processed_messages",
        "INSERT INTO processed_messages (channel, chat_ref, message_id, processed_at)
         VALUES ($1, $2, $3, $4)",
    )
    .arg(channel)
    .arg(chat)
    .arg(message_id)
    .arg(now)
}

/// Takes the per-chat lock for the rest of the caller's transaction, so messages of
/// one chat are handled one at a time across instances: on PostgreSQL a transaction
/// advisory lock on the chat's key (released at commit or rollback); on SQLite nothing,
/// since one process holds the file and its write transactions already queue.
///
/// # Errors
/// The query failed.
pub async fn lock_chat(conn: &mut Conn, channel: &str, chat: &ChatId) -> Result<(), StoreError> {
    if let Some(c) = conn.as_postgres() {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))")
            .bind(channel)
            .bind(chat)
            .execute(c)
            .await?;
    }
    Ok(())
}

/// Who said a transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    Trainer,
    /// The bot, or an advisor speaking through it.
    Bot,
}

impl Speaker {
    const fn is_bot(self) -> bool {
        matches!(self, Self::Bot)
    }
}

/// Appends a line to the trainer's transcript.
///
/// # Errors
/// The query failed.
pub async fn append_transcript(
    conn: &mut Conn,
    trainer: TrainerId,
    at: DateTime<Utc>,
    who: Speaker,
    text: &str,
) -> Result<(), StoreError> {
    crate::on!(conn, |c| sqlx::query(
        "INSERT INTO transcript (trainer_id, at, from_bot, text) VALUES ($1, $2, $3, $4)"
    )
    .bind(trainer)
    .bind(at)
    .bind(who.is_bot())
    .bind(text)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Appends several lines to the trainer's transcript in one statement (what the
/// trainer sent and the bot's replies), for a [`Batch`](super::Batch); `None` for no
/// lines.
#[must_use]
pub fn transcript_lines_statement(
    trainer: TrainerId,
    at: DateTime<Utc>,
    lines: &[(Speaker, &str)],
) -> Option<Statement> {
    if lines.is_empty() {
        return None;
    }
    let rows: Vec<String> = (0..lines.len())
        .map(|i| format!("($1, $2, ${}, ${})", 3 + 2 * i, 4 + 2 * i))
        .collect();
    let sql = format!(
        "INSERT INTO transcript (trainer_id, at, from_bot, text) VALUES {}",
        rows.join(", ")
    );
    let statement = Statement::new("transcript", sql).arg(trainer).arg(at);
    Some(
        lines
            .iter()
            .fold(statement, |s, (who, text)| s.arg(who.is_bot()).arg(*text)),
    )
}

/// One transcript line.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TranscriptLine {
    pub at: DateTime<Utc>,
    pub from_bot: bool,
    pub text: String,
}

/// The trainer's last `n` transcript lines, oldest first.
///
/// # Errors
/// The query failed.
pub async fn recent_transcript(
    conn: &mut Conn,
    trainer: TrainerId,
    n: u32,
) -> Result<Vec<TranscriptLine>, StoreError> {
    let mut lines: Vec<TranscriptLine> = crate::on!(conn, |c| {
        sqlx::query_as(
        "SELECT at, from_bot, text FROM transcript WHERE trainer_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(trainer)
    .bind(i64::from(n))
    .fetch_all(c)
    .await?
    });
    lines.reverse();
    Ok(lines)
}

/// Deletes transcript lines older than `before`; returns how many.
///
/// # Errors
/// The query failed.
pub async fn purge_transcript(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let done = crate::on!(conn, |c| sqlx::query(
        "DELETE FROM transcript WHERE at < $1"
    )
    .bind(before)
    .execute(c)
    .await?
    .rows_affected());
    Ok(done)
}

/// Keeps a question the FAQ could not answer, under its [`understand::key`] (the words
/// the FAQ matcher reads), so the misses report groups its rephrasings; a statement for
/// a [`Batch`](super::Batch).
#[must_use]
pub fn record_miss_statement(
    text: &str,
    at: DateTime<Utc>,
    best: Option<(&str, f32)>,
) -> Statement {
    Statement::new(
        "faq_misses",
        "INSERT INTO faq_misses (text, at, best_topic, best_score, key) VALUES ($1, $2, $3, $4, $5)",
    )
    .arg(text)
    .arg(at)
    .arg(best.map(|b| b.0))
    .arg(best.map(|b| f64::from(b.1)))
    .arg(understand::key(text))
}

/// An unanswered question and how often it was asked.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Miss {
    pub text: String,
    #[sqlx(rename = "n")]
    pub count: i64,
    pub last_at: DateTime<Utc>,
    pub best_topic: Option<String>,
    pub best_score: Option<f64>,
}

/// Unanswered questions, most frequent first (case-insensitive grouping).
///
/// # Errors
/// The query failed.
pub async fn misses(conn: &mut Conn, limit: u32) -> Result<Vec<Miss>, StoreError> {
    Ok(crate::on!(conn, |c| {
        sqlx::query_as(
        "SELECT MIN(text) AS text, COUNT(*) AS n, MAX(at) AS last_at,
                MAX(best_topic) AS best_topic, MAX(best_score) AS best_score
         FROM faq_misses GROUP BY COALESCE(key, lower(trim(text))) ORDER BY n DESC, last_at DESC LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(c)
    .await?
    }))
}
