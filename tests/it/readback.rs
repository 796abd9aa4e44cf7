//! Nothing stored on a guess (issue 13): dates read in the tense and year the trainer
//! used, every change to the record read back and stored only after Yes, corrections
//! of a read-back, and yes / no / cancel the way people say them.

use crate::support::{TestApp, buttons, entry, spawn_app, spawn_registered, text};

const DEC1: &str = "2026-12-01T18:00:00Z";
const NOW: &str = "2026-11-23T18:00:00Z";

/// Says `what`, asserts the reply reads `read_back` back and nothing is stored yet,
/// then confirms with `yes` and returns the stored expiration date.
async fn read_back_then(t: &TestApp, what: &str, read_back: &str, yes: &str) -> Option<String> {
    let r = text(&t.say("c1", what, DEC1).await);
    assert!(r.contains(read_back), "{what:?} -> {r}");
    assert_eq!(t.expiration("c1").await, None, "{what:?} stored before Yes");
    t.say("c1", yes, DEC1).await;
    t.expiration("c1").await
}

/// Registers (read back, Yes) and logs a course up to its summary.
async fn registered_with_a_summary(t: &TestApp) {
    read_back_then(
        t,
        "my certification expires March 15, 2027",
        "Just to check",
        "yes",
    )
    .await;
    let r = t
        .say("c1", "did 3 hours of nutrition yesterday from NASM", DEC1)
        .await;
    assert!(text(&r).contains("Save?"), "{}", text(&r));
}

#[tokio::test]
async fn past_tense_means_the_past() {
    let t = spawn_app().await;
    let got = read_back_then(&t, "it expired oct 1", "expired on Thu, Oct 1, 2026", "yes").await;
    assert_eq!(got.as_deref(), Some("2026-10-01"));
    let s = text(&t.say("c1", "/status", DEC1).await);
    assert!(s.contains("expired on Thu, Oct 1, 2026"), "{s}");
}

#[tokio::test]
async fn a_year_the_trainer_gives_is_the_year_used() {
    for (what, want) in [
        ("march 3rd 2028", "2028-03-03"),
        (
            "umm i think its sometime in march 2028? march 3rd",
            "2028-03-03",
        ),
        ("my cert expires in january, the 20th", "2027-01-20"),
    ] {
        let t = spawn_app().await;
        t.say("c1", "/start", DEC1).await;
        let r = text(&t.say("c1", what, DEC1).await);
        assert!(r.contains("Just to check"), "{what:?} -> {r}");
        assert_eq!(t.expiration("c1").await, None, "{what:?}");
        t.press("c1", "yes", DEC1).await;
        assert_eq!(t.expiration("c1").await.as_deref(), Some(want), "{what:?}");
    }
}

#[tokio::test]
async fn a_weekday_in_a_question_is_answered_not_stored() {
    let t = spawn_app().await;
    let r = text(&t.say("c1", "are u open on sunday", DEC1).await);
    assert!(!r.contains("Just to check") && !r.contains("Got it"), "{r}");
    assert!(
        r.contains("Advisors answer"),
        "the hours are the answer: {r}"
    );
    assert_eq!(t.expiration("c1").await, None);
    // Also while the bot is waiting for the date.
    t.say("c1", "/start", DEC1).await;
    let r = text(&t.say("c1", "are u open on sunday", DEC1).await);
    assert!(!r.contains("Just to check"), "{r}");
    assert_eq!(t.expiration("c1").await, None);
}

#[tokio::test]
async fn a_ce_log_is_never_taken_for_the_expiration_date() {
    let t = spawn_app().await;
    let r = text(&t.say("c1", "/status", NOW).await);
    assert!(r.contains("expire"), "{r}");
    let msg = "did a 2 hour nutrition workshop yesterday, approved provider";
    let r = text(&t.say("c1", msg, NOW).await);
    assert!(!r.contains("Just to check"), "{r}");
    assert!(r.contains("Before I log this"), "{r}");
    assert_eq!(t.expiration("c1").await, None);
    let r = text(&t.say("c1", "March 15, 2027", NOW).await);
    assert!(r.contains("expires on Mon, Mar 15, 2027"), "{r}");
    let r = text(&t.say("c1", "yep", NOW).await);
    assert!(r.contains("Got it") && r.contains("Save?"), "{r}");
    assert_eq!(t.expiration("c1").await.as_deref(), Some("2027-03-15"));
    t.say("c1", "looks good", NOW).await;
    assert_eq!(
        t.entries("c1").await,
        vec![entry(120, "nutrition", "2026-11-22", "approved")]
    );
}

#[tokio::test]
async fn a_corrected_year_is_read_back_again() {
    let t = spawn_app().await;
    let r = text(
        &t.say("c1", "my certification expires March 15, 2027", DEC1)
            .await,
    );
    assert!(r.contains("Mon, Mar 15, 2027"), "{r}");
    let r = text(&t.say("c1", "no thats wrong its 2028 not 2027", DEC1).await);
    assert!(r.contains("expires on Wed, Mar 15, 2028"), "{r}");
    assert_eq!(t.expiration("c1").await, None);
    t.say("c1", "yes", DEC1).await;
    assert_eq!(t.expiration("c1").await.as_deref(), Some("2028-03-15"));
}

#[tokio::test]
async fn no_stores_nothing_and_asks_again() {
    for no in ["no", "nah", "ugh no nevermind", "wait no"] {
        let t = spawn_app().await;
        t.say("c1", "my certification expires March 15, 2027", DEC1)
            .await;
        let r = text(&t.say("c1", no, DEC1).await);
        assert!(r.contains("haven't saved"), "{no:?} -> {r}");
        assert_eq!(t.expiration("c1").await, None, "{no:?}");
    }
}

#[tokio::test]
async fn yes_the_way_people_say_it_confirms_every_read_back() {
    for yes in [
        "yep",
        "yup",
        "looks good",
        "save it",
        "sure",
        "👍",
        "yep save",
    ] {
        let t = spawn_app().await;
        let got = read_back_then(
            &t,
            "my certification expires March 15, 2027",
            "Just to check",
            yes,
        )
        .await;
        assert_eq!(got.as_deref(), Some("2027-03-15"), "{yes:?}");
        let r = t
            .say("c1", "did 3 hours of nutrition yesterday from NASM", DEC1)
            .await;
        assert!(buttons(&r).contains(&"save".to_string()), "{}", text(&r));
        let r = text(&t.say("c1", yes, DEC1).await);
        assert!(r.contains("Saved"), "{yes:?} -> {r}");
        assert_eq!(t.entries("c1").await.len(), 1, "{yes:?}");
    }
}

#[tokio::test]
async fn no_and_cancel_the_way_people_say_them_store_nothing() {
    for no in ["nah", "ugh no nevermind", "forget that one", "wait no"] {
        let t = spawn_app().await;
        registered_with_a_summary(&t).await;
        let r = text(&t.say("c1", no, DEC1).await);
        assert!(r.contains("Nothing was saved"), "{no:?} -> {r}");
        assert!(t.entries("c1").await.is_empty(), "{no:?}");
        t.say("c1", "/forget", DEC1).await;
        let r = text(&t.say("c1", no, DEC1).await);
        assert!(r.contains("nothing was deleted"), "/forget, {no:?} -> {r}");
        assert!(t.expiration("c1").await.is_some(), "{no:?}");
    }
}

#[tokio::test]
async fn the_date_in_the_edit_menu_picks_the_date() {
    let t = spawn_app().await;
    registered_with_a_summary(&t).await;
    t.press("c1", "edit", DEC1).await;
    let r = text(&t.say("c1", "the date", DEC1).await);
    assert!(r.contains("When did you complete it"), "{r}");
}

#[tokio::test]
async fn audits_memberships_and_petitions_are_read_back_first() {
    let t = spawn_registered("c1", DEC1).await;
    let r = text(&t.say("c1", "I'm a recertify for life member", DEC1).await);
    assert!(
        r.contains("Just to check: you're a Recertify for Life member"),
        "{r}"
    );
    let r = text(&t.say("c1", "nope", DEC1).await);
    assert!(r.contains("haven't changed anything"), "{r}");
    let s = text(&t.say("c1", "/status", DEC1).await);
    assert!(s.contains("$99"), "the fee still applies: {s}");
    // A declined petition is recorded (after a read-back) and never counts.
    t.say(
        "c1",
        "did 2 hours of nutrition yesterday, not approved",
        DEC1,
    )
    .await;
    t.say("c1", "yes", DEC1).await;
    let r = text(&t.say("c1", "my petition got denied", DEC1).await);
    assert!(
        r.contains("Just to check: NASM declined your petition"),
        "{r}"
    );
    let r = text(&t.say("c1", "yes", DEC1).await);
    assert!(r.contains("Recorded: NASM declined"), "{r}");
    let mut conn = crate::db::conn(t.app.store()).await;
    let declined: bool = recert_bot::on!(&mut conn, |c| sqlx::query_scalar(
        "SELECT petition_declined FROM ce_entries"
    )
    .fetch_one(c)
    .await
    .expect("entry"));
    assert!(declined);
}

#[tokio::test]
async fn deletions_in_everyday_words_are_read_back_first() {
    let t = spawn_app().await;
    registered_with_a_summary(&t).await;
    t.say("c1", "yes", DEC1).await;
    assert_eq!(t.entries("c1").await.len(), 1);
    for (say, answer) in [
        ("ugh, remove the last one", "nah"),
        ("hmm scrap that entry", "yes"),
    ] {
        let r = text(&t.say("c1", say, DEC1).await);
        assert!(
            r.contains("Delete this entry? Nov 30, 2026: 0.3 CEUs nutrition"),
            "{say:?} -> {r}"
        );
        assert_eq!(
            t.entries("c1").await.len(),
            1,
            "{say:?}: not before the answer"
        );
        t.say("c1", answer, DEC1).await;
    }
    assert!(t.entries("c1").await.is_empty(), "deleted after yes");
}

#[tokio::test]
async fn a_petition_approved_with_an_emoji_is_read_back_first() {
    let t = spawn_registered("c1", DEC1).await;
    t.say(
        "c1",
        "did 2 hours of nutrition yesterday, not approved",
        DEC1,
    )
    .await;
    t.say("c1", "yes", DEC1).await;
    let r = text(
        &t.say("c1", "omg nasm approved my kettlebell petition 🎉", DEC1)
            .await,
    );
    assert!(
        r.contains("Just to check: NASM approved your petition"),
        "{r}"
    );
    let s = text(&t.say("c1", "👍", DEC1).await);
    assert!(s.contains("now counts"), "{s}");
    let s = text(&t.say("c1", "/status", DEC1).await);
    assert!(s.contains("0.2 of 2.0 CEUs"), "{s}");
}
