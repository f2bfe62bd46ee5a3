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
  file_id INTEGER NOT NULL
);

-- What a number is (numbers/normalise.ts), and a country as libphonenumber names one: any two
-- capital letters, in alphabetical order. Stored as 1- and 2-byte enums, not text: writing the
-- four status and country columns of 10M calls costs a quarter of the text's time. (A case made
-- before these types keeps its text columns; both read alike.)
CREATE TYPE IF NOT EXISTS number_status AS ENUM ('valid', 'invalid', 'withheld', 'special');
CREATE TYPE IF NOT EXISTS country_code AS ENUM (
  SELECT chr(CAST(a AS INTEGER)) || chr(CAST(b AS INTEGER))
  FROM range(65, 91) t(a), range(65, 91) u(b) ORDER BY 1
);

-- Call ids and dialled numbers are nearly all distinct: DuckDB would choose FSST for them after
-- trying every method on each block; naming it saves that analysis on 10M-row loads. Accounts,
-- presented numbers, routes and dispositions repeat (tens of thousands of accounts, a few
-- hundred brand numbers, a handful of routes): a dictionary, named for the same reason
-- (measured alone on 10M calls: 3.6–3.9 s to write these five columns, 2.7–2.9 s named).
CREATE TABLE IF NOT EXISTS calls (
  call_id VARCHAR NOT NULL USING COMPRESSION fsst,
  account_id VARCHAR NOT NULL USING COMPRESSION dictionary,
  presented_raw VARCHAR USING COMPRESSION dictionary,
  presented_e164 VARCHAR USING COMPRESSION dictionary,
  presented_country country_code,
  presented_status number_status NOT NULL,
  dialed_raw VARCHAR NOT NULL USING COMPRESSION fsst,
  dialed_e164 VARCHAR USING COMPRESSION fsst,
  dialed_country country_code,
  dialed_status number_status NOT NULL,
  route VARCHAR USING COMPRESSION dictionary,
  started_at TIMESTAMPTZ NOT NULL,
  answered_at TIMESTAMPTZ,
  ended_at TIMESTAMPTZ,
  duration INTEGER,
  billsec INTEGER NOT NULL,
  disposition VARCHAR USING COMPRESSION dictionary,
  file_id INTEGER NOT NULL,
  -- Where in its file the call was (docs/seized-export.md): its position from 0 among the
  -- records the reader read (CSV), or its line (JSONL; its row from 1 in Parquet).
  read_row BIGINT
);
-- Cases made before calls kept it.
ALTER TABLE calls ADD COLUMN IF NOT EXISTS read_row BIGINT;

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

-- Losses victims reported through the portal (GBP, per victim number), copied in by `analyze`
-- from the operations store: a component of the suspect score. Not seized data.
CREATE TABLE IF NOT EXISTS reported_losses (
  number VARCHAR PRIMARY KEY,
  lost_gbp DECIMAL(18, 2) NOT NULL
);
