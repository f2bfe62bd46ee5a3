-- The calls whose id is not unique (docs/switch-records.md §1). Runs with `_rows` narrowed to
-- them (`_rep`, calls-repeats.sql), so that only those are checked here. Among the ones with no
-- other reason to refuse them: a row identical in every field to one before it is a duplicate
-- (`duplicate_row`); an id already in the case from another file is `duplicate_id`; the rest are
-- the legs of one call, numbered in order (`leg_sequence`, then start, answer, file order), and
-- the connected leg with the most billed seconds (the first in order among equals; the first
-- leg when none connected) decides it. `_bad` starts with the refused ones, `_legs` holds the
-- legs, and the inserts take each call's deciding leg into `call_rows`, the others into
-- `call_legs`. load.ts writes each row's fields as one value, and its position, in place of the markers.
CREATE OR REPLACE TEMP TABLE _repc AS
-- Billed seconds as the insert stores them (given, else answer to end).
SELECT r._ord, r.call_id, r.in_case, c.connected,
  coalesce(c.billsec_i, CASE WHEN c.answered_ts IS NOT NULL AND c.ended_ts IS NOT NULL
                             THEN _seconds(c.answered_ts, c.ended_ts) ELSE 0 END) AS billsec_i,
  c.started_ts, c.answered_ts,
  c.leg_seq,
  row_number() OVER (PARTITION BY r.call_id, /* record */ ORDER BY r._ord) AS copy
FROM _rep r JOIN _chk c ON c._ord = r._ord
JOIN _rows s ON /* ord */ = r._ord
WHERE c.reason IS NULL;

CREATE OR REPLACE TEMP TABLE _bad AS
SELECT _ord, CASE WHEN copy > 1 THEN 'duplicate_row' ELSE 'duplicate_id' END AS reason,
  'call_id' AS detail
FROM _repc WHERE copy > 1 OR in_case;

CREATE OR REPLACE TEMP TABLE _legs AS
SELECT _ord, CAST(leg AS INTEGER) AS leg, CAST(legs AS INTEGER) AS legs,
  row_number() OVER (PARTITION BY call_id
    ORDER BY connected DESC,
      CASE WHEN connected THEN coalesce(billsec_i, 0) END DESC NULLS LAST, leg) = 1 AS decides
FROM (
  SELECT *, row_number() OVER (PARTITION BY call_id
      ORDER BY leg_seq NULLS LAST, started_ts, answered_ts NULLS LAST, _ord) AS leg,
    count(*) OVER (PARTITION BY call_id) AS legs
  FROM _repc WHERE copy = 1 AND NOT in_case
);
DROP TABLE _repc;
DROP TABLE _rep;
