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
    let mut conn = t.app.store().pool().acquire().await.unwrap();
    let tr = trainers::upsert(&mut conn, "jsonl", "u1", &"u1".into(), Some("Ana"), now)
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
    let declined = list.iter().find(|e| e.id == p.0).unwrap();
    assert!(declined.petition_declined && !declined.petition_approved);
    assert!(!list.iter().find(|e| e.id == n.0).unwrap().petition_declined);

    let record = export::record(&mut conn, &tr).await.unwrap();
    let c = record.certification.unwrap();
    assert_eq!(c.applied_on.as_deref(), Some("2027-03-01"));
    assert_eq!(c.audit_closed_on.as_deref(), Some("2027-03-02"));
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
    let mut conn = t.app.store().pool().acquire().await.unwrap();
    let tr = trainers::upsert(&mut conn, "jsonl", "u1", &"u1".into(), None, now)
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
