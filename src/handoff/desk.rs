//! The advisors' desk: a service over the store, as the reminders are. Tickets are
//! opened, claimed, relayed and closed through it; everything a hand-off changes is
//! written in the transaction of the message (or tick) that caused it, which the
//! caller commits.
//!
//! - this file: the desk, and the advisors' side: commands, replies, claims.
//! - `trainer`: the trainer's side: opening a ticket, relaying their messages.
//! - `tick`: scheduled work: left messages at opening, time-outs, closing time.

use crate::store::Conn;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};

use super::{
    AdvisorCommand, CardState, NO_NAME, advisor_help, parse, queue_text, sentence_start,
    status_summary, tagged_ticket,
};
use crate::conversation::{self, Context, Draft, State};
use crate::domain::{ChatId, Content, Incoming, Outgoing};
use crate::faq::Faq;
use crate::rules::Policy;
use crate::store::messages::{self, Speaker};
use crate::store::tickets::{self, Ticket, TicketState};
use crate::store::{StoreError, trainers};

mod tick;
mod trainer;

/// What someone not on the advisor list is told when they try an advisor's command.
pub const REFUSED: &str = "Only advisors can do that.";

/// The desk: the advisors' chat, who may act in it, and the policy and FAQ the
/// hand-offs read.
#[derive(Debug, Clone)]
pub struct Desk {
    policy: Arc<Policy>,
    faq: Arc<Faq>,
    /// The advisors' chat; `None`: no hand-offs open tickets.
    chat: Option<ChatId>,
    /// When non-empty, only these users may act in the advisors' chat.
    advisor_ids: Vec<String>,
    /// The bot can post in the advisors' chat (as the transport found at start-up);
    /// while not, trainers asking for a person get the phone number.
    reachable: Arc<AtomicBool>,
}

impl Desk {
    #[must_use]
    pub fn new(policy: Arc<Policy>, faq: Arc<Faq>, chat: Option<String>) -> Self {
        Self {
            policy,
            faq,
            chat: chat.map(ChatId::from),
            advisor_ids: Vec::new(),
            reachable: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Restricts the advisors' commands to these user ids (empty: anyone in the chat).
    #[must_use]
    pub fn with_advisor_ids(mut self, ids: Vec<String>) -> Self {
        self.advisor_ids = ids;
        self
    }

    /// Whether an advisors' chat is configured and reachable, so hand-offs open
    /// tickets.
    #[must_use]
    pub fn configured(&self) -> bool {
        self.chat.is_some() && self.reachable.load(Ordering::Relaxed)
    }

    /// Records whether the bot can post in the advisors' chat (shared by every clone).
    pub fn set_reachable(&self, reachable: bool) {
        self.reachable.store(reachable, Ordering::Relaxed);
    }

    /// Whether `chat` is the advisors' chat.
    #[must_use]
    pub fn is_desk(&self, chat: &ChatId) -> bool {
        self.chat.as_ref() == Some(chat)
    }

    /// Whether `user` may act in the advisors' chat: anyone without an allow-list
    /// (`RECERT_ADVISOR_IDS`), else only the users it names.
    #[must_use]
    pub fn is_advisor(&self, user: &str) -> bool {
        self.advisor_ids.is_empty() || self.advisor_ids.iter().any(|a| a == user)
    }

    /// Whether `user` writing in `chat` is refused: the advisors' chat, with an
    /// allow-list that does not name them.
    #[must_use]
    pub fn refuses(&self, chat: &str, user: &str) -> bool {
        self.chat.as_ref().is_some_and(|c| *c == *chat) && !self.is_advisor(user)
    }

    /// A message in the advisors' chat: a command, a reply to a relayed message, or
    /// chatter (ignored).
    ///
    /// # Errors
    /// The store failed.
    pub async fn advisor_message(
        &self,
        tx: &mut Conn,
        message: &Incoming,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let (Some(desk), Content::Text(text) | Content::Button(text)) =
            (&self.chat, &message.content)
        else {
            return Ok(Vec::new());
        };
        if !self.is_advisor(&message.user) {
            tracing::warn!(user = %message.user, "refused: someone not on the advisor list acted in the advisors' chat");
            // Chatter stays unanswered; a command or a button gets a refusal, no data.
            let command = parse(text).is_some() || message.reply_to.is_some();
            return Ok(if command {
                vec![Outgoing::text(desk, REFUSED)]
            } else {
                Vec::new()
            });
        }
        let command = match parse(text) {
            Some(c) => c,
            None => match message.reply_to.as_deref().and_then(tagged_ticket) {
                Some(id) => AdvisorCommand::Reply(id, text.clone()),
                None => return Ok(Vec::new()),
            },
        };
        let advisor = message.name.as_deref().unwrap_or(NO_NAME);
        let act = Act {
            desk,
            advisor,
            now: message.at,
        };
        self.command(tx, command, &act).await
    }

    async fn command(
        &self,
        tx: &mut Conn,
        command: AdvisorCommand,
        act: &Act<'_>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let id = match &command {
            AdvisorCommand::Queue => {
                let queue = queue_text(&tickets::open_tickets(tx).await?, act.now);
                return Ok(vec![act.to_desk(queue)]);
            }
            AdvisorCommand::Help => return Ok(vec![act.to_desk(advisor_help())]),
            AdvisorCommand::Usage(usage) => {
                return Ok(vec![act.to_desk(format!("Usage: {usage}"))]);
            }
            AdvisorCommand::Claim(id)
            | AdvisorCommand::Release(id)
            | AdvisorCommand::Reply(id, _)
            | AdvisorCommand::Done(id)
            | AdvisorCommand::AssistLog(id)
            | AdvisorCommand::Lookup(id) => *id,
        };
        let ticket = match tickets::get(tx, id).await? {
            Some(t)
                if t.state != TicketState::Closed
                    || matches!(command, AdvisorCommand::Lookup(_)) =>
            {
                t
            }
            _ => {
                let text = format!("Ticket #{id} is not open. /queue lists the open ones.");
                return Ok(vec![act.to_desk(text)]);
            }
        };
        match command {
            AdvisorCommand::Claim(_) => self.claim(tx, &ticket, act).await,
            AdvisorCommand::Release(_) => self.release(tx, &ticket, act).await,
            AdvisorCommand::Reply(_, text) => self.reply(tx, &ticket, &text, act).await,
            AdvisorCommand::Done(_) => self.done(tx, &ticket, act).await,
            AdvisorCommand::AssistLog(_) => self.assist_log(tx, &ticket, act).await,
            AdvisorCommand::Lookup(_) => self.lookup(tx, &ticket, act).await,
            AdvisorCommand::Queue | AdvisorCommand::Help | AdvisorCommand::Usage(_) => {
                Ok(Vec::new())
            }
        }
    }

    /// An advisor's reply, relayed to the trainer (claiming a waiting ticket first).
    async fn reply(
        &self,
        tx: &mut Conn,
        ticket: &Ticket,
        text: &str,
        act: &Act<'_>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let mut out = Vec::new();
        if ticket.state == TicketState::Waiting {
            out = self.claim(tx, ticket, act).await?;
        }
        let said = format!("{}: {text}", sentence_start(act.advisor));
        messages::append_transcript(tx, ticket.trainer_id, act.now, Speaker::Bot, &said).await?;
        let name = ticket.trainer_name.as_deref().unwrap_or("the trainer");
        let failed = act.to_desk(format!(
            "[#{}] Your reply could not be delivered to {name}: they may have blocked the bot.",
            ticket.id
        ));
        out.push(ticket.personal(said).or_else(failed));
        Ok(out)
    }

    /// `/done`: closes the ticket and hands the trainer back to the bot.
    async fn done(
        &self,
        tx: &mut Conn,
        ticket: &Ticket,
        act: &Act<'_>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        tickets::close(tx, ticket.id, act.now).await?;
        trainers::save_dialogue(tx, ticket.trainer_id, &State::Idle, act.now).await?;
        Ok(vec![
            self.card_now(tx, ticket, CardState::Closed, act).await?,
            ticket.personal("You're back with the recertification assistant. Ask me anything, or send /status. If you need a person again, send /human."),
        ])
    }

    /// `/lookup`: the trainer's name and standing, for the advisors.
    async fn lookup(
        &self,
        tx: &mut Conn,
        ticket: &Ticket,
        act: &Act<'_>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let id = ticket.id;
        let Some(trainer) = trainers::by_id(tx, ticket.trainer_id).await? else {
            return Ok(vec![act.deleted(ticket)]);
        };
        let profile = trainers::profile(tx, &trainer).await?;
        let status = conversation::replies::current_status(&profile, &self.policy, act.now);
        let name = trainer.name.as_deref().unwrap_or("(no name)");
        let text = format!("[#{id}] {name}\n{}", status_summary(status.as_ref()));
        Ok(vec![act.to_desk(text)])
    }

    async fn claim(
        &self,
        tx: &mut Conn,
        ticket: &Ticket,
        act: &Act<'_>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let id = ticket.id;
        if ticket.state == TicketState::Claimed {
            let by = ticket.advisor_name.as_deref().unwrap_or("another advisor");
            return Ok(vec![
                act.to_desk(format!("[#{id}] is already claimed by {by}.")),
            ]);
        }
        let advisor = act.advisor;
        tickets::claim(tx, id, advisor, act.now).await?;
        let card = self
            .card_now(tx, ticket, CardState::Claimed { by: advisor }, act)
            .await?;
        Ok(vec![
            card,
            ticket.personal(format!(
                "{} from the support team has joined and will reply here.",
                sentence_start(advisor)
            )),
        ])
    }

    /// `/release`: the ticket goes back in line; its card offers Claim again.
    async fn release(
        &self,
        tx: &mut Conn,
        ticket: &Ticket,
        act: &Act<'_>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        if ticket.state != TicketState::Claimed {
            return Ok(vec![
                act.to_desk(format!("[#{}] is not claimed.", ticket.id)),
            ]);
        }
        tickets::release(tx, ticket.id).await?;
        Ok(vec![
            self.card_now(tx, ticket, CardState::Waiting, act).await?,
            ticket.personal("Another advisor will pick up your request and reply here."),
        ])
    }

    /// The ticket's card as it stands now (edited in place over Telegram).
    async fn card_now(
        &self,
        tx: &mut Conn,
        ticket: &Ticket,
        state: CardState<'_>,
        act: &Act<'_>,
    ) -> Result<Outgoing, StoreError> {
        let Some(trainer) = trainers::by_id(tx, ticket.trainer_id).await? else {
            return Ok(act.deleted(ticket));
        };
        self.card_of(tx, &trainer, ticket.id, &ticket.reason, state, act.now)
            .await
    }

    /// `/assist ID log`: closes the ticket and starts the bot's CEU logging with the
    /// trainer.
    async fn assist_log(
        &self,
        tx: &mut Conn,
        ticket: &Ticket,
        act: &Act<'_>,
    ) -> Result<Vec<Outgoing>, StoreError> {
        tickets::close(tx, ticket.id, act.now).await?;
        let Some(trainer) = trainers::by_id(tx, ticket.trainer_id).await? else {
            return Ok(vec![act.deleted(ticket)]);
        };
        let profile = trainers::profile(tx, &trainer).await?;
        let ctx = Context::new(
            &self.policy,
            &self.faq,
            &profile,
            act.now,
            self.configured(),
        );
        let outcome = conversation::logging::advance(Draft::default(), &ctx, None);
        trainers::save_dialogue(tx, trainer.id, &outcome.state, act.now).await?;
        let mut out = vec![
            act.to_desk(format!(
                "[#{}] handed to the bot for CEU logging.",
                ticket.id
            )),
            ticket.personal(format!(
                "{} handed you to the assistant to log your continuing education.",
                sentence_start(act.advisor)
            )),
        ];
        out.extend(
            outcome
                .replies
                .into_iter()
                .map(|r| ticket.personal_reply(r)),
        );
        Ok(out)
    }
}

/// Who acts at the desk, where and when.
struct Act<'a> {
    desk: &'a ChatId,
    advisor: &'a str,
    now: DateTime<Utc>,
}

impl Act<'_> {
    fn to_desk(&self, text: impl Into<String>) -> Outgoing {
        Outgoing::text(self.desk, text)
    }

    fn deleted(&self, ticket: &Ticket) -> Outgoing {
        self.to_desk(format!(
            "Ticket #{}: the trainer's data was deleted.",
            ticket.id
        ))
    }
}
