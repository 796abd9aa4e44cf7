-- Unanswered questions are grouped by a normalised form of the text (lowercase letters
-- and digits, single spaces), so "What's the weather like?" and "whats the weather
-- like" count as one question. Rows recorded before this column fall back to the text.
ALTER TABLE faq_misses ADD COLUMN key TEXT;
CREATE INDEX faq_misses_key ON faq_misses (key);
