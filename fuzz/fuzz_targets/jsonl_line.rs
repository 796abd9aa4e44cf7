//! Fuzzes the JSONL line parser: any line must parse or be rejected, never panic.
#![no_main]

use chrono::Utc;
use libfuzzer_sys::fuzz_target;
use recert_bot::transport::jsonl::parse_line;

fuzz_target!(|line: &str| {
    let _ = parse_line(line, Utc::now());
});
