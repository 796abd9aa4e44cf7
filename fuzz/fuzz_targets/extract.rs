//! Fuzzes CE extraction: any UTF-8 text at any instant must not panic.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use recert_bot::conversation::extract;
use recert_bot::rules::Policy;

fuzz_target!(|input: (i32, &str)| {
    let (seconds, text) = input;
    let now = Utc.timestamp_opt(1_700_000_000 + i64::from(seconds), 0).single();
    let policy = Policy::embedded();
    if let Some(now) = now {
        let _ = extract::extract(text, now, policy.contact.trainer_timezone);
    }
});
