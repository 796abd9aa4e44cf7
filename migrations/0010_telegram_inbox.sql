-- Telegram updates as they arrived, committed before their offset is confirmed
-- (polling) and before the webhook answers 2xx, so a crash at any instant loses none.
-- `handled_at` is set in the same transaction that applies the update's effects and
-- queues its replies; on start-up the rows still NULL there are handled first.
-- Handled rows stay a day (Telegram keeps an update at most 24 hours), so a
-- redelivered update_id is recognised and not handled twice; then they are purged.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    -- The update as Telegram sent it (JSON text).
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    handled_at  TEXT
);
CREATE INDEX inbox_pending ON inbox (update_id) WHERE handled_at IS NULL;
CREATE INDEX inbox_handled ON inbox (handled_at) WHERE handled_at IS NOT NULL;
