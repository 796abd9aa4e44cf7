//! The intents file (`faq/intents.toml`): every intent the bot knows, with example
//! messages the support team can add to. Checked when it loads; an error names the file,
//! the intent and the line.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

/// A field the logging dialogue asks for, answered in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Hours,
    Area,
    Date,
    Provider,
}

/// What a message (or one part of it) asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Label {
    LogCeu,
    Status,
    Fees,
    SetExpiration,
    CprCard,
    Delete,
    Edit,
    Yes,
    No,
    Cancel,
    Handoff,
    RemindersOff,
    RemindersOn,
    AuditSelected,
    AuditSent,
    PetitionApproved,
    PetitionDeclined,
    Applied,
    LifetimeMember,
    Forget,
    Export,
    Help,
    Greeting,
    Thanks,
    /// A general question one FAQ entry answers (its id).
    Faq(String),
    /// The answer to the question the logging dialogue asked (only read while it waits
    /// for that field).
    Answer(Slot),
    /// Nothing the bot handles.
    Other,
    /// A sentence around a request that asks for nothing (feelings, circumstances): read
    /// only in the parts of a message, never as a whole message's reading.
    Background,
}

/// Every label other than the FAQ topics, with its name in the file.
pub const FIXED: [(&str, Label); 30] = [
    ("log_ceu", Label::LogCeu),
    ("status", Label::Status),
    ("fees", Label::Fees),
    ("set_expiration", Label::SetExpiration),
    ("cpr_card", Label::CprCard),
    ("delete", Label::Delete),
    ("edit", Label::Edit),
    ("yes", Label::Yes),
    ("no", Label::No),
    ("cancel", Label::Cancel),
    ("handoff", Label::Handoff),
    ("reminders_off", Label::RemindersOff),
    ("reminders_on", Label::RemindersOn),
    ("audit_selected", Label::AuditSelected),
    ("audit_sent", Label::AuditSent),
    ("petition_approved", Label::PetitionApproved),
    ("petition_declined", Label::PetitionDeclined),
    ("applied", Label::Applied),
    ("lifetime_member", Label::LifetimeMember),
    ("forget", Label::Forget),
    ("export", Label::Export),
    ("help", Label::Help),
    ("greeting", Label::Greeting),
    ("thanks", Label::Thanks),
    ("answer_hours", Label::Answer(Slot::Hours)),
    ("answer_area", Label::Answer(Slot::Area)),
    ("answer_date", Label::Answer(Slot::Date)),
    ("answer_provider", Label::Answer(Slot::Provider)),
    ("other", Label::Other),
    ("background", Label::Background),
];

/// The fewest examples an intent may have.
pub const MIN_EXAMPLES: usize = 5;

impl Label {
    /// The label's name as the intents file and the evaluation sets write it
    /// (`log_ceu`, `faq:petition`; every answer is `answer`).
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Faq(id) => format!("faq:{id}"),
            Self::Answer(_) => "answer".into(),
            other => FIXED
                .iter()
                .find(|(_, l)| l == other)
                .map_or("other", |(n, _)| n)
                .to_string(),
        }
    }

    /// The label a name in the file stands for; `None` for an unknown name.
    #[must_use]
    pub fn parse(name: &str, faq_ids: &[&str]) -> Option<Self> {
        if let Some(id) = name.strip_prefix("faq:") {
            return faq_ids.contains(&id).then(|| Self::Faq(id.to_string()));
        }
        FIXED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, l)| l.clone())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    intent: Vec<RawIntent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntent {
    name: Spanned<String>,
    examples: Vec<Spanned<String>>,
}

/// An intent and its examples, as loaded.
#[derive(Debug, Clone)]
pub struct Intent {
    pub label: Label,
    pub examples: Vec<String>,
}

/// Why the intents file was refused: the file, and a message naming the intent and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct IntentsError {
    pub file: String,
    pub message: String,
}

/// Parses and checks an intents file. `faq_ids` are the FAQ's entry ids: `faq:<id>` must
/// name one, or with `strict` false (the embedded file beside a replaced FAQ) the
/// intent is skipped.
///
/// # Errors
/// Bad TOML, an unknown or repeated intent, an empty or repeated example, an intent with
/// fewer than [`MIN_EXAMPLES`] examples, or a built-in intent missing.
pub fn parse(
    file: &str,
    text: &str,
    faq_ids: &[&str],
    strict: bool,
) -> Result<Vec<Intent>, IntentsError> {
    let source = Source { file, text };
    let raw: File = toml::from_str(text).map_err(|e: toml::de::Error| {
        let at = e.span().map_or(1, |s| source.line(s.start));
        source.fail(format!("line {at}: {}", e.message().trim()))
    })?;
    let mut out: Vec<Intent> = Vec::new();
    let mut seen = HashMap::new();
    for r in raw.intent {
        let Some(label) = source.label(&r.name, faq_ids, strict)? else {
            continue;
        };
        if out.iter().any(|i| i.label == label) {
            let (name, at) = (r.name.get_ref(), source.line(r.name.span().start));
            return Err(source.fail(format!("intent `{name}` (line {at}) is listed twice")));
        }
        let examples = source.examples(&r, &mut seen)?;
        out.push(Intent { label, examples });
    }
    if let Some((n, _)) = FIXED
        .iter()
        .find(|(_, l)| *l != Label::Background && !out.iter().any(|i| &i.label == l))
    {
        return Err(source.fail(format!(
            "intent `{n}` is missing: every built-in intent needs examples"
        )));
    }
    Ok(out)
}

/// The intents file being parsed: its name for errors, its text for line numbers.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn fail(&self, message: String) -> IntentsError {
        IntentsError {
            file: self.file.to_string(),
            message,
        }
    }

    /// The line number of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    /// The label an intent's name stands for; `None` for an FAQ entry the FAQ does not
    /// have when not `strict`.
    fn label(
        &self,
        name: &Spanned<String>,
        faq_ids: &[&str],
        strict: bool,
    ) -> Result<Option<Label>, IntentsError> {
        let (at, name) = (self.line(name.span().start), name.get_ref());
        if !strict && name.starts_with("faq:") && Label::parse(name, faq_ids).is_none() {
            return Ok(None);
        }
        Label::parse(name, faq_ids).map(Some).ok_or_else(|| {
            self.fail(format!(
                "intent `{name}` (line {at}) is unknown: use a built-in name or faq:<id of an FAQ entry>"
            ))
        })
    }

    /// An intent's examples, checked: enough of them, none empty, none already an
    /// example of this or another intent (`seen`: normalised example -> intent name).
    fn examples(
        &self,
        r: &RawIntent,
        seen: &mut HashMap<String, String>,
    ) -> Result<Vec<String>, IntentsError> {
        let (name, at) = (r.name.get_ref(), self.line(r.name.span().start));
        if r.examples.len() < MIN_EXAMPLES {
            return Err(self.fail(format!(
                "intent `{name}` (line {at}) has {} examples; give at least {MIN_EXAMPLES}",
                r.examples.len()
            )));
        }
        let mut examples = Vec::with_capacity(r.examples.len());
        for e in &r.examples {
            let at = self.line(e.span().start);
            let key = super::normalize(e.get_ref());
            if key.chars().all(|c| !c.is_alphanumeric()) && key.is_ascii() {
                return Err(self.fail(format!(
                    "intent `{name}`: the example on line {at} is empty"
                )));
            }
            if let Some(other) = seen.insert(key, name.clone()) {
                return Err(self.fail(format!(
                    "intent `{name}`: the example on line {at} is already an example of `{other}`"
                )));
            }
            examples.push(e.get_ref().clone());
        }
        Ok(examples)
    }
}
