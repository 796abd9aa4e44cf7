//! Incoming updates turned into [`Incoming`] messages for the app, as a pure function:
//! which updates the bot acts on, and what they mean.
//!
//! - Private chats: every message. Groups: only messages that mention the bot, reply
//!   to it, or are commands (not addressed to another bot). The advisors' chat: every
//!   message (the app routes it to the hand-off).
//! - Text becomes [`Content::Text`] (the bot's `@name` removed), a button press
//!   [`Content::Button`], photos and documents [`Content::File`] with the Telegram
//!   file id, voice and audio [`Content::VoiceFailed`] until the handler transcribes
//!   them (see [`voice_note`] and the `voice` module), anything else
//!   [`Content::Unsupported`].
//! - Edited messages, channel posts, service messages and other update kinds are ignored.
//! - A reply carries the replied-to message's text in `reply_to` (advisors answering a
//!   relayed `[#ID]` message).
//! - Exactly once: messages carry `m:<message id>` (unique within the chat), button
//!   presses `cb:<callback query id>`; the app records them as processed.

use chrono::{DateTime, Utc};
use teloxide::types::{
    CallbackQuery, ChatKind, MediaKind, Message, MessageEntityKind, MessageKind, Update,
    UpdateKind, User, UserId,
};

use crate::domain::{Content, Incoming, VoiceFailure};

/// Who the bot is (from getMe), to recognise mentions and replies in groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotIdentity {
    pub id: UserId,
    /// The username without `@`.
    pub username: String,
}

/// What to do with one update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound {
    /// Hand it to the app.
    Handle(Incoming),
    /// Leave it; the reason is for the debug log.
    Ignore(&'static str),
}

/// A voice note or audio file as Telegram announces it, before any download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceNote {
    pub file_id: String,
    /// The size Telegram gives (`None` when it gives none).
    pub size: Option<u64>,
    /// The MIME type Telegram gives (trusted over any file name); a voice note without
    /// one is OGG/Opus, an audio file without one is judged by its file name.
    pub mime: Option<String>,
}

/// The voice note, audio file or video note an update carries, if any.
#[must_use]
pub fn voice_note(update: &Update) -> Option<VoiceNote> {
    let UpdateKind::Message(m) = &update.kind else {
        return None;
    };
    let MessageKind::Common(common) = &m.kind else {
        return None;
    };
    let size = |bytes: u32| (bytes > 0).then_some(u64::from(bytes));
    let (file, mime) = match &common.media_kind {
        MediaKind::Voice(v) => (
            &v.voice.file,
            Some(
                v.voice
                    .mime_type
                    .as_ref()
                    .map_or("audio/ogg", |m| m.essence_str())
                    .to_string(),
            ),
        ),
        MediaKind::Audio(a) => (
            &a.audio.file,
            a.audio
                .mime_type
                .as_ref()
                .map(|m| m.essence_str().to_string())
                .or_else(|| {
                    a.audio
                        .file_name
                        .as_deref()
                        .and_then(crate::stt::audio::mime_for_name)
                        .map(str::to_string)
                }),
        ),
        MediaKind::VideoNote(v) => (&v.video_note.file, Some("video/mp4".to_string())),
        _ => return None,
    };
    Some(VoiceNote {
        file_id: file.id.0.clone(),
        size: size(file.size),
        mime,
    })
}

/// Maps an update to what the app should see. `advisor_chat` is the configured
/// advisors' chat id; `at` is the handling instant.
#[must_use]
pub fn inbound(
    update: &Update,
    me: &BotIdentity,
    advisor_chat: Option<&str>,
    at: DateTime<Utc>,
) -> Inbound {
    match &update.kind {
        UpdateKind::Message(m) => message(m, me, advisor_chat, at),
        UpdateKind::CallbackQuery(q) => callback(q, at),
        UpdateKind::EditedMessage(_) => Inbound::Ignore("edited message"),
        UpdateKind::ChannelPost(_) | UpdateKind::EditedChannelPost(_) => {
            Inbound::Ignore("channel post")
        }
        _ => Inbound::Ignore("update kind not handled"),
    }
}

fn message(
    m: &Message,
    me: &BotIdentity,
    advisor_chat: Option<&str>,
    at: DateTime<Utc>,
) -> Inbound {
    let chat = m.chat.id.0.to_string();
    let common = match &m.kind {
        MessageKind::Common(common) => Some(common),
        // Sent by the user, but nothing the bot reads: the polite reply.
        MessageKind::Dice(_)
        | MessageKind::WebAppData(_)
        | MessageKind::ChatShared(_)
        | MessageKind::UsersShared(_)
        | MessageKind::PassportData(_)
        | MessageKind::Giveaway(_) => None,
        _ => return Inbound::Ignore("service message"),
    };
    let Some(from) = m.from.as_ref() else {
        return Inbound::Ignore("no sender");
    };
    if from.is_bot {
        return Inbound::Ignore("from a bot");
    }
    let advisors = advisor_chat == Some(chat.as_str());
    let private = matches!(m.chat.kind, ChatKind::Private(_));
    if !private && !advisors && !addressed(m, me) {
        return Inbound::Ignore("group message not addressed to the bot");
    }
    let Some(common) = common else {
        return Inbound::Handle(incoming(m, from, at, Content::Unsupported));
    };
    let content = match &common.media_kind {
        MediaKind::Text(t) => Content::Text(strip_mention(&t.text, &me.username)),
        MediaKind::Photo(p) => match p.photo.iter().max_by_key(|s| s.width * s.height) {
            Some(size) => file(size.file.id.0.clone(), p.caption.as_deref(), me),
            None => Content::Unsupported,
        },
        MediaKind::Document(d) => file(d.document.file.id.0.clone(), d.caption.as_deref(), me),
        MediaKind::Voice(_) | MediaKind::Audio(_) | MediaKind::VideoNote(_) => {
            Content::VoiceFailed {
                reason: VoiceFailure::NotConfigured,
            }
        }
        _ => Content::Unsupported,
    };
    Inbound::Handle(incoming(m, from, at, content))
}

fn incoming(m: &Message, from: &User, at: DateTime<Utc>, content: Content) -> Incoming {
    Incoming {
        chat: m.chat.id.0.to_string().into(),
        user: from.id.0.to_string(),
        name: Some(from.first_name.clone()),
        message_id: Some(format!("m:{}", m.id.0)),
        at,
        content,
        reply_to: m
            .reply_to_message()
            .and_then(|r| r.text().or_else(|| r.caption()))
            .map(str::to_string),
    }
}

fn file(reference: String, caption: Option<&str>, me: &BotIdentity) -> Content {
    Content::File {
        reference,
        caption: caption
            .map(|c| strip_mention(c, &me.username))
            .filter(|c| !c.is_empty()),
    }
}

fn callback(q: &CallbackQuery, at: DateTime<Utc>) -> Inbound {
    let Some(data) = q.data.clone() else {
        return Inbound::Ignore("callback query without data");
    };
    let chat = q
        .message
        .as_ref()
        .map_or(q.from.id.0.to_string(), |m| m.chat().id.0.to_string());
    Inbound::Handle(Incoming {
        chat: chat.into(),
        user: q.from.id.0.to_string(),
        name: Some(q.from.first_name.clone()),
        message_id: Some(format!("cb:{}", q.id.0)),
        at,
        content: Content::Button(data),
        reply_to: None,
    })
}

/// A group message is for the bot when it replies to the bot, mentions it, or is a
/// command not addressed to another bot.
fn addressed(m: &Message, me: &BotIdentity) -> bool {
    let replied = m
        .reply_to_message()
        .and_then(|r| r.from.as_ref())
        .is_some_and(|u: &User| u.id == me.id);
    if replied {
        return true;
    }
    let Some(entities) = m.parse_entities().or_else(|| m.parse_caption_entities()) else {
        return false;
    };
    let name = format!("@{}", me.username.to_lowercase());
    entities.iter().any(|e| match e.kind() {
        MessageEntityKind::Mention => e.text().to_lowercase() == name,
        MessageEntityKind::TextMention { user } => user.id == me.id,
        MessageEntityKind::BotCommand => {
            e.start() == 0
                && e.text()
                    .split_once('@')
                    .is_none_or(|(_, bot)| bot.eq_ignore_ascii_case(&me.username))
        }
        _ => false,
    })
}

/// Removes `@username` (any case) from a message and trims it.
#[must_use]
pub fn strip_mention(text: &str, username: &str) -> String {
    if username.is_empty() {
        return text.trim().to_string();
    }
    let needle = format!("@{username}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = find_ignore_case(rest, &needle) {
        out.push_str(&rest[..i]);
        rest = &rest[i + needle.len()..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

fn find_ignore_case(hay: &str, needle: &str) -> Option<usize> {
    hay.char_indices().map(|(i, _)| i).find(|&i| {
        hay.get(i..i + needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

#[cfg(test)]
mod tests;
