//! Policy loading: the embedded file is valid, and every broken file is reported with
//! its file name, line and field.

use super::*;

fn line_of_key(text: &str, table: &str, key: &str) -> usize {
    let header = format!("[{table}]");
    let start = text.lines().position(|l| l.trim() == header).unwrap();
    start
        + 1
        + text
            .lines()
            .skip(start)
            .position(|l| l.trim_start().starts_with(&format!("{key} =")))
            .unwrap()
}

/// The embedded policy with `key = ...` inside `[table]` replaced by `key = value`.
fn with(table: &str, key: &str, value: &str) -> (String, usize) {
    let line = line_of_key(EMBEDDED_POLICY, table, key);
    let text: Vec<String> = EMBEDDED_POLICY
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                format!("{key} = {value}")
            } else {
                l.to_string()
            }
        })
        .collect();
    (text.join("\n"), line)
}

#[test]
fn the_embedded_policy_is_valid_and_says_what_the_page_says() {
    let p = Policy::embedded();
    assert_eq!(p.certification.cycle_months, 24);
    assert_eq!(p.certification.required_ceus, Ceu::from_minutes(1200));
    assert_eq!(p.fees.recertification, Cents::dollars(99));
    assert_eq!(p.fees.late, Cents::dollars(30));
    assert_eq!(p.fees.additional, Cents::dollars(50));
    assert_eq!(p.fees.petition, Cents::dollars(25));
    assert_eq!(p.fees.recertify_for_life, Cents::dollars(299));
    assert_eq!(p.contact.phone, "1-800-460-6276");
    assert_eq!(p.hours.timezone, chrono_tz::America::Los_Angeles);
    let thanksgiving = p
        .hours
        .closed_dates
        .iter()
        .find(|c| c.date == NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    assert_eq!(
        thanksgiving.and_then(|c| c.name.as_deref()),
        Some("Thanksgiving")
    );
    assert_eq!(p.certification.final_deadline_months, 12);
    assert!(p.fees.late_fees_apply_to_members);
    assert_eq!(p.sources.get("fees.late"), Some(&Source::Guidelines));
    assert_eq!(p.sources.get("fees.petition"), Some(&Source::Seed));
}

#[test]
fn a_value_of_the_wrong_shape_names_file_line_and_field() {
    let cases = [
        ("fees", "late", "\"thirty\"", "fees.late"),
        ("fees", "petition", "\"-5\"", "fees.petition"),
        (
            "certification",
            "late_fee_days",
            "\"ninety\"",
            "certification.late_fee_days",
        ),
        (
            "certification",
            "required_ceus",
            "\"lots\"",
            "certification.required_ceus",
        ),
        ("hours", "friday", "\"5-17\"", "hours.friday"),
        ("hours", "monday", "\"18:00-05:00\"", "hours.monday"),
        ("hours", "timezone", "\"Pacific/Nowhere\"", "hours.timezone"),
        (
            "reminders",
            "on_expiration_day",
            "\"yes\"",
            "reminders.on_expiration_day",
        ),
    ];
    for (table, key, value, field) in cases {
        let (text, line) = with(table, key, value);
        let err = Policy::from_toml("policy.toml", &text).unwrap_err();
        assert_eq!(err.file, "policy.toml", "{field}");
        assert_eq!(err.field, field, "{err}");
        assert_eq!(err.line, line, "{err}");
        let shown = err.to_string();
        assert!(
            shown.starts_with(&format!("policy.toml: line {line}: `{field}`: ")),
            "{shown}"
        );
    }
}

#[test]
fn a_value_that_parses_but_makes_no_sense_is_refused_with_its_line() {
    let cases = [
        (
            "certification",
            "required_ceus",
            "\"0\"",
            "certification.required_ceus",
        ),
        (
            "certification",
            "late_fee_days",
            "400",
            "certification.final_deadline_months",
        ),
        (
            "certification",
            "cycle_months",
            "0",
            "certification.cycle_months",
        ),
        ("contact", "phone", "\"\"", "contact.phone"),
        (
            "reminders",
            "days_before_expiration",
            "[30, 30]",
            "reminders.days_before_expiration",
        ),
        (
            "reminders",
            "days_before_expiration",
            "[0]",
            "reminders.days_before_expiration",
        ),
        (
            "reminders",
            "audit_days_before_deadline",
            "[45]",
            "reminders.audit_days_before_deadline",
        ),
        (
            "reminders",
            "late_fee_days_after",
            "0",
            "reminders.late_fee_days_after",
        ),
        (
            "reminders",
            "sweep_interval_seconds",
            "0",
            "reminders.sweep_interval_seconds",
        ),
        ("audit", "window_days", "0", "audit.window_days"),
    ];
    for (table, key, value, field) in cases {
        let (text, line) = with(table, key, value);
        let err = Policy::from_toml("policy.toml", &text).unwrap_err();
        assert_eq!(err.field, field, "{err}");
        let expected_line = if field.ends_with(key) {
            line
        } else {
            line_of_key(&text, table, field.rsplit('.').next().unwrap())
        };
        assert_eq!(err.line, expected_line, "{err}");
    }
}

#[test]
fn the_documented_example_reads_as_promised() {
    let (text, line) = with("fees", "late", "\"abc\"");
    let err = Policy::from_toml("policy.toml", &text).unwrap_err();
    assert_eq!(line, 22);
    assert_eq!(
        err.to_string(),
        "policy.toml: line 22: `fees.late`: `abc` is not a number"
    );
}

#[test]
fn unknown_and_missing_fields_are_errors_naming_the_field() {
    let unknown = EMBEDDED_POLICY.replace("late = \"30\"", "late = \"30\"\nlate_fees = \"30\"");
    let err = Policy::from_toml("p.toml", &unknown).unwrap_err();
    assert!(err.field.starts_with("fees"), "{err}");
    assert!(err.message.contains("late_fees"), "{err}");
    assert_eq!(
        err.line,
        line_of_key(&unknown, "fees", "late_fees"),
        "{err}"
    );

    let missing = EMBEDDED_POLICY.replace("late = \"30\"\n", "");
    let err = Policy::from_toml("p.toml", &missing).unwrap_err();
    assert_eq!(err.field, "fees.late", "{err}");
    assert!(err.message.contains("missing field"), "{err}");
    assert!(err.line > 0, "{err}");
}

#[test]
fn broken_toml_and_unreadable_files_say_where() {
    let broken = EMBEDDED_POLICY.replace("[fees]", "[fees");
    let err = Policy::from_toml("p.toml", &broken).unwrap_err();
    assert_eq!(
        err.line,
        line_of_key(EMBEDDED_POLICY, "fees", "recertification") - 1
    );
    assert!(err.to_string().starts_with("p.toml: line "), "{err}");

    let err = Policy::load(Path::new("/nonexistent/policy.toml")).unwrap_err();
    assert_eq!(err.line, 0);
    assert!(
        err.to_string()
            .starts_with("/nonexistent/policy.toml: cannot read the file"),
        "{err}"
    );
}

#[test]
fn a_file_on_disk_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    std::fs::write(
        &path,
        EMBEDDED_POLICY.replace("late = \"30\"", "late = \"35.50\""),
    )
    .unwrap();
    let p = Policy::load(&path).unwrap();
    assert_eq!(p.fees.late, Cents(3550));
}

#[test]
fn every_fact_names_its_source_and_only_the_bots_own_limit_is_the_bots() {
    let cases = [
        (
            EMBEDDED_POLICY.replace("\"fees.late\" = \"guidelines\"\n", ""),
            "sources.fees.late",
            "must name where",
        ),
        (
            EMBEDDED_POLICY.replace("\"fees.late\" = \"guidelines\"", "\"fees.late\" = \"bot\""),
            "sources.fees.late",
            "not `bot`",
        ),
        (
            EMBEDDED_POLICY.replace(
                "\"certification.max_course_hours\" = \"bot\"",
                "\"certification.max_course_hours\" = \"seed\"",
            ),
            "sources.certification.max_course_hours",
            "the bot's own limit",
        ),
        (
            format!("{EMBEDDED_POLICY}\"fees.tip\" = \"seed\"\n"),
            "sources.fees.tip",
            "not a fact",
        ),
    ];
    for (text, field, says) in cases {
        let err = Policy::from_toml("p.toml", &text).unwrap_err();
        assert_eq!(err.field, field, "{err}");
        assert!(err.message.contains(says), "{err}");
        assert!(err.line > 0, "{err}");
    }
    let rumour = EMBEDDED_POLICY.replace(
        "\"fees.late\" = \"guidelines\"",
        "\"fees.late\" = \"rumour\"",
    );
    let err = Policy::from_toml("p.toml", &rumour).unwrap_err();
    assert!(err.field.starts_with("sources"), "{err}");
}

#[test]
fn closed_dates_may_be_named_or_bare() {
    let text = EMBEDDED_POLICY.replace(
        "{ date = \"2026-12-25\", name = \"Christmas Day\" }",
        "\"2026-12-25\"",
    );
    let p = Policy::from_toml("p.toml", &text).unwrap();
    let christmas = p
        .hours
        .closed_dates
        .iter()
        .find(|c| c.date == NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
    assert_eq!(christmas.map(|c| c.name.clone()), Some(None));
    let bad = EMBEDDED_POLICY.replace(
        "{ date = \"2026-12-25\", name = \"Christmas Day\" }",
        "{ day = 25 }",
    );
    let err = Policy::from_toml("p.toml", &bad).unwrap_err();
    assert!(err.message.contains("YYYY-MM-DD"), "{err}");
}
