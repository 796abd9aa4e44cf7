-- The core record: trainers, what they told us about their certification, their
-- continuing education, the dialogue in progress, and which messages were handled.
-- Dates are calendar dates as 'YYYY-MM-DD'; instants are RFC 3339 UTC text.

-- One trainer per channel and user id (a Telegram user and a JSONL user are distinct).
CREATE TABLE trainers (
    id                INTEGER PRIMARY KEY,
    channel           TEXT NOT NULL,
    user_ref          TEXT NOT NULL,
    -- Where to send proactive messages (reminders, advisor replies).
    chat_ref          TEXT NOT NULL,
    name              TEXT,
    reminders_enabled INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    UNIQUE (channel, user_ref)
);

-- What the trainer reported about their certification; absent until they register.
CREATE TABLE certifications (
    trainer_id         INTEGER PRIMARY KEY REFERENCES trainers (id) ON DELETE CASCADE,
    expires_on         TEXT NOT NULL,
    cpr_expires_on     TEXT,
    recertify_for_life INTEGER NOT NULL DEFAULT 0,
    audit_selected_on  TEXT,
    -- File references of the CPR/AED card's two sides (audits need both).
    cpr_front_ref      TEXT,
    cpr_back_ref       TEXT
);

-- Continuing education, exact to the contact minute (never floating point).
CREATE TABLE ce_entries (
    id                INTEGER PRIMARY KEY,
    trainer_id        INTEGER NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
    completed_on      TEXT NOT NULL,
    minutes           INTEGER NOT NULL CHECK (minutes > 0),
    area              TEXT NOT NULL,
    provider          TEXT NOT NULL,
    title             TEXT,
    petition_approved INTEGER NOT NULL DEFAULT 0,
    -- The certificate of completion: a Telegram file id or a path given over JSONL.
    document_ref      TEXT,
    created_at        TEXT NOT NULL
);
CREATE INDEX ce_entries_trainer ON ce_entries (trainer_id, completed_on);

-- The dialogue in progress (serialised conversation::State), so it survives restarts.
CREATE TABLE dialogues (
    trainer_id INTEGER PRIMARY KEY REFERENCES trainers (id) ON DELETE CASCADE,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Messages already acted on, so a redelivered message (same chat and id) is not.
CREATE TABLE processed_messages (
    channel      TEXT NOT NULL,
    chat_ref     TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    PRIMARY KEY (channel, chat_ref, message_id)
);

-- The conversation, both directions, for hand-off context; purged after retention.
CREATE TABLE transcript (
    id         INTEGER PRIMARY KEY,
    trainer_id INTEGER NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    from_bot   INTEGER NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX transcript_trainer ON transcript (trainer_id, id);
CREATE INDEX transcript_at ON transcript (at);

-- Questions the FAQ could not answer, for the support team to improve it.
CREATE TABLE faq_misses (
    id         INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    at         TEXT NOT NULL,
    best_topic TEXT,
    best_score REAL
);
