//! Conversations in phrasings the engine was not built around, found by trying the bot
//! as a trainer would: each step is a message and a fragment its reply must contain.

use crate::support::{spawn_app, text};

const AT: &str = "2026-11-23T18:00:00Z";

async fn converse(steps: &[(&str, &str)]) {
    let t = spawn_app().await;
    for (said, expected) in steps {
        let reply = text(&t.say("u1", said, AT).await);
        assert!(reply.contains(expected), "{said:?} -> {reply}");
    }
}

#[tokio::test]
async fn registering_in_everyday_words() {
    converse(&[
        ("hey there", "when does your NASM-CPT certification expire"),
        ("my nasm expires in april", "I need the full date"),
        ("April 20 2027", "expires on Tue, Apr 20, 2027"),
        ("yep", "Got it"),
        ("my cpr expires next month", "I need the full date"),
        (
            "Dec 28, 2026",
            "CPR/AED certification is valid until Mon, Dec 28, 2026",
        ),
        ("looks good", "Got it"),
        ("how many do i have left", "0.0 of 2.0 CEUs"),
    ])
    .await;
}

#[tokio::test]
async fn a_bare_date_before_registration_is_the_expiration() {
    converse(&[
        ("3/15/2027", "expires on Mon, Mar 15, 2027"),
        ("yes", "Got it"),
    ])
    .await;
}

#[tokio::test]
async fn logging_and_fixing_the_last_entry() {
    converse(&[
        ("expires 04/20/27", "expires on Tue, Apr 20, 2027"),
        ("👍", "Got it"),
        (
            "I took a 6hr TRX suspension training workshop on the 14th",
            "Who offered the course?",
        ),
        ("nasm", "0.6 CEUs (6 hours)"),
        ("yep", "Saved"),
        (
            "oops wrong amount on the last one",
            "What would you like to change?",
        ),
        ("amount", "How long was it?"),
        ("5 hours", "0.5 CEUs (5 hours)"),
        ("save", "Updated"),
        ("how many do i have left", "0.5 of 2.0 CEUs"),
        ("what's my total", "0.5 of 2.0 CEUs"),
        ("am I done?", "still needed: 1.5 CEUs"),
        ("how much longer do I have", "in 148 days"),
    ])
    .await;
}

#[tokio::test]
async fn small_talk_and_stopping() {
    converse(&[
        ("thank u!!", "You're welcome"),
        ("can u remind me later?", "Reminders are on"),
        ("stop", "To stop reminders, send /reminders off"),
        ("can you help me", "I can help you recertify"),
        (
            "is anyone there?",
            "when does your NASM-CPT certification expire",
        ),
        ("delete everything", "Delete it all?"),
        ("no", "nothing was deleted"),
    ])
    .await;
}
