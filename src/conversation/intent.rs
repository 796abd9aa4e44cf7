//! What an idle message asks for, parsed once into an [`Intent`] and dispatched with a
//! `match` in the step. Pure.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::Expiring;
use super::extract::{self, DateMention, Extracted};
use crate::domain::Switch;

mod question;
pub use question::looks_like_question;

/// The longest message the bot reads; longer ones get a polite request to shorten.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// A slash command (`/status`, `/delete 2`, `/reminders off`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Status,
    Ceus,
    Cancel,
    Human,
    Reminders(Option<Switch>),
    Forget,
    Export,
    Undo,
    Delete(Option<usize>),
    Edit(Option<usize>),
    Log,
    Topics,
    Unknown(String),
}

/// A lone word that means a command ("help", "cancel", "status", "menu").
fn bare_command(text: &str) -> Option<Command> {
    let word = normalize(text);
    Some(match word.trim_end_matches(['.', '!']) {
        "help" | "help me" | "help please" | "can you help me" | "can you help" | "i need help"
        | "what can you do" | "what do you do" => Command::Help,
        "cancel" | "never mind" | "nevermind" | "forget it" | "stop" | "stop that" | "quit"
        | "exit" => Command::Cancel,
        "status" | "my status" => Command::Status,
        "menu" | "topics" | "faq" => Command::Topics,
        "delete everything" | "delete my data" | "delete all my data" | "delete my account"
        | "erase my data" | "forget me" | "remove my data" => Command::Forget,
        "undo" => Command::Undo,
        _ => return None,
    })
}

/// Whether an intent is strong enough to interrupt a dialogue (the trainer changed
/// the subject) rather than being read as an answer.
#[must_use]
pub const fn interrupts(intent: &Intent) -> bool {
    matches!(
        intent,
        Intent::Human
            | Intent::Status
            | Intent::Reminders(_)
            | Intent::UndoLast
            | Intent::EditLast
            | Intent::Audit { .. }
            | Intent::RecertifyForLife
            | Intent::PetitionApproved
            | Intent::PetitionDeclined
            | Intent::Register { .. }
            | Intent::Question
    )
}

/// What an idle message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Command(Command),
    Empty,
    TooLong,
    Greeting,
    Thanks,
    Human,
    Status,
    /// "My certification expires on …" (or the CPR/AED card's date).
    Register {
        of: Expiring,
        date: Option<DateMention>,
    },
    RecertifyForLife,
    /// "I was selected for an audit" (on the date given, or today).
    Audit {
        on: Option<NaiveDate>,
    },
    PetitionApproved,
    /// "My petition got denied".
    PetitionDeclined,
    UndoLast,
    /// "Wrong amount on the last one": edit the newest entry.
    EditLast,
    Reminders(Switch),
    /// "I need to add some CEUs": start the logging dialogue with what was found.
    Log(Extracted),
    /// Anything else: a question for the FAQ.
    Question,
}

macro_rules! re {
    ($name:ident, $pattern:expr) => {
        static $name: LazyLock<Regex> =
            LazyLock::new(|| Regex::new($pattern).expect("valid regex"));
    };
}

re!(
    HUMAN,
    r"\b(human|real person|a person|someone|somebody|advis[oe]rs?|agent|representative|rep|operator|staff|support team|customer service)\b"
);
re!(
    HUMAN_VERB,
    r"\b(talk|speak|chat|connect|transfer|contact|reach|get|need|want|please|call me|escalate)\b"
);
re!(HOURS_Q, r"\b(hours?|when|what time|open|number|phone)\b");
re!(
    STATUS,
    r"^(status|check my status|show my status)\b|\b(my (current )?status|(what|when)('s| is| s) my (deadline|expiration( date)?|due date|renewal date)|when (do|should) i (need to )?(renew|recertify|submit)|(what|how much|how many)[\w\s]{0,12}\bdo i still need|where (do|does) i stand|how (much|many)[\w\s]{0,12}\bdo i (still )?owe|what (do|did) i owe|what('s| is) left for me|am i on track|how am i doing|my (progress|standing|balance)|how many (ceus?|credits|hours)[\w\s]{0,10}\b(do|have) i (got|have|earned|logged|done|completed)|how many (more )?(ceus?|credits|hours)[\w\s]{0,10}\b(left|remaining|to go)|how many days (do i have )?(left|until)|how many[\w\s]{0,15}\b(left|remaining|to go)|what('s| is) my total|am i (done|finished|all set|set|good|covered)|^(so |and |ok )?how (much )?longer do i have( left)?[\s?!.]*$|^(so |and |ok )?how long do i have( left)?[\s?!.]*$|when (do|does) (i|my (cert|certification|nasm|cpt)\w*) (expire|lapse))\b"
);
re!(
    EXPIRY,
    r"\b(expir\w*|lapses?|renew(al)? (by|date|on)|due (on|by)|runs out|(valid|good) (until|till|through|thru)|exp)\b"
);
re!(CPR, r"\b(cpr|aed|first aid)\b");
re!(
    RFL,
    r"\b(recertify for life|recert for life|rfl|certify for life)\b"
);
re!(
    ME,
    r"\b(i'?m|i am|im|i have|i've|i bought|i purchased|i paid|i signed up|i joined|i got|member)\b"
);
re!(
    AUDIT_ME,
    r"\b(i|i'?ve|i have|i was|i got|i'?m|i am|we|we were|my (application|submission|renewal)( was| got| has been)?)\b[\w\s]{0,25}\b(selected|chosen|picked|flagged|audited)\b"
);
re!(AUDIT, r"\baudit");
re!(
    PETITION_OK,
    r"\bpetition\w*\b[\w\s]{0,25}\b(approved|accepted|went through|granted)\b"
);
re!(
    PETITION_NO,
    r"\bpetition\w*\b[\w\s']{0,25}\b(denied|declined|rejected|refused|turned down|not approved|wasn'?t approved)\b"
);
re!(
    EDIT_LAST,
    r"\b(wrong|mistake|typo|fix|change|correct|edit|update)\b[\w\s]{0,30}\b(last|latest|previous|most recent)\b( one| entry| ceu| course| log)?"
);
re!(
    REMIND_ME,
    r"^(can (you|u) |could (you|u) |please |pls )?remind me( later| before| about (it|this|that|my (deadlines?|expiration)))?( please| pls)?[\s.!?]*$"
);
re!(
    MONTH,
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\bnext (month|year)\b|\bin \d+ (months|weeks)\b"
);
re!(
    UNDO,
    r"^(undo|undo (that|it|last)|(delete|remove|erase|scratch)( my| the)? (last|latest|previous|most recent)( one| entry| ceu| course| log)?)\b"
);
re!(
    REMIND_OFF,
    r"\b(stop|no more|don'?t|do not|quit|disable|turn off|pause|mute)\b[\w\s]{0,30}\breminders?\b|\breminders? off\b"
);
re!(
    REMIND_ON,
    r"\b(start|resume|enable|turn on|restart)\b[\w\s]{0,20}\breminders?\b|\breminders? on\b"
);
re!(
    LOG_START,
    r"\b(log|add|record|enter|submit|report)\b[\w\s]{0,20}\b(ceus?|ce|credits?|hours|course|class|continuing ed\w*|education|training)\b|\bi (need|want) to (log|add|record)\b"
);
re!(
    GREETING,
    r"^(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|yo|sup|is anyone (there|here)|anybody (there|home))( there| bot| all| everyone| again)?\b[\s!.?]*$"
);
re!(
    THANKS,
    r"^((ok|okay|great|cool|perfect|awesome|got it)[\s,!.]+)?(thanks|thank you|thank u|thanks a lot|tysm|thx|ty|cheers|appreciate it|great|perfect|awesome|cool|got it|ok|okay)\b[\w\s!.]{0,20}$"
);

/// Lowercases, straightens quotes and folds white space, for matching.
#[must_use]
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '’' | '‘' | '`' => '\'',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Parses a slash command, or `None` when `text` is not one.
#[must_use]
pub fn command(text: &str) -> Option<Command> {
    let text = text.trim();
    if let Some(cmd) = bare_command(text) {
        return Some(cmd);
    }
    let rest = text.strip_prefix('/')?;
    let mut words = rest.split_whitespace();
    let name = words
        .next()
        .unwrap_or("")
        .split('@')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let arg = words.next().map(str::to_lowercase);
    let number = arg
        .as_deref()
        .and_then(|a| a.trim_start_matches('#').parse().ok());
    Some(match name.as_str() {
        "start" => Command::Start,
        "help" => Command::Help,
        "status" => Command::Status,
        "ceus" | "entries" | "list" => Command::Ceus,
        "cancel" | "stop" => Command::Cancel,
        "human" | "advisor" | "agent" => Command::Human,
        "reminders" => Command::Reminders(match arg.as_deref() {
            Some("on") => Some(Switch::On),
            Some("off") => Some(Switch::Off),
            _ => None,
        }),
        "forget" => Command::Forget,
        "export" => Command::Export,
        "undo" => Command::Undo,
        "delete" => Command::Delete(number),
        "edit" => Command::Edit(number),
        "log" | "add" => Command::Log,
        "topics" | "faq" | "menu" => Command::Topics,
        _ => Command::Unknown(name),
    })
}

/// What an idle message asks for. `today` anchors dates ("expires next March 15").
#[must_use]
pub fn classify(text: &str, today: NaiveDate, found: &Extracted) -> Intent {
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Intent::TooLong;
    }
    if let Some(cmd) = command(text) {
        return Intent::Command(cmd);
    }
    let t = normalize(text);
    if t.chars().all(|c| !c.is_alphanumeric()) {
        return Intent::Empty;
    }
    let question = looks_like_question(&t);
    if GREETING.is_match(&t) {
        return Intent::Greeting;
    }
    if THANKS.is_match(&t) {
        return Intent::Thanks;
    }
    if REMIND_OFF.is_match(&t) {
        return Intent::Reminders(Switch::Off);
    }
    if REMIND_ME.is_match(&t) || (REMIND_ON.is_match(&t) && !question) {
        return Intent::Reminders(Switch::On);
    }
    if is_human_request(&t) {
        return Intent::Human;
    }
    if UNDO.is_match(&t) {
        return Intent::UndoLast;
    }
    if EDIT_LAST.is_match(&t) && !question {
        return Intent::EditLast;
    }
    if AUDIT.is_match(&t) && AUDIT_ME.is_match(&t) && !question {
        let on = match extract::find_date(&t, today, true) {
            Some(DateMention::On(d)) => Some(d),
            _ => None,
        };
        return Intent::Audit { on };
    }
    if PETITION_NO.is_match(&t) && !question {
        return Intent::PetitionDeclined;
    }
    if PETITION_OK.is_match(&t) && !question {
        return Intent::PetitionApproved;
    }
    if RFL.is_match(&t) && ME.is_match(&t) && !question {
        return Intent::RecertifyForLife;
    }
    if EXPIRY.is_match(&t) && !question {
        let date = extract::expiry_date(&t, today).0;
        // "expires in April": a date without its day is asked for, not guessed.
        if date.is_some() || MONTH.is_match(&t) {
            let of = if CPR.is_match(&t) {
                Expiring::CprCard
            } else {
                Expiring::Certification
            };
            return Intent::Register { of, date };
        }
    }
    if STATUS.is_match(&t) {
        return Intent::Status;
    }
    if question {
        return Intent::Question;
    }
    if extract::looks_like_ce_log(text, found) || LOG_START.is_match(&t) {
        return Intent::Log(found.clone());
    }
    Intent::Question
}

fn is_human_request(t: &str) -> bool {
    let bare = matches!(
        t.trim_end_matches(['!', '.', '?']),
        "human" | "agent" | "advisor" | "person" | "representative" | "operator" | "help me human"
    );
    bare || (HUMAN.is_match(t) && HUMAN_VERB.is_match(t) && !HOURS_Q.is_match(t))
}
