-- A victim's own code failing again and again (docs/portal.md, "Security"): whoever holds a
-- victim's code can hold up a victim who has not yet signed in (no device token) by failing
-- with it. When one real code reaches its wait, the portal raises an alarm that names the
-- message (never the code) so that the unit can reach the victim; a supervisor who has can
-- clear the code's wait. At most one open alarm per code.
ALTER TABLE portal_alarms
  ADD COLUMN message_id bigint REFERENCES messages (id),
  ADD COLUMN code_key text,
  ADD COLUMN failures integer;
CREATE UNIQUE INDEX portal_alarms_open_code ON portal_alarms (code_key)
  WHERE acknowledged_at IS NULL AND code_key IS NOT NULL;
