-- The dialled-number lookup that `_chk` joins. No dialled value refuses its call
-- (docs/switch-records.md §7): an empty one, or a dial-plan artefact — a word such as
-- `voicemail`, a channel name such as `SIP/1001-0000002a`, a URI whose user part is no number,
-- `&`, `*` — is kept as a special value; a number with stray characters (`07400 2OO001`, seven
-- digits or more) as an invalid one, listed with the unresolved (`unspoof unresolved`). So the
-- checks join no lookup (`_dnv`, empty); it is pointed at the whole lookup for the insert (a
-- view is bound when it is queried, not when it is made). `_dnd`: the lookup with each E.164
-- form as its digits (schema.sql), read once per pair as the join's table is built.
CREATE OR REPLACE TEMP MACRO _artefact(v) AS
  regexp_full_match(trim(v), '[A-Za-z][A-Za-z0-9_.-]*|[A-Za-z0-9]+/\S+|\S*@\S+|(?i:sips?|tel):\S+');
CREATE OR REPLACE TEMP VIEW _dnd AS
SELECT raw, ctx, CAST(e164 AS BIGINT) AS digits, country,
  CASE
    WHEN raw = '' THEN 'special'
    WHEN status = 'quarantine' THEN
      CASE WHEN _artefact(raw) OR length(regexp_replace(raw, '[^0-9]', '', 'g')) < 7
           THEN 'special' ELSE 'invalid' END
    ELSE status
  END AS status,
  NULL::VARCHAR AS reason,
  rule, confidence, CAST(alt_e164 AS BIGINT) AS alt_digits
FROM _dn;
CREATE OR REPLACE TEMP VIEW _dnv AS SELECT * FROM _dnd WHERE reason IS NOT NULL;

-- A call's seconds between two times, from their microseconds: exact, and a third of the cost
-- of `epoch` on a time with a zone (10M calls, measured).
CREATE OR REPLACE TEMP MACRO _seconds(t0, t1) AS
  CAST((epoch_us(t1) - epoch_us(t0)) / 1000000 AS INTEGER);

-- Types every staged call and names the first reason it cannot be loaded (NULL: it loads).
-- A view, not a table: 10M typed rows are never held in memory at once. It reads `_rows`
-- (load.ts), which the steps narrow to the rows they judge; the insert streams every call
-- without a reason straight into `calls`.
CREATE OR REPLACE TEMP VIEW _chk AS
WITH t AS (
  SELECT c.*, d.digits AS dialed_digits, d.country AS dialed_country, d.status AS dialed_status,
    d.reason AS dialed_reason, d.rule AS dialed_rule, d.confidence AS dialed_confidence,
    d.alt_digits AS dialed_alt_digits,
    _ts(c.started_at) AS started_ts, _ts(c.answered_at) AS answered_ts, _ts(c.ended_at) AS ended_ts,
    TRY_CAST(c.billsec AS INTEGER) AS billsec_i, TRY_CAST(c.duration AS INTEGER) AS duration_i,
    TRY_CAST(c.leg_sequence AS BIGINT) AS leg_seq, /* dst-flag */ NULL::VARCHAR AS start_time_flag
  FROM _ctx2 c
  LEFT JOIN _dnv d ON d.raw = c.dialed_number
    AND d.ctx = c.dialed_key_ctx
)
SELECT _ord, call_id, party_id, dialed_number, dialed_digits, dialed_country, dialed_status,
  dialed_rule, dialed_confidence, dialed_alt_digits, started_ts, answered_ts, ended_ts, duration_i, billsec_i, disposition,
  -- docs/switch-records.md §2: the disposition as recorded, what is derived from it.
  _connected(disposition, answered_ts, billsec_i, peer_channel) AS connected,
  _conflict(disposition, answered_ts, billsec_i) AS disposition_conflict,
  leg_seq, start_time_flag, dialed_source, dialed_recorded,
  CASE
    WHEN NOT _json_ok THEN 'malformed_json'
    WHEN call_id IS NULL OR started_at IS NULL THEN 'missing_value'
    WHEN dialed_reason IS NOT NULL THEN dialed_reason
    WHEN started_ts IS NULL OR (answered_at IS NOT NULL AND answered_ts IS NULL)
      OR (ended_at IS NOT NULL AND ended_ts IS NULL) THEN 'bad_date'
    WHEN (billsec IS NOT NULL AND billsec_i IS NULL) OR (duration IS NOT NULL AND duration_i IS NULL) THEN 'bad_value'
    WHEN billsec_i < 0 OR duration_i < 0 OR ended_ts < started_ts OR answered_ts < started_ts
      OR answered_ts > ended_ts
      OR billsec_i > coalesce(duration_i, _seconds(started_ts, ended_ts)) THEN 'impossible_duration'
  END AS reason,
  CASE
    WHEN NOT _json_ok THEN NULL
    WHEN call_id IS NULL THEN 'call_id'
    WHEN started_at IS NULL THEN 'started_at'
    WHEN dialed_reason IS NOT NULL THEN 'dialed_number'
  END AS detail
FROM t;
