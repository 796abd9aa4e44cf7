//! Fuzzes the FAQ matcher: any UTF-8 question must not panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use recert_bot::faq::Faq;
use recert_bot::rules::Policy;

static FAQ: LazyLock<Faq> =
    LazyLock::new(|| Faq::embedded(&Policy::embedded()).expect("embedded FAQ"));

fuzz_target!(|text: &str| {
    let _ = FAQ.lookup(text);
});
