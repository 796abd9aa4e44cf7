-- After a late renewal, courses completed in the old cycle's grace period (after its
-- expiration, up to the application) were used for that renewal; they must not count
-- toward the next cycle too, although their dates fall inside it. The first completion
-- date that counts toward this cycle, when later than the cycle's start; NULL: the
-- cycle's start (the day after the previous expiration).
ALTER TABLE certifications ADD COLUMN counts_from TEXT;
