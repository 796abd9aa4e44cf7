//! CEU logging as complete conversations through the engine, asserting on the stored
//! record: every line of the shared dev set and of our own phrasings, then corrections,
//! duplicates, documents, audits and petitions.

use recert_bot::app::{Content, Outgoing};

use crate::support::{CeCase as Case, TestApp, buttons, entry, jsonl, spawn_app, text};

/// Answers the bot's follow-up questions the way a trainer would when the message
/// itself was complete: only the provider (not in these messages) and the final Save.
async fn finish(t: &TestApp, chat: &str, when: &str, last: Vec<Outgoing>) -> Vec<Outgoing> {
    answer(t, chat, when, last, false).await
}

/// As [`finish`]; with `today`, a question about the date is answered "Today".
async fn answer(
    t: &TestApp,
    chat: &str,
    when: &str,
    mut last: Vec<Outgoing>,
    today: bool,
) -> Vec<Outgoing> {
    for _ in 0..4 {
        let offered = buttons(&last);
        if offered.contains(&"save".to_string()) {
            return t.press(chat, "save", when).await;
        }
        if today && offered.contains(&"date:today".to_string()) {
            last = t.press(chat, "date:today", when).await;
            continue;
        }
        if offered.contains(&"prov:approved".to_string()) {
            last = t.press(chat, "prov:approved", when).await;
            continue;
        }
        break;
    }
    last
}

/// Runs each line as its own trainer; returns the lines that went wrong.
async fn run(path: &str) -> (usize, Vec<String>) {
    let t = spawn_app().await;
    let all = jsonl::<Case>(path);
    let mut wrong = Vec::new();
    for (i, case) in all.iter().enumerate() {
        let chat = format!("t{i}");
        let when = case.at.to_rfc3339();
        t.say(&chat, "my certification expires June 30, 2027", &when)
            .await;
        t.say(&chat, "yes", &when).await;
        let first = t.say(&chat, &case.text, &when).await;
        // A message without a date is asked about; the trainer answers "Today".
        let no_date = !case.expect.reject && case.expect.completed_on.is_none();
        let end = if case.expect.reject {
            first.clone()
        } else {
            answer(&t, &chat, &when, first.clone(), no_date).await
        };
        let want_date = case.expect.completed_on.map_or_else(
            || {
                case.at
                    .with_timezone(&chrono_tz::America::Los_Angeles)
                    .date_naive()
                    .to_string()
            },
            |d| d.to_string(),
        );
        let stored = t.entries(&chat).await;
        if case.expect.reject {
            if !stored.is_empty() || text(&first).contains("Save?") {
                wrong.push(format!(
                    "{}: stored or offered to save: {}",
                    case.text,
                    text(&first)
                ));
            }
            continue;
        }
        let want_minutes = recert_bot::rules::Ceu::parse_ceus(case.expect.ceus.as_deref().unwrap())
            .unwrap()
            .minutes();
        let want_area = recert_bot::rules::Area::ALL
            .into_iter()
            .find(|a| Some(a.label()) == case.expect.area.as_deref())
            .map(|a| a.key().to_string());
        match stored.as_slice() {
            [(minutes, area, date, _)]
                if i64::from(want_minutes) == *minutes
                    && want_area.as_deref() == Some(area.as_str())
                    && want_date == *date => {}
            other => wrong.push(format!(
                "{}: stored {other:?}; bot said: {}",
                case.text,
                text(&end)
            )),
        }
    }
    (all.len(), wrong)
}

#[tokio::test]
async fn every_dev_line_logs_or_is_refused_through_the_dialogue() {
    let (n, wrong) = run("tests/data/ceu_dev.jsonl").await;
    assert!(
        wrong.is_empty(),
        "{} of {n} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn our_own_phrasings_log_or_are_refused_through_the_dialogue() {
    let (n, wrong) = run("tests/data/ceu_own.jsonl").await;
    println!(
        "own CE phrasings through the engine: {}/{n} right",
        n - wrong.len()
    );
    assert!(
        wrong.is_empty(),
        "{} of {n} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

const NOW: &str = "2026-11-23T18:00:00Z";

async fn registered() -> TestApp {
    crate::support::spawn_registered("c1", NOW).await
}

async fn log(t: &TestApp, what: &str) {
    let r = t.say("c1", what, NOW).await;
    let r = finish(t, "c1", NOW, r).await;
    assert!(text(&r).contains("Saved"), "{what}: {}", text(&r));
}

#[tokio::test]
async fn missing_details_are_asked_one_at_a_time_with_buttons() {
    let t = registered().await;
    let r = t.say("c1", "I need to add some CEUs", NOW).await;
    assert!(text(&r).contains("How long was it?"), "{}", text(&r));
    let r = t.say("c1", "two hours", NOW).await;
    assert!(
        buttons(&r).contains(&"area:nutrition".to_string()),
        "{:?}",
        buttons(&r)
    );
    let r = t.press("c1", "area:nutrition", NOW).await;
    assert!(buttons(&r).contains(&"date:yesterday".to_string()));
    let r = t.press("c1", "date:yesterday", NOW).await;
    assert!(buttons(&r).contains(&"prov:petition".to_string()));
    let r = t.press("c1", "prov:petition", NOW).await;
    let s = text(&r);
    assert!(
        s.contains("0.2 CEUs (2 hours)") && s.contains("$25") && s.contains("Save?"),
        "{s}"
    );
    assert!(t.entries("c1").await.is_empty(), "stored before yes");
    let r = t.say("c1", "ok", NOW).await;
    assert!(
        text(&r).contains("counts once your petition is approved"),
        "{}",
        text(&r)
    );
    assert_eq!(
        t.entries("c1").await,
        vec![entry(120, "nutrition", "2026-11-22", "petition")]
    );

    let s = text(&t.say("c1", "/status", NOW).await);
    assert!(
        s.contains("0.0 of 2.0 CEUs") && s.contains("Pending petition approval: 0.2 CEUs"),
        "{s}"
    );
    assert!(s.contains("Petition fee") || s.contains("$25"), "{s}");
    let r = t.say("c1", "my petition was approved!", NOW).await;
    assert!(
        text(&r).contains("Just to check: NASM approved your petition"),
        "{}",
        text(&r)
    );
    let s = text(&t.say("c1", "/status", NOW).await);
    assert!(s.contains("0.0 of 2.0 CEUs"), "not before yes: {s}");
    t.say("c1", "my petition was approved!", NOW).await;
    let r = t.say("c1", "yes", NOW).await;
    assert!(text(&r).contains("now counts"), "{}", text(&r));
    let s = text(&t.say("c1", "/status", NOW).await);
    assert!(s.contains("0.2 of 2.0 CEUs"), "{s}");
}

#[tokio::test]
async fn cancel_leaves_the_dialogue_at_any_point() {
    let t = registered().await;
    t.say("c1", "log ceus", NOW).await;
    t.say("c1", "3 hours", NOW).await;
    let r = t.say("c1", "/cancel", NOW).await;
    assert!(text(&r).contains("Nothing was saved"));
    let r = t.say("c1", "nutrition", NOW).await;
    assert!(
        !text(&r).contains("Which area"),
        "still in the dialogue: {}",
        text(&r)
    );
    assert!(t.entries("c1").await.is_empty());
}

#[tokio::test]
async fn undo_and_delete_my_last_entry_ask_first() {
    let t = registered().await;
    log(&t, "3 hours nutrition yesterday").await;
    log(&t, "2 hours program design on Nov 20").await;
    let r = t.say("c1", "delete my last entry", NOW).await;
    assert!(
        text(&r).contains("Delete this entry?") && text(&r).contains("program design"),
        "{}",
        text(&r)
    );
    assert_eq!(t.entries("c1").await.len(), 2);
    t.say("c1", "yes", NOW).await;
    assert_eq!(
        t.entries("c1").await,
        vec![entry(180, "nutrition", "2026-11-22", "approved")]
    );
    t.say("c1", "undo", NOW).await;
    t.say("c1", "no", NOW).await;
    assert_eq!(t.entries("c1").await.len(), 1, "'no' kept it");
}

#[tokio::test]
async fn entries_are_listed_numbered_and_can_be_edited_or_deleted() {
    let t = registered().await;
    log(&t, "3 hours nutrition yesterday").await;
    log(&t, "0.5 CEUs assessment on Nov 2").await;
    let s = text(&t.say("c1", "/ceus", NOW).await);
    assert!(s.contains("1. Nov 2, 2026: 0.5 CEUs assessment"), "{s}");
    assert!(s.contains("2. Nov 22, 2026: 0.3 CEUs nutrition"), "{s}");
    let r = t.say("c1", "/edit 2", NOW).await;
    assert!(buttons(&r).contains(&"field:amount".to_string()));
    let r = t.press("c1", "field:amount", NOW).await;
    assert!(text(&r).contains("How long"), "{}", text(&r));
    let r = t.say("c1", "4 hours", NOW).await;
    assert!(
        text(&r).contains("corrected entry") && text(&r).contains("0.4 CEUs"),
        "{}",
        text(&r)
    );
    t.press("c1", "save", NOW).await;
    t.say("c1", "/delete 1", NOW).await;
    t.press("c1", "yes", NOW).await;
    assert_eq!(
        t.entries("c1").await,
        vec![entry(240, "nutrition", "2026-11-22", "approved")]
    );
}

#[tokio::test]
async fn the_same_course_twice_asks_before_logging_again() {
    let t = registered().await;
    log(&t, "3 hours nutrition course \"Fuel Basics\" yesterday").await;
    let r = t
        .say(
            "c1",
            "3 hours nutrition course \"Fuel Basics\" yesterday",
            NOW,
        )
        .await;
    let r = finish(&t, "c1", NOW, r).await;
    assert!(text(&r).contains("already logged"), "{}", text(&r));
    t.say("c1", "no", NOW).await;
    assert_eq!(t.entries("c1").await.len(), 1);
}

#[tokio::test]
async fn refused_details_explain_why_and_store_nothing() {
    let t = registered().await;
    let cases = [
        ("I did 0 hours of nutrition yesterday", "zero"),
        ("I did -2 hours of nutrition yesterday", "negative"),
        (
            "5000 hours of program design yesterday",
            "more hours than I can record for one course",
        ),
        ("4 hours nutrition on 2026-12-20", "in the future"),
        (
            "4 hours nutrition on 2024-01-10",
            "before your current cycle",
        ),
        ("4 hours nutrition on Feb 30", "isn't a real date"),
        (
            "9999999999999999999999999999999999999999 hours of nutrition",
            "couldn't read",
        ),
    ];
    for (i, (msg, why)) in cases.iter().enumerate() {
        let chat = "c1";
        let r = t.say(chat, msg, NOW).await;
        assert!(text(&r).contains(why), "{i} {msg}: {}", text(&r));
        assert!(!text(&r).contains("Save?"), "{msg}");
        t.say(chat, "/cancel", NOW).await;
    }
    assert!(t.entries("c1").await.is_empty());
}

#[tokio::test]
async fn two_different_amounts_are_asked_about() {
    let t = registered().await;
    let r = t
        .say(
            "c1",
            "logged 2 hours or maybe 3 hours of nutrition yesterday",
            NOW,
        )
        .await;
    assert!(text(&r).contains("more than one amount"), "{}", text(&r));
    let r = t.press("c1", "amount:180", NOW).await;
    let r = finish(&t, "c1", NOW, r).await;
    assert!(text(&r).contains("Saved"), "{}", text(&r));
    assert_eq!(t.entries("c1").await[0].0, 180);
}

#[tokio::test]
async fn certificates_attach_and_status_shows_what_is_missing() {
    let t = registered().await;
    log(&t, "3 hours nutrition yesterday").await;
    let r = t
        .send(
            "c1",
            Content::File {
                reference: "cert-1.pdf".into(),
                caption: None,
            },
            NOW,
            None,
        )
        .await;
    assert!(
        text(&r).contains("Attached the certificate"),
        "{}",
        text(&r)
    );
    log(&t, "2 hours assessment on Nov 20").await;
    let s = text(&t.say("c1", "/status", NOW).await);
    assert!(
        s.contains("Certificates: none on file here for 1 entry"),
        "{s}"
    );
    let mut conn = crate::db::conn(t.app.store()).await;
    let docs: Vec<Option<String>> = recert_bot::on!(&mut conn, |c| sqlx::query_scalar(
        "SELECT document_ref FROM ce_entries ORDER BY id"
    )
    .fetch_all(c)
    .await
    .unwrap());
    assert_eq!(docs, vec![Some("cert-1.pdf".to_string()), None]);
}

#[tokio::test]
async fn an_audit_shows_its_deadline_and_checklist() {
    let t = registered().await;
    log(&t, "3 hours nutrition yesterday").await;
    t.say("c1", "my CPR expires June 2, 2027", NOW).await;
    t.say("c1", "yes", NOW).await;
    let r = t.say("c1", "I was selected for an audit", NOW).await;
    assert!(text(&r).contains("Just to check"), "{}", text(&r));
    let r = t.say("c1", "yes", NOW).await;
    let s = text(&r);
    assert!(
        s.contains("by Wed, Dec 23, 2026, in 30 days")
            && s.contains("NASM's Recertification Department"),
        "{s}"
    );
    t.send(
        "c1",
        Content::File {
            reference: "cpr-front.jpg".into(),
            caption: Some("CPR card front".into()),
        },
        NOW,
        None,
    )
    .await;
    let s = text(&t.say("c1", "/status", NOW).await);
    assert!(s.contains("by Wed, Dec 23, 2026, in 30 days"), "{s}");
    assert!(
        s.contains("certificates 0 of 1 gathered")
            && s.contains("CPR/AED card front gathered")
            && s.contains("back missing"),
        "{s}"
    );
}

#[tokio::test]
async fn a_question_mid_dialogue_is_answered_and_the_dialogue_goes_on() {
    let t = registered().await;
    let r = t.say("c1", "took an 8 hr kettlebell course", NOW).await;
    assert!(
        text(&r).contains("When did you complete it"),
        "{}",
        text(&r)
    );
    let r = t
        .say("c1", "wait, how much does a petition cost?", NOW)
        .await;
    let s = text(&r);
    assert!(s.contains("$25"), "{s}");
    assert!(
        s.contains("Back to what we were doing: When did you complete it"),
        "{s}"
    );
    let r = t.say("c1", "yesterday", NOW).await;
    assert!(
        buttons(&r).contains(&"prov:approved".to_string()),
        "{}",
        text(&r)
    );
}

#[tokio::test]
async fn a_change_of_subject_mid_dialogue_is_not_swallowed() {
    let t = registered().await;
    t.say("c1", "log ceus", NOW).await;
    let r = t.say("c1", "what's my deadline", NOW).await;
    let s = text(&r);
    assert!(s.contains("expires on Mon, Mar 15, 2027"), "{s}");
    assert!(
        s.contains("Back to what we were doing: How long was it?"),
        "{s}"
    );
    let r = t.say("c1", "never mind", NOW).await;
    assert!(text(&r).contains("Cancelled"), "{}", text(&r));
    let r = t.say("c1", "help", NOW).await;
    assert!(
        text(&r).contains("I can help you recertify"),
        "{}",
        text(&r)
    );
}

#[tokio::test]
async fn a_course_in_the_future_ends_the_dialogue_with_the_reason() {
    let t = registered().await;
    let r = t
        .say("c1", "I'm doing a 2 hr nutrition webinar tomorrow", NOW)
        .await;
    assert!(
        text(&r).contains("in the future") && text(&r).contains("Nothing was saved"),
        "{}",
        text(&r)
    );
    let r = t.say("c1", "ok thanks", NOW).await;
    assert!(text(&r).contains("You're welcome"), "{}", text(&r));
    assert!(t.entries("c1").await.is_empty());
}
