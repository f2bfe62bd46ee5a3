-- The portal's guard decides in the same statement that counts an attempt (no race between
-- reading a wait and counting a failure): whether that attempt was refused for a wait.
ALTER TABLE portal_attempts ADD COLUMN refused boolean NOT NULL DEFAULT false;

-- Attempt counters are short-lived defences, not records: kept out of the write-ahead log, so
-- counting an attempt costs no disk flush (after a database crash they start again from zero).
ALTER TABLE portal_attempts SET UNLOGGED;
