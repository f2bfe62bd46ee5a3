-- Evidence packages for partner countries (docs/package.md): the partner registry (a partner's
-- country, its age recipients and the keys it signs with, added and rotated by an admin) and
-- the packages asked for, approved by a second person (four eyes) and built.

-- One row per partner and version: a rotation adds a version and retires the one before, so
-- what a past package was encrypted to stays on record.
CREATE TABLE partners (
  id bigserial PRIMARY KEY,
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  name text NOT NULL,
  -- age X25519 recipients (age1…): every one can open the package
  recipients text[] NOT NULL CHECK (cardinality(recipients) > 0),
  -- the partner's own signing keys (e.g. for its acknowledgements), as given: optional
  signing_keys text[] NOT NULL DEFAULT '{}',
  version integer NOT NULL,
  added_by text NOT NULL,
  added_at timestamptz NOT NULL,
  retired_at timestamptz,
  UNIQUE (country, version)
);
CREATE UNIQUE INDEX partners_current ON partners (country) WHERE retired_at IS NULL;

CREATE TABLE packages (
  id bigserial PRIMARY KEY,
  uuid text NOT NULL UNIQUE,
  country text NOT NULL,
  partner_id bigint NOT NULL REFERENCES partners (id),
  -- requested → approved (or refused) → building → built; a build that fails goes back to
  -- approved; a partner's keys rotated before the build send it back to requested
  state text NOT NULL DEFAULT 'requested'
    CHECK (state IN ('requested', 'approved', 'building', 'built', 'refused')),
  reason text NOT NULL,
  requested_by integer NOT NULL REFERENCES users (id),
  requested_at timestamptz NOT NULL,
  approved_by integer REFERENCES users (id),
  approved_at timestamptz,
  -- who is building it, since when (a build that died leaves these: `package build --again`)
  building_by text,
  building_since timestamptz,
  built_at timestamptz,
  -- the built package: its file (relative to the case's folder), size, SHA-256 of the
  -- encrypted file and of the signed manifest
  file text,
  bytes bigint,
  sha256 text,
  manifest_sha256 text,
  CHECK (approved_by IS NULL OR approved_by <> requested_by)
);
