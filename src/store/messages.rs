//! What was said: the processed-message record (exactly-once handling), the transcript,
//! and the FAQ's unanswered questions.

use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

use super::StoreError;

/// Records that `(channel, chat, message_id)` is being handled; `false` if it already
/// was (a redelivery), in which case the caller must not act again.
///
/// # Errors
/// The query failed.
pub async fn mark_processed(
    conn: &mut SqliteConnection,
    channel: &str,
    chat: &str,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO processed_messages (channel, chat_ref, message_id, processed_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
    )
    .bind(channel)
    .bind(chat)
    .bind(message_id)
    .bind(now.to_rfc3339())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Appends a line to the trainer's transcript.
///
/// # Errors
/// The query failed.
pub async fn append_transcript(
    conn: &mut SqliteConnection,
    trainer: i64,
    at: DateTime<Utc>,
    from_bot: bool,
    text: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO transcript (trainer_id, at, from_bot, text) VALUES (?1, ?2, ?3, ?4)")
        .bind(trainer)
        .bind(at.to_rfc3339())
        .bind(i64::from(from_bot))
        .bind(text)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Appends several lines to the trainer's transcript in one statement: what the trainer
/// sent (`from_bot` false) and the bot's replies.
///
/// # Errors
/// The query failed.
pub async fn append_transcript_lines(
    conn: &mut SqliteConnection,
    trainer: i64,
    at: DateTime<Utc>,
    lines: &[(bool, &str)],
) -> Result<(), StoreError> {
    if lines.is_empty() {
        return Ok(());
    }
    let at = at.to_rfc3339();
    let mut query =
        sqlx::QueryBuilder::new("INSERT INTO transcript (trainer_id, at, from_bot, text) ");
    query.push_values(lines, |mut row, (from_bot, text)| {
        row.push_bind(trainer)
            .push_bind(at.as_str())
            .push_bind(i64::from(*from_bot))
            .push_bind(*text);
    });
    query.build().execute(&mut *conn).await?;
    Ok(())
}

/// One transcript line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub at: String,
    pub from_bot: bool,
    pub text: String,
}

/// The trainer's last `n` transcript lines, oldest first.
///
/// # Errors
/// The query failed.
pub async fn recent_transcript(
    conn: &mut SqliteConnection,
    trainer: i64,
    n: u32,
) -> Result<Vec<Line>, StoreError> {
    let rows = sqlx::query(
        "SELECT at, from_bot, text FROM transcript WHERE trainer_id = ?1 ORDER BY id DESC LIMIT ?2",
    )
    .bind(trainer)
    .bind(i64::from(n))
    .fetch_all(&mut *conn)
    .await?;
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|r| Line {
            at: r.get("at"),
            from_bot: r.get::<i64, _>("from_bot") != 0,
            text: r.get("text"),
        })
        .collect();
    lines.reverse();
    Ok(lines)
}

/// Deletes transcript lines older than `before`; returns how many.
///
/// # Errors
/// The query failed.
pub async fn purge_transcript(
    conn: &mut SqliteConnection,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM transcript WHERE at < ?1")
        .bind(before.to_rfc3339())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Keeps a question the FAQ could not answer.
///
/// # Errors
/// The query failed.
pub async fn record_miss(
    conn: &mut SqliteConnection,
    text: &str,
    at: DateTime<Utc>,
    best: Option<(&str, f32)>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO faq_misses (text, at, best_topic, best_score, key) VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(text)
    .bind(at.to_rfc3339())
    .bind(best.map(|b| b.0))
        .bind(best.map(|b| f64::from(b.1)))
        .bind(miss_key(text))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The grouping key of a question: lowercase letters and digits, apostrophes dropped,
/// other characters as single spaces.
#[must_use]
pub fn miss_key(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\'' | '\u{2019}'))
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// An unanswered question and how often it was asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub text: String,
    pub count: i64,
    pub last_at: String,
    pub best_topic: Option<String>,
    pub best_score: Option<f64>,
}

/// Unanswered questions, most frequent first (case-insensitive grouping).
///
/// # Errors
/// The query failed.
pub async fn misses(conn: &mut SqliteConnection, limit: u32) -> Result<Vec<Miss>, StoreError> {
    let rows = sqlx::query(
        "SELECT MIN(text) AS text, COUNT(*) AS n, MAX(at) AS last_at,
                MAX(best_topic) AS best_topic, MAX(best_score) AS best_score
         FROM faq_misses GROUP BY COALESCE(key, lower(trim(text))) ORDER BY n DESC, last_at DESC LIMIT ?1",
    )
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Miss {
            text: r.get("text"),
            count: r.get("n"),
            last_at: r.get("last_at"),
            best_topic: r.get("best_topic"),
            best_score: r.get("best_score"),
        })
        .collect())
}
