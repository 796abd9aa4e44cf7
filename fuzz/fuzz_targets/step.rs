//! Fuzzes the conversation step: a dialogue state read from JSON (any variant the
//! store could hold) and a text or button input must not panic, and the new state
//! must serialise.
#![no_main]

use std::sync::LazyLock;

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use recert_bot::conversation::{self, Content, Context, Profile, State};
use recert_bot::faq::Faq;
use recert_bot::rules::Policy;

static POLICY: LazyLock<Policy> = LazyLock::new(Policy::embedded);
static FAQ: LazyLock<Faq> = LazyLock::new(|| Faq::embedded(&POLICY).expect("embedded FAQ"));

fuzz_target!(|input: (&str, bool, i32, &str)| {
    let (state, button, seconds, text) = input;
    let state: State = serde_json::from_str(state).unwrap_or_default();
    let content = if button {
        Content::Button(text.to_string())
    } else {
        Content::Text(text.to_string())
    };
    let Some(now) = Utc.timestamp_opt(1_700_000_000 + i64::from(seconds), 0).single() else {
        return;
    };
    let profile = Profile::default();
    let ctx = Context {
        policy: &POLICY,
        faq: &FAQ,
        profile: &profile,
        now,
        voice: false,
        advisors: true,
    };
    let outcome = conversation::step(state, &content, &ctx);
    serde_json::to_string(&outcome.state).expect("state serialises");
});
