-- The reply outbox of the Telegram transport: every Bot API request the bot means to
-- make (a message, a piece of a long message, a document, a card edit), written in the
-- same transaction as the effects that caused it and sent after the commit. One row is
-- one request; a row is deleted once Telegram accepts it. Each chat's rows are sent in
-- id order, one at a time, so a slow or rate-limited chat waits alone.
CREATE TABLE replies (
    id              INTEGER PRIMARY KEY,
    chat_ref        TEXT NOT NULL,
    -- JSON of the request (see transport::telegram::queue).
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL,
    -- A lease while one sender holds the row, as in the reminders' outbox.
    claimed_until   TEXT
);
CREATE INDEX replies_chat ON replies (chat_ref, id);

-- A private chat whose trainer blocked the bot (403) or that Telegram no longer knows:
-- nothing more is queued for it until the trainer writes again.
CREATE TABLE unreachable_chats (
    chat_ref TEXT PRIMARY KEY,
    since    TEXT NOT NULL,
    reason   TEXT NOT NULL
);
