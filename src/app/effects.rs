//! Applying a turn's effects to the store, each inside the message's transaction, with
//! what they produce besides the change: the `/export` file, and the messages of a
//! ticket opened for the trainer.

use crate::store::Conn;
use chrono::{DateTime, Utc};

use super::{App, AppError, Attachment, Outgoing};
use crate::conversation::Effect;
use crate::domain::Switch;
use crate::reminders;
use crate::rules::hours;
use crate::store::trainers::{self, Trainer};
use crate::store::{entries, export, messages, tickets};

/// What applying effects produced besides the changes to the store.
#[derive(Debug, Default)]
pub(super) struct Produced {
    /// The trainer's record as a file (`/export`), sent with the first reply.
    pub export: Option<Attachment>,
    /// Messages beyond the replies (a ticket's card for the advisors, its notice).
    pub messages: Vec<Outgoing>,
}

impl App {
    /// Applies the effects in order; what they produce, together.
    pub(super) async fn apply_all(
        &self,
        tx: &mut Conn,
        trainer: &Trainer,
        effects: &[Effect],
        now: DateTime<Utc>,
    ) -> Result<Produced, AppError> {
        let mut produced = Produced::default();
        for effect in effects {
            self.apply(tx, trainer, effect, now, &mut produced).await?;
        }
        Ok(produced)
    }

    /// Carries out one effect of the step inside the message's transaction. The
    /// conversation names entries by their plain row id; the store by [`EntryId`].
    async fn apply(
        &self,
        tx: &mut Conn,
        trainer: &Trainer,
        effect: &Effect,
        now: DateTime<Utc>,
        produced: &mut Produced,
    ) -> Result<(), AppError> {
        let id = trainer.id;
        match effect {
            Effect::SaveCertification(cert) => trainers::save_certification(tx, id, cert).await?,
            Effect::RecordApplication { on } => {
                ignore_found(trainers::record_application(tx, id, *on).await?)
            }
            Effect::CloseAudit { on } => ignore_found(trainers::close_audit(tx, id, *on).await?),
            Effect::AttachCprCard { side, reference } => {
                trainers::set_cpr_card(tx, id, *side, reference).await?;
            }
            Effect::SetReminders(switch) => {
                trainers::set_reminders(tx, id, *switch == Switch::On).await?;
            }
            Effect::Forget => trainers::delete(tx, id).await?,
            Effect::SaveEntry(entry) => {
                entries::insert(tx, id, entry, now).await?;
            }
            Effect::UpdateEntry { id: e, entry } => {
                ignore_found(entries::update(tx, id, *e, entry).await?)
            }
            Effect::DeleteEntry { id: e } => ignore_found(entries::delete(tx, id, *e).await?),
            Effect::AttachDocument {
                entry_id: e,
                reference,
            } => ignore_found(entries::attach_document(tx, id, *e, reference).await?),
            Effect::ApprovePetition { id: e } => {
                ignore_found(entries::approve_petition(tx, id, *e).await?)
            }
            Effect::DeclinePetition { id: e } => {
                ignore_found(entries::decline_petition(tx, id, *e).await?)
            }
            Effect::RecordFaqMiss { text, best } => {
                let best = best.as_ref().map(|(t, s)| (t.as_str(), *s));
                messages::record_miss(tx, text, now, best).await?;
            }
            Effect::LeaveMessage { text } => tickets::leave_message(tx, id, text, now).await?,
            Effect::RequestHuman { reason } => {
                let opened = self.request_human(tx, trainer, reason, now).await?;
                produced.messages.extend(opened);
            }
            Effect::Export => produced.export = Some(self.export(tx, trainer, now).await?),
        }
        if changes_schedule(effect) {
            reminders::refresh_next(tx, &self.policy, id, now).await?;
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

/// Whether the effect changes which reminders the cycle calls for: a new certification
/// record, or the schedule leaving out the renewal stream once applied and the audit
/// stream once closed.
const fn changes_schedule(effect: &Effect) -> bool {
    matches!(
        effect,
        Effect::SaveCertification(_) | Effect::RecordApplication { .. } | Effect::CloseAudit { .. }
    )
}

/// Whether the row was there to change: an entry or record the trainer no longer has
/// (deleted in another chat since the step read it) leaves nothing to do.
const fn ignore_found(_found: bool) {}
