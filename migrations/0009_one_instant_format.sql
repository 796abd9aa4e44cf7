-- One text format for instants in every table: RFC 3339 UTC as sqlx writes a
-- DateTime<Utc> (seconds, then .mmm, .uuuuuu or .nnnnnnnnn only when not zero, then
-- +00:00), the format every other table already used. The outbox and reminders_sent
-- wrote fixed-width microseconds with a Z ('2026-11-23T18:00:00.000000Z'); those values
-- are rewritten here to the same instant in the common format, so comparisons such as
-- `next_attempt_at <= now` keep meaning time order. Values in any other shape (none are
-- written) are left as they are.

UPDATE outbox SET
    created_at = CASE WHEN length(created_at) = 27 AND substr(created_at, 27, 1) = 'Z'
        THEN substr(created_at, 1, 19) || CASE
            WHEN substr(created_at, 21, 6) = '000000' THEN ''
            WHEN substr(created_at, 24, 3) = '000' THEN '.' || substr(created_at, 21, 3)
            ELSE '.' || substr(created_at, 21, 6) END || '+00:00'
        ELSE created_at END,
    sent_at = CASE WHEN length(sent_at) = 27 AND substr(sent_at, 27, 1) = 'Z'
        THEN substr(sent_at, 1, 19) || CASE
            WHEN substr(sent_at, 21, 6) = '000000' THEN ''
            WHEN substr(sent_at, 24, 3) = '000' THEN '.' || substr(sent_at, 21, 3)
            ELSE '.' || substr(sent_at, 21, 6) END || '+00:00'
        ELSE sent_at END,
    next_attempt_at = CASE WHEN length(next_attempt_at) = 27 AND substr(next_attempt_at, 27, 1) = 'Z'
        THEN substr(next_attempt_at, 1, 19) || CASE
            WHEN substr(next_attempt_at, 21, 6) = '000000' THEN ''
            WHEN substr(next_attempt_at, 24, 3) = '000' THEN '.' || substr(next_attempt_at, 21, 3)
            ELSE '.' || substr(next_attempt_at, 21, 6) END || '+00:00'
        ELSE next_attempt_at END,
    claimed_until = CASE WHEN length(claimed_until) = 27 AND substr(claimed_until, 27, 1) = 'Z'
        THEN substr(claimed_until, 1, 19) || CASE
            WHEN substr(claimed_until, 21, 6) = '000000' THEN ''
            WHEN substr(claimed_until, 24, 3) = '000' THEN '.' || substr(claimed_until, 21, 3)
            ELSE '.' || substr(claimed_until, 21, 6) END || '+00:00'
        ELSE claimed_until END;

UPDATE reminders_sent SET
    queued_at = CASE WHEN length(queued_at) = 27 AND substr(queued_at, 27, 1) = 'Z'
        THEN substr(queued_at, 1, 19) || CASE
            WHEN substr(queued_at, 21, 6) = '000000' THEN ''
            WHEN substr(queued_at, 24, 3) = '000' THEN '.' || substr(queued_at, 21, 3)
            ELSE '.' || substr(queued_at, 21, 6) END || '+00:00'
        ELSE queued_at END;
