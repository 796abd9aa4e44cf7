//! The pieces of one trainer's turn around the step: loading the record and dialogue
//! state, remembering the turn, and turning replies into messages.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{App, AppError, Content, Incoming, Outgoing};
use crate::conversation::{Effect, Profile, Reply, State};
use crate::rules::hours;
use crate::store::trainers::{self, Trainer};
use crate::store::{entries, messages};

impl App {
    pub(crate) async fn profile(
        &self,
        tx: &mut SqliteConnection,
        trainer: &Trainer,
    ) -> Result<Profile, AppError> {
        let (cert, cpr_card) = trainers::certification_with_card(tx, trainer.id).await?;
        Ok(Profile {
            name: trainer.name.clone(),
            cert,
            entries: entries::list(tx, trainer.id).await?,
            reminders_enabled: trainer.reminders_enabled,
            cpr_card,
        })
    }

    /// The replies as messages to the trainer's chat: the `/export` file goes with the
    /// first, and asking for a person during advisor hours opens a ticket.
    pub(super) async fn outgoing(
        &self,
        tx: &mut SqliteConnection,
        trainer: &Trainer,
        at: DateTime<Utc>,
        chat: &str,
        replies: Vec<Reply>,
        effects: &[Effect],
    ) -> Result<Vec<Outgoing>, AppError> {
        let mut out: Vec<Outgoing> = replies
            .into_iter()
            .map(|r| Outgoing::reply(chat, r))
            .collect();
        if effects.contains(&Effect::Export)
            && let Some(first) = out.first_mut()
        {
            first.document = Some(self.export(tx, trainer, at).await?);
        }
        let human = effects.iter().find_map(|e| match e {
            Effect::RequestHuman { reason } => Some(reason.as_str()),
            _ => None,
        });
        if let Some(reason) = human
            && hours::is_open(&self.policy.hours, at)
        {
            out.extend(self.open_ticket(tx, trainer, reason, at).await?);
        }
        Ok(out)
    }
}

/// The stored dialogue state; none is `Idle`, and an unreadable one (from an older
/// version) restarts the dialogue rather than failing every message.
pub(super) fn state(json: Option<&str>) -> State {
    let Some(json) = json else { return State::Idle };
    serde_json::from_str(json).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "unreadable dialogue state; starting over");
        State::Idle
    })
}

/// Saves the dialogue state when it changed (`Some`) and the turn's transcript lines, in
/// as few statements as possible.
pub(super) async fn remember(
    tx: &mut SqliteConnection,
    trainer: i64,
    message: &Incoming,
    changed: Option<&State>,
    replies: &[Reply],
) -> Result<(), AppError> {
    if let Some(state) = changed {
        let state = serde_json::to_string(state)?;
        trainers::save_dialogue(tx, trainer, &state, message.at).await?;
    }
    let sent = said(&message.content);
    let lines: Vec<(bool, &str)> = std::iter::once((false, sent.as_str()))
        .chain(replies.iter().map(|r| (true, r.text.as_str())))
        .collect();
    messages::append_transcript_lines(tx, trainer, message.at, &lines).await?;
    Ok(())
}

/// The transcript line for what the trainer sent.
fn said(content: &Content) -> String {
    match content {
        Content::Text(t) => t.chars().take(2000).collect(),
        Content::Voice { transcript } => format!(
            "[voice] {}",
            transcript.chars().take(2000).collect::<String>()
        ),
        Content::Button(d) => format!("[button] {d}"),
        Content::File { .. } => "[file]".into(),
        Content::VoiceFailed { .. } => "[voice note, not transcribed]".into(),
        Content::Unsupported => "[unsupported message]".into(),
    }
}
