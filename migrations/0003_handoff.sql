-- Hand-off to live advisors: tickets with their state, and messages trainers leave
-- while advisors are away (delivered at the next opening).

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    trainer_id        INTEGER NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
    reason            TEXT NOT NULL,
    -- 'waiting' (nobody claimed it yet), 'claimed', or 'closed'.
    state             TEXT NOT NULL CHECK (state IN ('waiting', 'claimed', 'closed')),
    advisor_name      TEXT,
    opened_at         TEXT NOT NULL,
    claimed_at        TEXT,
    closed_at         TEXT,
    -- Set once the trainer was given the phone number for an unclaimed ticket.
    timeout_notified  INTEGER NOT NULL DEFAULT 0,
    -- Set once both sides were told advisors closed with this ticket still open.
    closing_notified  INTEGER NOT NULL DEFAULT 0
);
-- At most one open ticket per trainer.
CREATE UNIQUE INDEX tickets_one_open ON tickets (trainer_id) WHERE state <> 'closed';
CREATE INDEX tickets_state ON tickets (state, opened_at);

CREATE TABLE left_messages (
    id           INTEGER PRIMARY KEY,
    trainer_id   INTEGER NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    left_at      TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX left_messages_pending ON left_messages (delivered_at);
