-- The audit log's Merkle tree (docs/audit.md): its head, kept as each entry is written (the
-- roots of the perfect subtrees its entries fill, largest first, so an append costs O(log n)
-- hashes and no rescan), and the signed checkpoints written of it. The head can be rebuilt
-- from the entries, which are the truth: a head behind the log is caught up on the next write.
CREATE TABLE audit_head (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  size bigint NOT NULL,
  -- hex SHA-256 hashes, comma-separated, largest subtree first
  frontier text NOT NULL
);

-- Checkpoints (C2SP tlog-checkpoint signed notes) as written: on every change of state that
-- matters (a campaign approved, an export, an evidence package) and on demand. Append-only,
-- as the log is.
CREATE TABLE audit_checkpoints (
  id bigserial PRIMARY KEY,
  size bigint NOT NULL,
  root text NOT NULL,
  note text NOT NULL,
  at timestamptz NOT NULL,
  reason text NOT NULL
);
CREATE TRIGGER audit_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
