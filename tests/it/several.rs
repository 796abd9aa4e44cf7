//! Corrections at any step, several courses in one message, credits that are neither
//! hours nor CEUs, and a question inside a log (issue 13, items 3 and 4), through the
//! real App.

use crate::support::{TestApp, entry, spawn_registered, text};

const NOW: &str = "2026-11-23T18:00:00Z";

async fn registered() -> TestApp {
    spawn_registered("c1", NOW).await
}

async fn say(t: &TestApp, what: &str) -> String {
    text(&t.say("c1", what, NOW).await)
}

#[tokio::test]
async fn a_correction_never_answers_the_pending_question() {
    let t = registered().await;
    let r = say(&t, "did a 5 hour nutrition workshop yesterday").await;
    assert!(r.contains("Who offered the course?"), "{r}");
    let r = say(&t, "hold on, it was actually 2 hours not 5").await;
    assert!(
        r.contains("changed") && r.contains("Who offered the course?"),
        "{r}"
    );
    assert!(!r.contains("petition:"), "the 'not' answered nothing: {r}");
    let r = text(&t.press("c1", "prov:nasm", NOW).await);
    assert!(
        r.contains("0.2 CEUs (2 hours)") && r.contains("Save?"),
        "{r}"
    );
    let r = say(&t, "actually 3 hours").await;
    assert!(
        r.contains("0.3 CEUs (3 hours)") && r.contains("Save?"),
        "{r}"
    );
    let r = say(&t, "the area should be assessment").await;
    assert!(r.contains("Area: assessment") && r.contains("Save?"), "{r}");
    assert!(
        t.entries("c1").await.is_empty(),
        "nothing stored before Save"
    );
    say(&t, "save it").await;
    assert_eq!(
        t.entries("c1").await,
        vec![entry(180, "assessment", "2026-11-22", "nasm")]
    );
}

#[tokio::test]
async fn an_area_corrected_while_the_provider_is_asked() {
    let t = registered().await;
    say(&t, "did a 2 hour nutrition workshop yesterday").await;
    let r = say(&t, "wait the area should be assessment").await;
    assert!(r.contains("Who offered the course?"), "{r}");
    let r = say(&t, "nasm").await;
    assert!(r.contains("Area: assessment"), "{r}");
}

#[tokio::test]
async fn each_course_in_a_message_gets_its_own_summary() {
    let t = registered().await;
    let r = say(
        &t,
        "did a 2 hr nutrition webinar on nov 1, a 3 hour assessment workshop nov 5 and 4 hrs of program design yesterday, all from nasm",
    )
    .await;
    assert!(
        r.contains("3 courses") && r.contains("0.2 CEUs (2 hours)"),
        "{r}"
    );
    assert!(!r.contains("0.3 CEUs"), "one summary at a time: {r}");
    let r = say(&t, "yes").await;
    assert!(
        r.contains("Saved") && r.contains("0.3 CEUs (3 hours)"),
        "{r}"
    );
    let r = say(&t, "yep").await;
    assert!(
        r.contains("Saved") && r.contains("0.4 CEUs (4 hours)"),
        "{r}"
    );
    let r = say(&t, "nah").await;
    assert!(r.contains("Nothing was saved"), "{r}");
    assert_eq!(
        t.entries("c1").await,
        vec![
            entry(120, "nutrition", "2026-11-01", "nasm"),
            entry(180, "assessment", "2026-11-05", "nasm"),
        ]
    );
}

#[tokio::test]
async fn two_courses_three_hours_each_are_two_entries() {
    let t = registered().await;
    let r = say(&t, "two nutrition courses from NASM yesterday, 3 hrs each").await;
    assert!(r.contains("2 courses") && r.contains("Save?"), "{r}");
    let r = say(&t, "yes").await;
    assert!(r.contains("Saved") && r.contains("Next course"), "{r}");
    let r = text(&t.press("c1", "save", NOW).await);
    assert!(r.contains("Saved"), "{r}");
    assert_eq!(t.entries("c1").await.len(), 2);
    assert!(t.entries("c1").await.iter().all(|e| e.0 == 180));
}

#[tokio::test]
async fn credits_that_are_not_ceus_are_asked_about() {
    let t = registered().await;
    for first in [
        "3 credit anatomy class yesterday from nasm",
        "did an anatomy class yesterday from nasm, 3 semester credits",
    ] {
        let r = say(&t, first).await;
        assert!(
            r.contains("Credits can mean different things"),
            "{first}: {r}"
        );
        assert!(!r.contains("Save?"), "{first}: {r}");
        let r = say(&t, "3 semester credits").await;
        assert!(r.contains("Credits can mean different things"), "{r}");
        let r = say(&t, "3 hours").await;
        assert!(!r.contains("3.0 CEUs"), "{r}");
        say(&t, "/cancel").await;
    }
    assert!(t.entries("c1").await.is_empty());
}

#[tokio::test]
async fn a_log_with_a_question_logs_and_answers() {
    let t = registered().await;
    let r = say(
        &t,
        "i did a 4 hr nutrition workshop last weekend thru nasm, how do i log it",
    )
    .await;
    assert!(r.contains("log it for you"), "{r}");
    assert!(
        r.contains("When did you complete it"),
        "the log goes on: {r}"
    );
    let r = text(&t.press("c1", "date:yesterday", NOW).await);
    assert!(
        r.contains("0.4 CEUs (4 hours)") && r.contains("Save?"),
        "{r}"
    );
    let r = say(&t, "yes").await;
    assert!(r.contains("Saved"), "{r}");
    let r = say(
        &t,
        "did 2 hours of assessment yesterday from nasm, what is a CEU?",
    )
    .await;
    assert!(r.contains("0.2 CEUs (2 hours)"), "the log goes on: {r}");
    assert!(
        r.to_lowercase().contains("continuing education unit"),
        "answered: {r}"
    );
}

#[tokio::test]
async fn a_question_asked_with_an_answer_is_answered_and_the_log_goes_on() {
    let t = registered().await;
    let r = say(&t, "did a 3 hour nutrition webinar from nasm").await;
    assert!(r.contains("When did you complete it"), "{r}");
    let r = say(&t, "yesterday. btw what is a CEU?").await;
    assert!(
        r.to_lowercase().contains("continuing education unit"),
        "answered: {r}"
    );
    assert!(
        r.contains("Completed: Sun, Nov 22, 2026") && r.contains("Save?"),
        "{r}"
    );
}
