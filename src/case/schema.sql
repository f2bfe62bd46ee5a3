-- The analysis store of one case (CASE_DIR/analysis.duckdb). Seized rows as loaded, after
-- normalisation; every rejected row is in quarantine with its file, line and reason.
CREATE TABLE IF NOT EXISTS case_meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS files (
  file_id INTEGER PRIMARY KEY,
  name VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL UNIQUE,
  bytes BIGINT NOT NULL,
  kind VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  encoding VARCHAR NOT NULL,
  timezone VARCHAR,
  rows BIGINT NOT NULL,
  loaded BIGINT NOT NULL,
  quarantined BIGINT NOT NULL,
  ingested_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
  file_id INTEGER NOT NULL,
  line BIGINT NOT NULL,
  reason VARCHAR NOT NULL,
  detail VARCHAR,
  raw VARCHAR
);

CREATE TABLE IF NOT EXISTS accounts (
  account_id VARCHAR PRIMARY KEY,
  username VARCHAR,
  email VARCHAR,
  phone_raw VARCHAR,
  phone_e164 VARCHAR,
  phone_country VARCHAR,
  telegram VARCHAR,
  country VARCHAR,
  created_at TIMESTAMPTZ,
  plan VARCHAR,
  file_id INTEGER NOT NULL,
  -- Where the account comes from (docs/switch-records.md §3): `file` (an accounts file),
  -- `calls` (an account code only calls name), `none` (the export's unknown account, `(none)`,
  -- of calls with no account code). NULL in a case made before: an accounts file.
  origin VARCHAR
);
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS origin VARCHAR;

-- What a number is (numbers/normalise.ts), and a country as libphonenumber names one: any two
-- capital letters, in alphabetical order. Stored as 1- and 2-byte enums, not text: writing the
-- four status and country columns of 10M calls costs a quarter of the text's time. (A case made
-- before these types had them as text; migrate-calls.sql casts them.)
CREATE TYPE IF NOT EXISTS number_status AS ENUM ('valid', 'invalid', 'withheld', 'special');
-- How a number was read and how sure that reading is (docs/numbers.md).
CREATE TYPE IF NOT EXISTS number_rule AS ENUM (
  'plus', 'idd', 'brand', 'route', 'presented', 'format', 'intl', 'account', 'none'
);
CREATE TYPE IF NOT EXISTS number_confidence AS ENUM ('certain', 'probable', 'guess');
CREATE TYPE IF NOT EXISTS country_code AS ENUM (
  SELECT chr(CAST(a AS INTEGER)) || chr(CAST(b AS INTEGER))
  FROM range(65, 91) t(a), range(65, 91) u(b) ORDER BY 1
);

-- A call's parties: its account, its route and the number it presented, with what that number
-- is. 10M calls have about half a million such parties (a few per account), so each is written
-- once here and a call names it by `party_id`: writing the five columns with every call was a
-- third of writing the calls (10M calls, measured: 4.2 s against 6.8 s). `calls` (below) shows
-- every call with its party's columns, as one table did before.
CREATE TABLE IF NOT EXISTS call_parties (
  party_id INTEGER NOT NULL,
  account_id VARCHAR NOT NULL,
  route VARCHAR,
  presented_raw VARCHAR,
  presented_e164 VARCHAR,
  presented_country country_code,
  presented_status number_status NOT NULL,
  file_id INTEGER NOT NULL,
  -- How the presented number was read (docs/numbers.md), and the rival reading it rejected.
  presented_rule number_rule,
  presented_confidence number_confidence,
  presented_alt_e164 VARCHAR
);
ALTER TABLE call_parties ADD COLUMN IF NOT EXISTS presented_rule number_rule;
ALTER TABLE call_parties ADD COLUMN IF NOT EXISTS presented_confidence number_confidence;
ALTER TABLE call_parties ADD COLUMN IF NOT EXISTS presented_alt_e164 VARCHAR;
-- What the caller ID is (docs/switch-records.md §4: number, extension, withheld, alphanumeric,
-- uri, other) and which rule gave the route its country (§5: mapping, export, pattern, home).
ALTER TABLE call_parties ADD COLUMN IF NOT EXISTS presented_kind VARCHAR;
ALTER TABLE call_parties ADD COLUMN IF NOT EXISTS route_country country_code;
ALTER TABLE call_parties ADD COLUMN IF NOT EXISTS route_rule VARCHAR;

-- Call ids and dialled numbers are nearly all distinct: DuckDB would choose FSST for them after
-- trying every method on each block; naming it saves that analysis on 10M-row loads.
-- Dispositions repeat (a handful): a dictionary, named for the same reason.
CREATE TABLE IF NOT EXISTS call_rows (
  call_id VARCHAR NOT NULL USING COMPRESSION fsst,
  party_id INTEGER NOT NULL,
  dialed_raw VARCHAR NOT NULL USING COMPRESSION fsst,
  -- The dialled number's E.164 form as its digits (`+` and at most 15 digits when valid, NULL
  -- otherwise): writing 10M calls takes 7.1–7.4 CPU-s with it, 8.5–9.0 with the text, and it
  -- groups and joins far faster. `calls` shows it as text.
  dialed_digits BIGINT,
  dialed_country country_code,
  dialed_status number_status NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  answered_at TIMESTAMPTZ,
  ended_at TIMESTAMPTZ,
  duration INTEGER,
  billsec INTEGER NOT NULL,
  disposition VARCHAR USING COMPRESSION dictionary,
  file_id INTEGER NOT NULL,
  -- Where in its file the call was (docs/seized-export.md): its position from 0 among the
  -- records the reader read (CSV), or its line (JSONL; its row from 1 in Parquet).
  read_row BIGINT,
  -- How the dialled number was read, how sure that is, and the rival valid reading it rejected
  -- (as digits), if any (docs/numbers.md). A call needs review when its confidence is `guess`
  -- or it has a rival reading. NULL in a case ingested before these columns.
  dialed_rule number_rule,
  dialed_confidence number_confidence,
  dialed_alt_digits BIGINT
);
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS dialed_rule number_rule;
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS dialed_confidence number_confidence;
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS dialed_alt_digits BIGINT;
-- The record as the switch wrote it, and what was derived from it (docs/switch-records.md):
-- `disposition` is stored as recorded; `connected` is derived by §2's rule, and
-- `disposition_conflict` says the record contradicts itself. `legs`: how many legs the call
-- has, `leg`: which one decided it (§1; the others are in `call_legs`). `start_time_flag`:
-- `nonexistent` or `ambiguous` local start time (§6). `dialed_source`: `outside_line`,
-- `dial_string` when the number read is not the dialled field as written, which is then in
-- `dialed_recorded` (§7). A case made before has them NULL (`connected`: filled on opening).
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS connected BOOLEAN;
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS disposition_conflict BOOLEAN;
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS legs INTEGER;
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS leg INTEGER;
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS start_time_flag VARCHAR;
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS dialed_source VARCHAR;
ALTER TABLE call_rows ADD COLUMN IF NOT EXISTS dialed_recorded VARCHAR;
UPDATE call_rows SET connected = answered_at IS NOT NULL WHERE connected IS NULL;

-- The legs of a call that did not decide it (docs/switch-records.md §1), each as written and
-- resolved as a call is; `leg` is its place among the call's legs.
CREATE TABLE IF NOT EXISTS call_legs AS SELECT * FROM call_rows LIMIT 0;

-- The view `calls` over both tables is in calls-view.sql (store.ts applies it after any migration).

CREATE TABLE IF NOT EXISTS payments (
  payment_id VARCHAR NOT NULL,
  account_id VARCHAR NOT NULL,
  paid_at TIMESTAMPTZ NOT NULL,
  amount_btc DECIMAL(18, 8),
  value_gbp DECIMAL(14, 2),
  btc_address VARCHAR,
  txid VARCHAR,
  plan VARCHAR,
  file_id INTEGER NOT NULL
);

-- A payment in any currency or crypto asset (docs/seized-export.md): `amount` of `currency`;
-- `amount_btc` is the same in bitcoin. `ip` is the address it was paid from and `processor` who
-- took it, if the service kept them.
ALTER TABLE payments ADD COLUMN IF NOT EXISTS amount DECIMAL(18, 8);
ALTER TABLE payments ADD COLUMN IF NOT EXISTS currency VARCHAR;
ALTER TABLE payments ADD COLUMN IF NOT EXISTS ip VARCHAR;
ALTER TABLE payments ADD COLUMN IF NOT EXISTS processor VARCHAR;

-- Dated rates (docs/money.md): GBP for one unit of `currency` on `day`, from the file `file_id`
-- (its name and SHA-256 in `files` are the source), with the source the file itself names.
CREATE TABLE IF NOT EXISTS rates (
  day DATE NOT NULL,
  currency VARCHAR NOT NULL,
  gbp DECIMAL(20, 12) NOT NULL,
  source VARCHAR,
  file_id INTEGER NOT NULL
);

-- A block-explorer export (docs/wallets.md): one row per input or output of a transaction.
CREATE TABLE IF NOT EXISTS transactions (
  txid VARCHAR NOT NULL,
  io VARCHAR NOT NULL,
  n INTEGER,
  address VARCHAR,
  value_btc DECIMAL(18, 8),
  "at" TIMESTAMPTZ,
  -- The explorer's name for the address's owner (an exchange), when it has one.
  entity VARCHAR,
  file_id INTEGER NOT NULL
);

-- Lists of addresses that are no one's location (docs/ip-intelligence.md): hosting, VPN and Tor
-- exits, as ranges (IPv4 and IPv6 as 128-bit numbers, IPv4 mapped into ::ffff:0:0/96).
CREATE TABLE IF NOT EXISTS ip_lists (
  list VARCHAR NOT NULL,
  first_ip UHUGEINT NOT NULL,
  last_ip UHUGEINT NOT NULL,
  file_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS logins (
  account_id VARCHAR NOT NULL,
  "at" TIMESTAMPTZ NOT NULL,
  ip VARCHAR,
  user_agent VARCHAR,
  file_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS captures (
  call_id VARCHAR NOT NULL,
  captured_at TIMESTAMPTZ NOT NULL,
  kind VARCHAR NOT NULL,
  file_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS brands (
  e164 VARCHAR PRIMARY KEY,
  brand VARCHAR NOT NULL,
  country VARCHAR,
  inbound_only BOOLEAN NOT NULL,
  source VARCHAR NOT NULL
);

-- Readings of victim numbers an analyst confirmed in the console (docs/numbers.md), copied in
-- by `analyze` from the operations store: the calls whose number was read as `number` with the
-- rival `alt` (0: none) count for `chosen`. As digits, as `call_rows` has its numbers.
CREATE TABLE IF NOT EXISTS confirmed_readings (
  number BIGINT NOT NULL,
  alt BIGINT NOT NULL,
  chosen BIGINT NOT NULL,
  chosen_country country_code,
  PRIMARY KEY (number, alt)
);

-- Losses victims reported through the portal (GBP, per victim number), copied in by `analyze`
-- from the operations store: a component of the suspect score. Not seized data.
CREATE TABLE IF NOT EXISTS reported_losses (
  number VARCHAR PRIMARY KEY,
  lost_gbp DECIMAL(18, 2) NOT NULL
);
