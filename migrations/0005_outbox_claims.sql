-- Outbox delivery claims its rows, so two workers never send the same message.
-- A worker sets `claimed_until` (a lease) on the rows it takes, in one transaction,
-- and only rows whose lease is absent or past are taken. A worker that dies with rows
-- claimed leaves them to the next worker once the lease runs out. On PostgreSQL the
-- same claim is `SELECT … FOR UPDATE SKIP LOCKED` followed by this UPDATE.
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
