-- The victim portal: reports victims send (with their evidence), the portal's short sessions,
-- and the attempts counters its rate limits and guessing alarm read.

-- A victim's report, one per message (the text and its reference code that led them here).
-- A draft keeps its answers for 7 days after the last save; once sent it has a crime reference.
CREATE TABLE reports (
  id bigserial PRIMARY KEY,
  message_id bigint NOT NULL UNIQUE REFERENCES messages (id),
  state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'cy', 'nl', 'fr')),
  answers jsonb NOT NULL DEFAULT '{}',
  -- The total reported lost, in pence (GBP transactions only; others are kept in answers).
  lost_gbp_minor bigint NOT NULL DEFAULT 0,
  crime_ref text UNIQUE,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  submitted_at timestamptz,
  CHECK ((state = 'submitted') = (crime_ref IS NOT NULL AND submitted_at IS NOT NULL))
);
CREATE INDEX reports_submitted ON reports (submitted_at DESC) WHERE state = 'submitted';

-- Evidence files: the original byte-for-byte with its SHA-256, and for images a re-encoded
-- copy without metadata that is what anyone is shown.
CREATE TABLE report_evidence (
  id bigserial PRIMARY KEY,
  report_id bigint NOT NULL REFERENCES reports (id),
  name text NOT NULL,
  type text NOT NULL,
  bytes integer NOT NULL,
  sha256 text NOT NULL,
  original bytea NOT NULL,
  display bytea,
  display_type text,
  pages integer,
  added_at timestamptz NOT NULL,
  UNIQUE (report_id, sha256)
);

-- A victim's way back into their own report after code and digits matched: the cookie holds
-- the token, this table only its SHA-256.
CREATE TABLE portal_sessions (
  token_hash text PRIMARY KEY,
  report_id bigint NOT NULL REFERENCES reports (id),
  expires_at timestamptz NOT NULL
);

-- Failed attempts per key (a keyed hash of the client's address, or of the code typed), for
-- the growing delays; rows of a quiet key are forgotten after a day.
CREATE TABLE portal_attempts (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  last_at timestamptz NOT NULL,
  blocked_until timestamptz NOT NULL
);
CREATE INDEX portal_attempts_recent ON portal_attempts (last_at);

-- Guessing seen across many codes: raised by the portal, shown in the console until
-- acknowledged.
CREATE TABLE portal_alarms (
  id bigserial PRIMARY KEY,
  raised_at timestamptz NOT NULL,
  codes integer NOT NULL,
  addresses integer NOT NULL,
  acknowledged_by bigint REFERENCES users (id),
  acknowledged_at timestamptz
);
