-- Operations store, first version: which case it belongs to, users, sessions, annotations
-- and the audit log.

CREATE TABLE ops_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

-- Users log in with a password (argon2id) and a TOTP second factor, both set at enrolment
-- with a one-time secret (kept only as its SHA-256). A partner is scoped to one country.
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  role text NOT NULL CHECK (role IN ('analyst', 'outreach', 'supervisor', 'partner', 'admin')),
  country text CHECK (country ~ '^[A-Z]{2}$'),
  password_hash text,
  totp_secret text,
  totp_last_step bigint,
  enrolment_hash text,
  enrolment_expires_at timestamptz,
  enrolled_at timestamptz,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  CHECK ((role = 'partner') = (country IS NOT NULL))
);

-- A session is known by the SHA-256 of its cookie token: the token itself is never stored.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Notes and tags on what the analysis found; the seized data itself is never modified.
CREATE TABLE annotations (
  id bigserial PRIMARY KEY,
  target_type text NOT NULL CHECK (target_type IN ('suspect', 'victim', 'crew', 'quarantine')),
  target_id text NOT NULL,
  author_id bigint NOT NULL REFERENCES users (id),
  note text NOT NULL DEFAULT '',
  tags text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL
);
CREATE INDEX annotations_target ON annotations (target_type, target_id);

-- The audit log: one row per login, view of a victim, export and decision. Append-only: the
-- database refuses UPDATE, DELETE and TRUNCATE. Each row carries the SHA-256 of the row before
-- it and of itself (a hash chain over gapless ids), so a row changed or removed behind the
-- database's back shows when the chain is checked (`unspoof audit --verify`).
CREATE TABLE audit (
  id bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  reason text,
  detail jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);
CREATE INDEX audit_at ON audit (at);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
