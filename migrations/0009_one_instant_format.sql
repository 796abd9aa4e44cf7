-- One text format for instants in every table: RFC 3339 UTC as sqlx writes a
-- DateTime<Utc> (seconds, then .mmm, .uuuuuu or .nnnnnnnnn only when not zero, then
-- +00:00), the format every other table already used. The outbox and reminders_sent
-- wrote fixed-width microseconds with a Z ('2026-11-23T18:00:00.000000Z'); those values
-- are rewritten here to the same instant in the common format, so comparisons such as
-- `next_attempt_at <= now` keep meaning time order. Values in any other shape (none are
-- written) are left as they are.

-- Each old value once, with its new text.
CREATE TEMP TABLE instant_fix (old TEXT PRIMARY KEY, new TEXT NOT NULL);
INSERT INTO instant_fix (old, new)
SELECT old, substr(old, 1, 19) || CASE
        WHEN substr(old, 21, 6) = '000000' THEN ''
        WHEN substr(old, 24, 3) = '000' THEN '.' || substr(old, 21, 3)
        ELSE '.' || substr(old, 21, 6) END || '+00:00'
FROM (SELECT created_at AS old FROM outbox
      UNION SELECT sent_at FROM outbox
      UNION SELECT next_attempt_at FROM outbox
      UNION SELECT claimed_until FROM outbox
      UNION SELECT queued_at FROM reminders_sent)
WHERE length(old) = 27 AND substr(old, 20, 1) = '.' AND substr(old, 27, 1) = 'Z';

UPDATE outbox SET
    created_at = COALESCE((SELECT new FROM instant_fix WHERE old = created_at), created_at),
    sent_at = COALESCE((SELECT new FROM instant_fix WHERE old = sent_at), sent_at),
    next_attempt_at =
        COALESCE((SELECT new FROM instant_fix WHERE old = next_attempt_at), next_attempt_at),
    claimed_until =
        COALESCE((SELECT new FROM instant_fix WHERE old = claimed_until), claimed_until);

UPDATE reminders_sent SET
    queued_at = COALESCE((SELECT new FROM instant_fix WHERE old = queued_at), queued_at);

DROP TABLE instant_fix;
