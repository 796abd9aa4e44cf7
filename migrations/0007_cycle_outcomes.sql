-- What the trainer told us happened in this cycle, so status and reminders stop asking
-- for what is already done. Each is read back and confirmed in the chat before it is
-- stored; all three start empty for records made before this migration.

-- The day the trainer said they applied (renewed and paid) for the cycle ending on
-- expires_on: renewal reminders stop, and status says what comes next. Cleared when a
-- new expiration date starts the next cycle.
ALTER TABLE certifications ADD COLUMN applied_on TEXT;

-- The day the trainer said they sent every audit document to NASM: the audit is no
-- longer shown as due or overdue, and its reminders stop.
ALTER TABLE certifications ADD COLUMN audit_closed_on TEXT;

-- NASM declined this petitioned course: it never counts (neither earned nor pending).
ALTER TABLE ce_entries ADD COLUMN petition_declined INTEGER NOT NULL DEFAULT 0;
