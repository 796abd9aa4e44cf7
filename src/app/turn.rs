//! One trainer's turn in their private chat: find the trainer, relay to the desk while
//! a ticket is open, else step the conversation, remember the turn, apply the effects
//! and address the replies. And the short answer a trainer gets in a group.

use super::effects::Produced;
use super::{App, AppError, Content, Incoming, Outgoing};
use crate::conversation::{self, Context, Effect, Reply, State};
use crate::domain::{TrainerId, private_prompt};
use crate::faq::FaqMatch;
use crate::store::Conn;
use crate::store::messages::{self, Speaker};
use crate::store::{tickets, trainers};

/// The longest part of a trainer's message kept in the transcript, in characters.
const TRANSCRIPT_CHARS: usize = 2000;

impl App {
    /// A message in the trainer's private chat, inside the caller's transaction.
    pub(super) async fn turn(
        &self,
        tx: &mut Conn,
        message: Incoming,
    ) -> Result<Vec<Outgoing>, AppError> {
        let arrival = trainers::upsert(
            tx,
            self.channel,
            &message.user,
            &message.chat,
            message.name.as_deref(),
            message.at,
        )
        .await?;
        let trainer = arrival.trainer;
        if arrival.open_ticket.is_some()
            && let Some(ticket) = tickets::open_for(tx, trainer.id).await?
        {
            let relay =
                self.desk
                    .relay_from_trainer(tx, &ticket, &trainer, &message.content, message.at);
            return Ok(relay.await?);
        }
        let profile = trainers::profile(tx, &trainer).await?;
        let before = state(arrival.dialogue.as_deref());
        let ctx = Context::new(
            &self.policy,
            &self.faq,
            &profile,
            message.at,
            self.desk.configured(),
        );
        let outcome = conversation::step(before.clone(), &message.content, &ctx);
        let mut replies = outcome.replies;
        if let Content::Voice { transcript } = &message.content {
            let heard = format!("I heard: \u{201c}{transcript}\u{201d}");
            replies.insert(0, Reply::text(heard));
        }
        if !outcome.effects.contains(&Effect::Forget) {
            let changed = (outcome.state != before).then_some(&outcome.state);
            remember(tx, trainer.id, &message, changed, &replies).await?;
        }
        let produced = self
            .apply_all(tx, &trainer, &outcome.effects, message.at)
            .await?;
        Ok(addressed(&message, replies, produced))
    }

    /// A trainer wrote in a group (not the advisors' chat): a confident FAQ answer is
    /// general and may stay there; anything else gets the prompt to write privately.
    /// Nothing is stored but the processed-message record.
    pub(super) fn group_message(&self, message: &Incoming) -> Vec<Outgoing> {
        if let Content::Text(text) = &message.content
            && let FaqMatch::Answer { id, .. } = self.faq.lookup(text)
            && let Some(entry) = self.faq.entry(&id)
        {
            return vec![Outgoing::text(&message.chat, entry.answer.clone())];
        }
        let prompt = private_prompt(message.name.as_deref());
        vec![Outgoing::text(&message.chat, prompt)]
    }
}

/// The replies as messages to the trainer's chat, the `/export` file with the first,
/// then the messages the effects produced (a ticket's card and notice).
fn addressed(message: &Incoming, replies: Vec<Reply>, produced: Produced) -> Vec<Outgoing> {
    let mut out: Vec<Outgoing> = replies
        .into_iter()
        .map(|r| Outgoing::reply(&message.chat, r))
        .collect();
    if let Some(first) = out.first_mut() {
        first.document = produced.export;
    }
    out.extend(produced.messages);
    out
}

/// The stored dialogue state; none is `Idle`, and an unreadable one (from an older
/// version) restarts the dialogue rather than failing every message.
fn state(json: Option<&str>) -> State {
    let Some(json) = json else { return State::Idle };
    serde_json::from_str(json).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "unreadable dialogue state; starting over");
        State::Idle
    })
}

/// Saves the dialogue state when it changed (`Some`) and the turn's transcript lines, in
/// as few statements as possible.
async fn remember(
    tx: &mut Conn,
    trainer: TrainerId,
    message: &Incoming,
    changed: Option<&State>,
    replies: &[Reply],
) -> Result<(), AppError> {
    if let Some(state) = changed {
        trainers::save_dialogue(tx, trainer, state, message.at).await?;
    }
    let sent = said(&message.content);
    let lines: Vec<(Speaker, &str)> = std::iter::once((Speaker::Trainer, sent.as_str()))
        .chain(replies.iter().map(|r| (Speaker::Bot, r.text.as_str())))
        .collect();
    messages::append_transcript_lines(tx, trainer, message.at, &lines).await?;
    Ok(())
}

/// The transcript line for what the trainer sent.
fn said(content: &Content) -> String {
    let cut = |t: &str| t.chars().take(TRANSCRIPT_CHARS).collect::<String>();
    match content {
        Content::Text(t) => cut(t),
        Content::Voice { transcript } => format!("[voice] {}", cut(transcript)),
        Content::Button(d) => format!("[button] {d}"),
        Content::File { .. } => "[file]".into(),
        Content::VoiceFailed { .. } => "[voice note, not transcribed]".into(),
        Content::Unsupported => "[unsupported message]".into(),
    }
}
