//! Operations: `GET /healthz` answers 200 while the database answers a query (503
//! otherwise), and `GET /metrics` serves Prometheus text: messages handled by outcome,
//! a histogram of handling time, outbox depth (reminders and Telegram replies waiting),
//! tickets waiting for an advisor, and reminders sent. Both are served on the webhook
//! listener, or on `--metrics ADDR` in polling mode ([`serve`]).
//!
//! Counters are recorded through the `metrics` facade into one process-wide
//! `metrics-exporter-prometheus` recorder, installed by [`install`] (called by
//! `App::new`); the two gauges are read from the database at each scrape, so every
//! instance reports the shared queue.

use std::sync::OnceLock;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::store::{Store, StoreError, outbox, replies, tickets};

/// Messages handled, by `outcome`: `replied`, `silent` (a duplicate, a group message
/// that needs no answer) or `failed`.
pub const MESSAGES: &str = "recert_messages_handled_total";
/// Seconds from a message's start to its replies being ready (inside its transaction).
pub const HANDLING: &str = "recert_message_handling_seconds";
/// Messages queued and not yet delivered: reminders and Telegram replies.
pub const OUTBOX: &str = "recert_outbox_depth";
/// Hand-off tickets no advisor has claimed yet.
pub const TICKETS: &str = "recert_tickets_waiting";
/// Reminders delivered.
pub const REMINDERS: &str = "recert_reminders_sent_total";

/// The histogram's buckets, in seconds.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// How long a scrape waits for the database before answering without the gauges.
const SCRAPE_DB_WAIT: Duration = Duration::from_secs(2);

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's Prometheus recorder (once; later calls return the same).
/// `None` when another recorder was installed first (metrics then go there).
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HANDLING.into()), BUCKETS)
                .and_then(PrometheusBuilder::install_recorder);
            match built {
                Ok(handle) => {
                    describe();
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

fn describe() {
    metrics::describe_counter!(MESSAGES, "Messages handled, by outcome");
    metrics::describe_histogram!(HANDLING, metrics::Unit::Seconds, "Time to handle a message");
    metrics::describe_gauge!(OUTBOX, "Messages queued for delivery");
    metrics::describe_gauge!(TICKETS, "Hand-off tickets waiting for an advisor");
    metrics::describe_counter!(REMINDERS, "Reminders delivered");
}

/// Records one handled message.
pub fn message_handled(outcome: &'static str, took: Duration) {
    metrics::counter!(MESSAGES, "outcome" => outcome).increment(1);
    metrics::histogram!(HANDLING).record(took.as_secs_f64());
}

/// Records a delivered reminder.
pub fn reminder_sent() {
    metrics::counter!(REMINDERS).increment(1);
}

/// `/healthz` and `/metrics`, to merge into a server's router.
pub fn routes(store: Store) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .with_state(store)
}

async fn healthz(State(store): State<Store>) -> Response {
    if store.is_reachable().await {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
    }
}

async fn metrics_text(State(store): State<Store>) -> Response {
    match tokio::time::timeout(SCRAPE_DB_WAIT, gauges(&store)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "metrics: the queue gauges could not be read"),
        Err(_) => tracing::warn!("metrics: the database did not answer in time"),
    }
    let body = install().map(PrometheusHandle::render).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Reads the queue gauges from the database.
async fn gauges(store: &Store) -> Result<(), StoreError> {
    let mut conn = store.acquire().await?;
    let depth = outbox::unsent(&mut conn).await? + replies::queued(&mut conn).await?;
    let waiting = tickets::waiting(&mut conn).await?;
    #[allow(clippy::cast_precision_loss)]
    {
        metrics::gauge!(OUTBOX).set(depth as f64);
        metrics::gauge!(TICKETS).set(waiting as f64);
    }
    Ok(())
}

/// Serves `/healthz` and `/metrics` on `tcp` until `stop` turns true (polling mode's
/// `--metrics ADDR`, bound by the caller so a busy address fails the start).
pub async fn serve(tcp: TcpListener, store: Store, mut stop: watch::Receiver<bool>) {
    if let Ok(addr) = tcp.local_addr() {
        tracing::info!(listen = %addr, "health and metrics listening");
    }
    let served = axum::serve(tcp, routes(store))
        .with_graceful_shutdown(async move {
            while !*stop.borrow_and_update() {
                if stop.changed().await.is_err() {
                    break;
                }
            }
        })
        .await;
    if let Err(e) = served {
        tracing::error!(error = %e, "the health and metrics server failed");
    }
}
