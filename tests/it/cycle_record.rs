//! The record of what a trainer did in a cycle: the application, the audit closed, a
//! petition declined. Stored, read back, exported, and seen by the reminders.

use chrono::NaiveDate;
use recert_bot::conversation::NewEntry;
use recert_bot::domain::TrainerId;
use recert_bot::reminders::refresh_next;
use recert_bot::rules::{Area, Certification, Ceu, Provider};
use recert_bot::store::{entries, export, reminders as sent, trainers};

use crate::support::{at, spawn_app};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[tokio::test]
async fn application_audit_and_declined_petition_are_stored_and_read_back() {
    let t = spawn_app().await;
    let now = at("2027-03-01T18:00:00Z");
    let mut conn = t.app.store().acquire().await.unwrap();
    let tr = trainers::upsert(&mut conn, "jsonl", "u1", "u1", Some("Ana"), now)
        .await
        .unwrap()
        .trainer;
    // No certification yet: nothing to record against.
    assert!(
        !trainers::record_application(&mut conn, tr.id, d(2027, 3, 1))
            .await
            .unwrap()
    );
    let mut cert = Certification::new(d(2027, 3, 15));
    cert.audit_selected_on = Some(d(2027, 2, 20));
    trainers::save_certification(&mut conn, tr.id, &cert)
        .await
        .unwrap();
    assert_eq!(
        trainers::certification(&mut conn, tr.id).await.unwrap(),
        Some(cert.clone())
    );

    assert!(
        trainers::record_application(&mut conn, tr.id, d(2027, 3, 1))
            .await
            .unwrap()
    );
    assert!(
        trainers::close_audit(&mut conn, tr.id, d(2027, 3, 2))
            .await
            .unwrap()
    );
    let stored = trainers::certification(&mut conn, tr.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.applied_on, Some(d(2027, 3, 1)));
    assert_eq!(stored.audit_closed_on, Some(d(2027, 3, 2)));
    // Saving the whole record keeps them.
    trainers::save_certification(&mut conn, tr.id, &stored)
        .await
        .unwrap();
    assert_eq!(
        trainers::certification(&mut conn, tr.id).await.unwrap(),
        Some(stored.clone())
    );

    let petition = NewEntry {
        completed_on: d(2026, 12, 1),
        amount: Ceu::from_hours(4),
        area: Area::Nutrition,
        provider: Provider::Petition,
        title: Some("Gut health seminar".into()),
    };
    let nasm = NewEntry {
        provider: Provider::Nasm,
        ..petition.clone()
    };
    let p = entries::insert(&mut conn, tr.id, &petition, now)
        .await
        .unwrap();
    let n = entries::insert(&mut conn, tr.id, &nasm, now).await.unwrap();
    assert!(
        entries::approve_petition(&mut conn, tr.id, p)
            .await
            .unwrap()
    );
    assert!(
        entries::decline_petition(&mut conn, tr.id, p)
            .await
            .unwrap()
    );
    // Only a petition can be declined, and only the owner's.
    assert!(
        !entries::decline_petition(&mut conn, tr.id, n)
            .await
            .unwrap()
    );
    assert!(
        !entries::decline_petition(&mut conn, TrainerId(tr.id.0 + 1), p)
            .await
            .unwrap()
    );
    let list = entries::list(&mut conn, tr.id).await.unwrap();
    let declined = list.iter().find(|e| e.id == p).unwrap();
    assert!(declined.petition_declined && !declined.petition_approved);
    assert!(!list.iter().find(|e| e.id == n).unwrap().petition_declined);

    let record = export::record(&mut conn, &tr).await.unwrap();
    let c = record.certification.unwrap();
    assert_eq!(
        c.applied_on.map(|d| d.to_string()).as_deref(),
        Some("2027-03-01")
    );
    assert_eq!(
        c.audit_closed_on.map(|d| d.to_string()).as_deref(),
        Some("2027-03-02")
    );
    assert_eq!(
        record
            .entries
            .iter()
            .filter(|e| e.petition_declined)
            .count(),
        1
    );
}

#[tokio::test]
async fn recording_the_application_stops_the_cycles_renewal_reminders() {
    let t = spawn_app().await;
    let now = at("2027-03-01T18:00:00Z");
    let mut conn = t.app.store().acquire().await.unwrap();
    let tr = trainers::upsert(&mut conn, "jsonl", "u1", "u1", None, now)
        .await
        .unwrap()
        .trainer;
    let mut cert = Certification::new(d(2027, 3, 15));
    cert.cpr_expires_on = Some(d(2028, 6, 1));
    trainers::save_certification(&mut conn, tr.id, &cert)
        .await
        .unwrap();
    refresh_next(&mut conn, t.app.policy(), tr.id, now)
        .await
        .unwrap();
    assert_eq!(
        sent::next(&mut conn, tr.id).await.unwrap(),
        Some(d(2027, 3, 1))
    );

    trainers::record_application(&mut conn, tr.id, d(2027, 3, 1))
        .await
        .unwrap();
    refresh_next(&mut conn, t.app.policy(), tr.id, now)
        .await
        .unwrap();
    assert_eq!(sent::next(&mut conn, tr.id).await.unwrap(), None);
    drop(conn);
    let report = t
        .app
        .sweep_reminders(at("2027-03-08T18:00:00Z"), Default::default())
        .await
        .unwrap();
    assert!(report.queued.is_empty(), "{:?}", report.queued);
}

/// Registers `chat` (expiring Mar 15, 2027), a current CPR card, and `hours` of CE
/// completed on `on`, through the dialogue.
async fn ready(t: &crate::support::TestApp, chat: &str, on: &str, hours: u32, when: &str) {
    t.say(chat, "my certification expires on March 15, 2027", when)
        .await;
    t.say(chat, "yes", when).await;
    t.say(chat, "my CPR card expires on 2028-06-01", when).await;
    t.say(chat, "yes", when).await;
    t.say(
        chat,
        &format!("{hours} hours nutrition course on {on}"),
        when,
    )
    .await;
    save(t, chat, when).await;
}

/// Answers the logging dialogue's questions with yes until the entry is saved.
async fn save(t: &crate::support::TestApp, chat: &str, when: &str) {
    for _ in 0..3 {
        let r = t.say(chat, "yes", when).await;
        if text(&r).contains("Saved") {
            return;
        }
    }
    panic!("not saved");
}

use crate::support::{buttons, text};

#[tokio::test]
async fn applying_is_read_back_recorded_and_the_new_date_starts_a_new_cycle() {
    let t = spawn_app().await;
    let when = "2027-03-01T18:00:00Z";
    ready(&t, "c1", "2026-11-10", 20, when).await;
    let r = t.say("c1", "/status", when).await;
    assert!(text(&r).contains("Apply now"), "{}", text(&r));
    assert!(buttons(&r).contains(&"applied".to_string()), "{r:?}");

    // Read back first: nothing is stored before Yes.
    let r = t.press("c1", "applied", when).await;
    assert!(text(&r).contains("you applied (and paid)"), "{}", text(&r));
    let r = t.press("c1", "no", when).await;
    assert!(text(&r).contains("haven't recorded"), "{}", text(&r));
    t.press("c1", "applied", when).await;
    let r = t.press("c1", "yes", when).await;
    let said = text(&r);
    assert!(
        said.contains("Recorded: you applied on Mon, Mar 1, 2027"),
        "{said}"
    );
    assert!(said.contains("verification email"), "{said}");
    assert!(said.contains("normally Thu, Mar 15, 2029"), "{said}");

    // Not heard from NASM yet: status tells what comes next and asks for nothing.
    let r = t.say("c1", "not yet", when).await;
    assert!(
        text(&r).contains("send me your new expiration date"),
        "{}",
        text(&r)
    );
    let s = text(&t.say("c1", "/status", "2027-03-20T18:00:00Z").await);
    assert!(
        s.contains("You told me you applied on Mon, Mar 1, 2027"),
        "{s}"
    );
    assert!(!s.contains("Apply now") && !s.contains("Total:"), "{s}");

    // The new date, typed: read back, then confirmed.
    t.press("c1", "newcycle", "2027-03-20T18:00:00Z").await;
    let r = t.say("c1", "March 15 2029", "2027-03-20T18:00:00Z").await;
    assert!(
        text(&r).contains("So your new expiration date is Thu, Mar 15, 2029?"),
        "{}",
        text(&r)
    );
    assert_eq!(t.expiration("c1").await.as_deref(), Some("2027-03-15"));
    let r = t.press("c1", "yes", "2027-03-20T18:00:00Z").await;
    assert!(
        text(&r).contains("Your new cycle has started"),
        "{}",
        text(&r)
    );
    assert_eq!(t.expiration("c1").await.as_deref(), Some("2029-03-15"));

    // The old cycle's CEUs stay in the record but do not count.
    assert_eq!(t.entries("c1").await.len(), 1);
    let s = text(&t.say("c1", "/status", "2027-03-20T18:00:00Z").await);
    assert!(s.contains("0.0 of 2.0 CEUs"), "{s}");
    assert!(s.contains("expires on Thu, Mar 15, 2029"), "{s}");
    assert!(!s.contains("applied on"), "{s}");
}

#[tokio::test]
async fn after_a_late_renewal_the_grace_period_courses_do_not_count_twice() {
    let t = spawn_app().await;
    let when = "2027-04-10T18:00:00Z";
    t.say(
        "c1",
        "my certification expires on March 15, 2027",
        "2027-03-01T18:00:00Z",
    )
    .await;
    t.say("c1", "yes", "2027-03-01T18:00:00Z").await;
    t.say(
        "c1",
        "my CPR card expires on 2028-06-01",
        "2027-03-01T18:00:00Z",
    )
    .await;
    t.say("c1", "yes", "2027-03-01T18:00:00Z").await;
    // Completed in the grace period after expiration, used for the late renewal.
    t.say("c1", "20 hours nutrition course on April 1 2027", when)
        .await;
    save(&t, "c1", when).await;
    let s = text(&t.say("c1", "/status", when).await);
    assert!(s.contains("Total: $129"), "{s}");
    t.press("c1", "applied", when).await;
    t.press("c1", "yes", when).await;
    let r = t.press("c1", "yes", when).await;
    assert!(
        text(&r).contains("Your new cycle has started"),
        "{}",
        text(&r)
    );
    assert_eq!(t.expiration("c1").await.as_deref(), Some("2029-03-15"));
    let s = text(&t.say("c1", "/status", when).await);
    assert!(s.contains("0.0 of 2.0 CEUs"), "{s}");
    assert!(s.contains("1 entry is from before this cycle"), "{s}");
    // On the day of the application a course still belongs to the old cycle; after it,
    // to the new one.
    let later = "2027-04-20T18:00:00Z";
    let r = t
        .say("c1", "2 hours assessment on April 10 2027", later)
        .await;
    assert!(
        text(&r).contains("before your current cycle"),
        "{}",
        text(&r)
    );
    t.say("c1", "/cancel", later).await;
    t.say("c1", "2 hours assessment on April 12 2027", later)
        .await;
    save(&t, "c1", later).await;
    let s = text(&t.say("c1", "/status", later).await);
    assert!(s.contains("0.2 of 2.0 CEUs"), "{s}");
}

#[tokio::test]
async fn sending_the_audit_documents_closes_the_audit_after_a_read_back() {
    let t = spawn_app().await;
    let when = "2027-03-01T18:00:00Z";
    ready(&t, "c1", "2026-11-10", 20, when).await;
    let r = t
        .say("c1", "I was selected for an audit on February 20", when)
        .await;
    assert!(
        text(&r).contains("Just to check: NASM selected you for an audit on Sat, Feb 20, 2027"),
        "{}",
        text(&r)
    );
    t.say("c1", "yep", when).await;
    let late = "2027-03-25T18:00:00Z";
    let s = text(&t.say("c1", "/status", late).await);
    assert!(
        s.contains(
            "were due at NASM's Recertification Department on Mon, Mar 22, 2027, 3 days ago"
        ),
        "{s}"
    );
    let r = t.press("c1", "audit_sent", late).await;
    assert!(text(&r).contains("Just to check"), "{}", text(&r));
    let r = t.press("c1", "yes", late).await;
    assert!(
        text(&r).contains("Recorded: you sent your audit documents"),
        "{}",
        text(&r)
    );
    let s = text(&t.say("c1", "/status", late).await);
    assert!(
        s.contains("you sent your documents to NASM on Thu, Mar 25, 2027"),
        "{s}"
    );
    assert!(!s.contains("overdue") && !s.contains("were due"), "{s}");
    assert!(!buttons(&t.say("c1", "/status", late).await).contains(&"audit_sent".to_string()));
}
