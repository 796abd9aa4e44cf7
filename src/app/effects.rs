//! Applying a turn's effects to the store, and the `/export` file one of them asks for.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{App, AppError, Document};
use crate::conversation::Effect;
use crate::reminders;
use crate::store::trainers::{self, Trainer};
use crate::store::{entries, export, messages, tickets};

impl App {
    /// Carries out one effect of the step inside the message's transaction.
    pub(super) async fn apply(
        &self,
        tx: &mut SqliteConnection,
        trainer: &Trainer,
        effect: &Effect,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let id = trainer.id;
        match effect {
            Effect::SaveCertification(cert) => {
                trainers::save_certification(tx, id, cert).await?;
                reminders::refresh_next(tx, &self.policy, id, now).await?;
            }
            Effect::SaveEntry(entry) => {
                entries::insert(tx, id, entry, now).await?;
            }
            Effect::UpdateEntry {
                id: entry_id,
                entry,
            } => {
                entries::update(tx, id, *entry_id, entry).await?;
            }
            Effect::DeleteEntry { id: entry_id } => {
                entries::delete(tx, id, *entry_id).await?;
            }
            Effect::AttachDocument {
                entry_id,
                reference,
            } => {
                entries::attach_document(tx, id, *entry_id, reference).await?;
            }
            Effect::AttachCprCard { back, reference } => {
                trainers::set_cpr_card(tx, id, *back, reference).await?
            }
            Effect::ApprovePetition { id: entry_id } => {
                entries::approve_petition(tx, id, *entry_id).await?;
            }
            Effect::DeclinePetition { id: entry_id } => {
                entries::decline_petition(tx, id, *entry_id).await?;
            }
            // Both change which reminders the cycle calls for (the schedule leaves out
            // the renewal stream once applied, the audit stream once closed).
            Effect::RecordApplication { on } => {
                trainers::record_application(tx, id, *on).await?;
                reminders::refresh_next(tx, &self.policy, id, now).await?;
            }
            Effect::CloseAudit { on } => {
                trainers::close_audit(tx, id, *on).await?;
                reminders::refresh_next(tx, &self.policy, id, now).await?;
            }
            Effect::RecordFaqMiss { text, best } => {
                messages::record_miss(tx, text, now, best.as_ref().map(|(t, s)| (t.as_str(), *s)))
                    .await?;
            }
            Effect::SetReminders(on) => trainers::set_reminders(tx, id, *on).await?,
            Effect::RequestHuman { reason } => {
                tracing::info!(trainer = id, reason = %reason, "trainer asked for a person");
            }
            Effect::LeaveMessage { text } => tickets::leave_message(tx, id, text, now).await?,
            Effect::Forget => trainers::delete(tx, id).await?,
            // Read-only: the record is attached to the reply in `handle`.
            Effect::Export => {}
        }
        Ok(())
    }

    /// The trainer's own record as a JSON file (`/export`): read in the message's
    /// transaction, so it matches what the store holds at that moment.
    pub(super) async fn export(
        &self,
        tx: &mut SqliteConnection,
        trainer: &Trainer,
        now: DateTime<Utc>,
    ) -> Result<Document, AppError> {
        let record = export::record(tx, trainer).await?;
        Ok(Document {
            name: format!("recert-bot-export-{}.json", now.format("%Y-%m-%d")),
            mime: "application/json".into(),
            content: serde_json::to_string_pretty(&record)?,
        })
    }
}
