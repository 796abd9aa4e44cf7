-- Proactive reminders, sent exactly once: a record of every reminder handled (sent or
-- deliberately skipped) under a stable key, an outbox of messages waiting for delivery,
-- and each certification's next date on which a reminder could fall due, so a sweep
-- reads only the trainers with something to do.

-- The earliest date on which a reminder for this certification may be due (NULL: none
-- left this cycle). Advanced in the same transaction that records what was handled.
ALTER TABLE certifications ADD COLUMN next_reminder_on TEXT;
CREATE INDEX certifications_next_reminder
    ON certifications (next_reminder_on) WHERE next_reminder_on IS NOT NULL;

-- One row per reminder handled: the key is (trainer, cycle = expiration date, kind).
-- `outcome` is 'queued' or why it was skipped ('superseded', 'opted_out',
-- 'requirements_met', 'stale', 'audit_complete'): skipped ones never come back either.
CREATE TABLE reminders_sent (
    trainer_id INTEGER NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
    cycle      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    queued_at  TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    PRIMARY KEY (trainer_id, cycle, kind)
) WITHOUT ROWID;

-- Messages queued for delivery, in id order. Written in the same transaction as the
-- reminders_sent row; delivered later, retried with backoff on failure.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    trainer_id      INTEGER NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
    -- 'reminder': dropped at delivery when the trainer has opted out.
    purpose         TEXT NOT NULL DEFAULT 'reminder',
    chat_ref        TEXT NOT NULL,
    text            TEXT NOT NULL,
    -- JSON array of {"label","data"}.
    buttons         TEXT NOT NULL DEFAULT '[]',
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE sent_at IS NULL;
CREATE INDEX outbox_trainer ON outbox (trainer_id);
-- Delivered messages are purged after a while (see reminders::delivery).
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
