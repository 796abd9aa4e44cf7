//! Which reminders were handled (sent or skipped), under the stable key (trainer,
//! cycle, kind), and each certification's precomputed next reminder date.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::StoreError;
use crate::domain::TrainerId;

/// Up to `limit` trainers with `id > after` whose next reminder date is on or before
/// `today`, by id. Forced onto the `certifications_next_reminder` index (ordering by id
/// alone would tempt the planner into scanning every certification): trainers with
/// nothing due cost nothing.
///
/// # Errors
/// The query failed.
pub async fn due_trainers(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    after: TrainerId,
    limit: u32,
) -> Result<Vec<TrainerId>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT trainer_id FROM certifications INDEXED BY certifications_next_reminder
         WHERE next_reminder_on IS NOT NULL AND next_reminder_on <= ?1 AND trainer_id > ?2
         ORDER BY trainer_id LIMIT ?3",
    )
    .bind(today)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// The kind keys already handled for this trainer's cycle.
///
/// # Errors
/// The query failed.
pub async fn handled(
    conn: &mut SqliteConnection,
    trainer: TrainerId,
    cycle: NaiveDate,
) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT kind FROM reminders_sent WHERE trainer_id = ?1 AND cycle = ?2")
            .bind(trainer)
            .bind(cycle)
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// One handled reminder, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Handled {
    pub trainer_id: TrainerId,
    pub cycle: NaiveDate,
    pub kind: String,
    pub due_on: NaiveDate,
    pub outcome: String,
}

/// Records a reminder as handled; `false` when its key was already recorded (then the
/// caller must not queue it again).
///
/// # Errors
/// The query failed.
pub async fn record(
    conn: &mut SqliteConnection,
    h: &Handled,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO reminders_sent (trainer_id, cycle, kind, due_on, queued_at, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    )
    .bind(h.trainer_id)
    .bind(h.cycle)
    .bind(&h.kind)
    .bind(h.due_on)
    .bind(at)
    .bind(&h.outcome)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every handled reminder of a trainer, by due date (tests, support scripts).
///
/// # Errors
/// The query failed or a stored date is unreadable.
pub async fn history(
    conn: &mut SqliteConnection,
    trainer: TrainerId,
) -> Result<Vec<Handled>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT trainer_id, cycle, kind, due_on, outcome FROM reminders_sent
         WHERE trainer_id = ?1 ORDER BY due_on, kind",
    )
    .bind(trainer)
    .fetch_all(&mut *conn)
    .await?)
}

/// Sets the certification's next reminder date (`None`: nothing left this cycle).
///
/// # Errors
/// The query failed.
pub async fn set_next(
    conn: &mut SqliteConnection,
    trainer: TrainerId,
    next: Option<NaiveDate>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE certifications SET next_reminder_on = ?2 WHERE trainer_id = ?1")
        .bind(trainer)
        .bind(next)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The certification's next reminder date, if any.
///
/// # Errors
/// The query failed or the stored date is unreadable.
pub async fn next(
    conn: &mut SqliteConnection,
    trainer: TrainerId,
) -> Result<Option<NaiveDate>, StoreError> {
    let next: Option<Option<NaiveDate>> =
        sqlx::query_scalar("SELECT next_reminder_on FROM certifications WHERE trainer_id = ?1")
            .bind(trainer)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(next.flatten())
}
