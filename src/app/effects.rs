//! Applying a turn's effects to the store, each inside the message's transaction, with
//! what they produce besides the change: the `/export` file, and the messages of a
//! ticket opened for the trainer.

use chrono::{DateTime, Utc};

use super::{App, AppError, Attachment, Outgoing};
use crate::conversation::Effect;
use crate::domain::{Switch, TrainerId};
use crate::reminders;
use crate::rules::hours;
use crate::store::trainers::{self, Trainer};
use crate::store::{Batch, Conn, Statement, entries, export, messages, tickets};

/// What applying effects produced besides the changes to the store.
#[derive(Debug, Default)]
pub(super) struct Produced {
    /// The trainer's record as a file (`/export`), sent with the first reply.
    pub export: Option<Attachment>,
    /// Messages beyond the replies (a ticket's card for the advisors, its notice).
    pub messages: Vec<Outgoing>,
}

impl App {
    /// Applies the effects in order; what they produce, together. Plain writes join
    /// the turn's `writes`; an effect that reads the store sends them first, so it
    /// sees everything before it.
    pub(super) async fn apply_all(
        &self,
        tx: &mut Conn,
        writes: &mut Batch,
        trainer: &Trainer,
        effects: &[Effect],
        now: DateTime<Utc>,
    ) -> Result<Produced, AppError> {
        let mut produced = Produced::default();
        for effect in effects {
            match write(trainer.id, effect, now) {
                Some(statement) => writes.push(statement),
                None => {
                    writes.run(tx).await?;
                    self.apply(tx, trainer, effect, now, &mut produced).await?;
                }
            }
            if changes_schedule(effect) {
                writes.run(tx).await?;
                reminders::refresh_next(tx, &self.policy, trainer.id, now).await?;
            }
        }
        Ok(produced)
    }

    /// Carries out an effect that reads the store or produces messages, inside the
    /// message's transaction.
    async fn apply(
        &self,
        tx: &mut Conn,
        trainer: &Trainer,
        effect: &Effect,
        now: DateTime<Utc>,
        produced: &mut Produced,
    ) -> Result<(), AppError> {
        match effect {
            Effect::Forget => trainers::delete(tx, trainer.id).await?,
            Effect::RequestHuman { reason } => {
                let opened = self.request_human(tx, trainer, reason, now).await?;
                produced.messages.extend(opened);
            }
            Effect::Export => produced.export = Some(self.export(tx, trainer, now).await?),
            _ => {}
        }
        Ok(())
    }

    /// The trainer asked for (or needs) a person: during advisor hours the desk opens
    /// a ticket; otherwise the conversation has offered to leave a message.
    async fn request_human(
        &self,
        tx: &mut Conn,
        trainer: &Trainer,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>, AppError> {
        tracing::info!(trainer = %trainer.id, reason = %reason, "trainer asked for a person");
        if !hours::is_open(&self.policy.hours, now) {
            return Ok(Vec::new());
        }
        Ok(self.desk.open_ticket(tx, trainer, reason, now).await?)
    }

    /// The trainer's own record as a JSON file (`/export`): read in the message's
    /// transaction, so it matches what the store holds at that moment.
    async fn export(
        &self,
        tx: &mut Conn,
        trainer: &Trainer,
        now: DateTime<Utc>,
    ) -> Result<Attachment, AppError> {
        let record = export::record(tx, trainer).await?;
        Ok(Attachment {
            name: format!("recert-bot-export-{}.json", now.format("%Y-%m-%d")),
            mime: "application/json".into(),
            content: serde_json::to_string_pretty(&record)?,
        })
    }
}

/// The effect as one plain write for the turn's batch; `None` for an effect that reads
/// the store or produces messages ([`App::apply`]). The conversation names entries by
/// their plain row id; the store by [`EntryId`](crate::domain::EntryId). A write
/// that finds no row (an entry deleted in another chat since the step read it) does
/// nothing.
fn write(id: TrainerId, effect: &Effect, now: DateTime<Utc>) -> Option<Statement> {
    Some(match effect {
        Effect::SaveCertification(cert) => trainers::save_certification_statement(id, cert),
        Effect::RecordApplication { on } => trainers::record_application_statement(id, *on),
        Effect::CloseAudit { on } => trainers::close_audit_statement(id, *on),
        Effect::AttachCprCard { side, reference } => {
            trainers::set_cpr_card_statement(id, *side, reference)
        }
        Effect::SetReminders(switch) => {
            trainers::set_reminders_statement(id, *switch == Switch::On)
        }
        Effect::SaveEntry(entry) => entries::insert_statement(id, entry, now),
        Effect::UpdateEntry { id: e, entry } => entries::update_statement(id, *e, entry),
        Effect::DeleteEntry { id: e } => entries::delete_statement(id, *e),
        Effect::AttachDocument {
            entry_id: e,
            reference,
        } => entries::attach_document_statement(id, *e, reference),
        Effect::ApprovePetition { id: e } => entries::approve_petition_statement(id, *e),
        Effect::DeclinePetition { id: e } => entries::decline_petition_statement(id, *e),
        Effect::RecordFaqMiss { text, best } => {
            let best = best.as_ref().map(|(t, s)| (t.as_str(), *s));
            messages::record_miss_statement(text, now, best)
        }
        Effect::LeaveMessage { text } => tickets::leave_message_statement(id, text, now),
        Effect::Forget | Effect::RequestHuman { .. } | Effect::Export => return None,
    })
}

/// Whether the effect changes which reminders the cycle calls for: a new certification
/// record, or the schedule leaving out the renewal stream once applied and the audit
/// stream once closed.
const fn changes_schedule(effect: &Effect) -> bool {
    matches!(
        effect,
        Effect::SaveCertification(_) | Effect::RecordApplication { .. } | Effect::CloseAudit { .. }
    )
}
