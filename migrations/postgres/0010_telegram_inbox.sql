-- As ../0010_telegram_inbox.sql: Telegram updates as they arrived, committed before
-- their offset is confirmed or the webhook answers; `handled_at` set in the
-- transaction that applies the update.
CREATE TABLE inbox (
    update_id   BIGINT PRIMARY KEY,
    body        TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    handled_at  TIMESTAMPTZ
);
CREATE INDEX inbox_pending ON inbox (update_id) WHERE handled_at IS NULL;
CREATE INDEX inbox_handled ON inbox (handled_at) WHERE handled_at IS NOT NULL;
