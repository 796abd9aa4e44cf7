//! Where personal messages go. A trainer's private chat is the only place anything
//! about them is sent: replies in that chat, reminders, advisor replies, relays and
//! hand-off notices. A chat is private when its id is the user's own (JSONL: `chat`
//! equals `user`; Telegram: a private chat's id is the user's id, a group's never is).
//!
//! In a group the bot answers general FAQ questions and nothing else: a trainer asking
//! for their status there, or anything else about their own record, is asked to write
//! privately, and nothing is stored. A trainer known only from a group gets that same
//! short prompt, with no personal data, where a personal message would have gone.

use super::{App, Content, Incoming, Outgoing};
use crate::conversation::Reply;
use crate::faq::FaqMatch;

impl Incoming {
    /// Whether this came from the sender's private chat with the bot.
    #[must_use]
    pub fn is_private(&self) -> bool {
        self.chat == self.user
    }
}

/// The prompt posted instead of a personal message where the trainer has no private
/// chat with the bot: their first name, no CEUs, dates, fees, audit or transcript.
#[must_use]
pub fn private_prompt(name: Option<&str>) -> String {
    let hello = name.map_or_else(|| "Hi".to_string(), |n| format!("Hi {n}"));
    format!(
        "{hello}, for your privacy I only talk about your own record (CEUs, dates, fees, reminders) in a private chat. Please message me directly; here I can answer general questions about recertification."
    )
}

/// A personal message for the trainer whose stored chat is `chat_ref` and whose user id
/// is `user_ref`: to their private chat, or the prompt where that is not known.
#[must_use]
pub fn personal(chat_ref: &str, user_ref: &str, name: Option<&str>, reply: Reply) -> Outgoing {
    if chat_ref == user_ref {
        Outgoing::reply(chat_ref, reply)
    } else {
        Outgoing::text(chat_ref, private_prompt(name))
    }
}

impl App {
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
        vec![Outgoing::text(
            &message.chat,
            private_prompt(message.name.as_deref()),
        )]
    }
}
