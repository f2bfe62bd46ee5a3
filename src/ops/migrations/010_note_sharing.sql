-- A note on a suspect is the owning unit's until its author shares it with the partner unit of
-- the suspect's country (docs/console.md, "Users and roles"): `shared_with` is that country,
-- fixed when the note is written; NULL (every note written before) is never shown to a partner.
ALTER TABLE annotations ADD COLUMN shared_with text CHECK (shared_with ~ '^[A-Z]{2}$');
ALTER TABLE annotations ADD CONSTRAINT annotations_shared_suspect
  CHECK (shared_with IS NULL OR target_type = 'suspect');
