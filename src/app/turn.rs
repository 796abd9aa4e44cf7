//! One trainer's turn in their private chat: read the trainer's record, relay to the
//! desk while a ticket is open, else step the conversation, remember the turn, apply
//! the effects and address the replies. And the short answer a trainer gets in a group.

use super::effects::Produced;
use super::{App, AppError, Content, Incoming, Outgoing};
use crate::conversation::{self, Context, Effect, Profile, Reply, State};
use crate::domain::{CardOnFile, TrainerId, private_prompt};
use crate::faq::FaqMatch;
use crate::store::arrival::{self, Known};
use crate::store::messages::{self, Speaker};
use crate::store::trainers;
use crate::store::{Batch, Conn, tickets};

/// The longest part of a trainer's message kept in the transcript, in characters.
const TRANSCRIPT_CHARS: usize = 2000;

impl App {
    /// A message in the trainer's private chat, inside the caller's transaction: one
    /// query reads what the turn needs ([`arrival::read`]), one batch writes what it
    /// changed with its processed-message record. Only first contact, an open ticket
    /// and the effects that read the store (see `effects`) cost more round trips.
    pub(super) async fn turn(
        &self,
        tx: &mut Conn,
        message: Incoming,
    ) -> Result<Vec<Outgoing>, AppError> {
        let Some((known, mut writes)) = self.arrive(tx, &message).await? else {
            return Ok(Vec::new());
        };
        let trainer = &known.trainer;
        if known.open_ticket.is_some() {
            writes.run(tx).await?;
            if let Some(ticket) = tickets::open_for(tx, trainer.id).await? {
                let relay = self.desk.relay_from_trainer(
                    tx,
                    &ticket,
                    trainer,
                    &message.content,
                    message.at,
                );
                return Ok(relay.await?);
            }
        }
        self.step(tx, known, writes, &message).await
    }

    /// Steps the conversation on what the turn read, then writes the turn: the new
    /// state and transcript, the effects, and what the batch already holds.
    async fn step(
        &self,
        tx: &mut Conn,
        known: Known,
        mut writes: Batch,
        message: &Incoming,
    ) -> Result<Vec<Outgoing>, AppError> {
        let trainer = &known.trainer;
        let profile = Profile {
            name: trainer.name.clone(),
            cert: known.cert,
            entries: known.entries,
            reminders_enabled: trainer.reminders_enabled,
            cpr_card: known.cpr_card,
        };
        let before = state(known.dialogue.as_deref());
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
            remember(&mut writes, trainer.id, message, changed, &replies)?;
        }
        let produced = self
            .apply_all(tx, &mut writes, trainer, &outcome.effects, message.at)
            .await?;
        writes.run(tx).await?;
        Ok(addressed(message, replies, produced))
    }

    /// Reads what the message finds and starts the turn's writes with its
    /// processed-message record and the trainer's current chat and name; `None` for a
    /// message id already handled.
    async fn arrive(
        &self,
        tx: &mut Conn,
        message: &Incoming,
    ) -> Result<Option<(Known, Batch)>, AppError> {
        let id = message.message_id.as_deref();
        let reading = arrival::read(tx, self.channel, &message.user, &message.chat, id).await?;
        if reading.seen {
            super::duplicate(id.unwrap_or_default());
            return Ok(None);
        }
        let mut writes = Batch::new();
        if let Some(id) = id {
            let at = message.at;
            writes.push(messages::processed_statement(
                self.channel,
                &message.chat,
                id,
                at,
            ));
        }
        let mut known = match reading.trainer {
            Some(known) => known,
            None => self.first_contact(tx, message).await?,
        };
        let renamed = trainers::arrived(&mut known.trainer, &message.chat, message.name.as_deref());
        writes.extend(renamed);
        Ok(Some((known, writes)))
    }

    /// A trainer's first message: their row is created at once (the turn's writes
    /// refer to its id), with nothing else on record.
    async fn first_contact(&self, tx: &mut Conn, message: &Incoming) -> Result<Known, AppError> {
        let arrival = trainers::upsert(
            tx,
            self.channel,
            &message.user,
            &message.chat,
            message.name.as_deref(),
            message.at,
        )
        .await?;
        Ok(Known {
            trainer: arrival.trainer,
            open_ticket: arrival.open_ticket,
            dialogue: arrival.dialogue,
            cert: None,
            cpr_card: CardOnFile::default(),
            entries: Vec::new(),
        })
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

/// Adds the dialogue state when it changed (`Some`) and the turn's transcript lines to
/// the turn's writes.
fn remember(
    writes: &mut Batch,
    trainer: TrainerId,
    message: &Incoming,
    changed: Option<&State>,
    replies: &[Reply],
) -> Result<(), AppError> {
    if let Some(state) = changed {
        writes.push(trainers::save_dialogue_statement(
            trainer, state, message.at,
        )?);
    }
    let sent = said(&message.content);
    let lines: Vec<(Speaker, &str)> = std::iter::once((Speaker::Trainer, sent.as_str()))
        .chain(replies.iter().map(|r| (Speaker::Bot, r.text.as_str())))
        .collect();
    writes.extend(messages::transcript_lines_statement(
        trainer, message.at, &lines,
    ));
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
