//! Item 8: an `at` or `tick` outside the years 2000–2100 is an input error line, never a
//! message (year 9999 once produced "renew until … +10000").

use serde_json::json;

use super::{jsonl_run, line, out_lines};

#[test]
fn instants_outside_2000_to_2100_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let text = |t: &str| json!({ "text": t });
    let input = [
        line(
            "c1",
            "c1",
            "9999-06-01T18:00:00Z",
            text("my certification expires March 15, 2027"),
        ),
        line("c1", "c1", "1969-12-31T23:00:00Z", text("/status")),
        json!({"tick": "9999-01-01T00:00:00Z"}).to_string(),
        json!({"tick": "1999-12-31T23:59:59Z"}).to_string(),
        line("c1", "c1", "2026-11-23T18:00:00Z", text("/status")),
    ];
    let o = jsonl_run(&db, &[], &input);
    let lines = out_lines(&o);
    for n in 1..=4 {
        let error = lines
            .iter()
            .find(|v| v["line"] == n)
            .unwrap_or_else(|| panic!("no error for line {n}: {lines:?}"));
        let text = error["error"].as_str().unwrap_or_default();
        assert!(text.contains("between the years 2000 and 2100"), "{text}");
        let at = lines.iter().position(|v| v == error).unwrap();
        assert_eq!(
            lines[at + 1],
            json!({ "ack": n }),
            "the error, then its ack"
        );
    }
    let all = String::from_utf8_lossy(&o.stdout);
    assert!(!all.contains("+10000"), "{all}");
    assert!(
        !all.contains("Got it"),
        "nothing was registered from year 9999: {all}"
    );
    assert_eq!(lines.iter().filter(|v| v.get("ack").is_some()).count(), 5);
}
