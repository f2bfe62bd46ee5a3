-- The fast path of number normalisation (see numbers.ts). `_k (raw, ctx)` holds the distinct
-- pairs to resolve; `_nat (ctx, cc, nanp, trunk0, idd00, maxlen)` the countries whose national
-- forms are rewritten, with the facts of their numbering plan that each rewrite relies on.
-- A raw number made only of digits, `+` and ASCII separators is stripped here exactly as
-- `stripNumber` strips it; `cand` is the international form libphonenumber-js is asked about
-- instead, and `national` says whether it was rewritten from a national form (then only a valid
-- answer is trusted, anything else takes the reference path). `without_plus`: digits that start
-- with the country's calling code and are not too long to be national (`31634203481` in NL),
-- which libphonenumber-js reads as `+` and the digits only when `readsWithoutPlus` says so
-- (numbers.ts asks it; the rest takes the reference path).
CREATE OR REPLACE TEMP TABLE _kc AS
WITH s AS (
  SELECT raw, ctx,
    CASE WHEN regexp_full_match(raw, '[0-9+ ().\/-]+') THEN regexp_replace(raw, '[ ().\/-]', '', 'g') END AS s
  FROM _k
)
SELECT s.raw, s.ctx,
  CASE
    WHEN s.s IS NULL THEN NULL
    WHEN regexp_full_match(s.s, '\+[0-9]+') THEN s.s
    WHEN NOT regexp_full_match(s.s, '[0-9]+') THEN NULL
    WHEN s.ctx = '' AND starts_with(s.s, '00') THEN '+' || s.s[3:]
    WHEN n.nanp AND regexp_full_match(s.s, '[2-9][0-9]{9}') THEN '+1' || s.s
    WHEN n.nanp AND regexp_full_match(s.s, '1[2-9][0-9]{9}') THEN '+' || s.s
    WHEN n.trunk0 AND regexp_full_match(s.s, '0[1-9][0-9]+') THEN '+' || n.cc || s.s[2:]
    WHEN n.idd00 AND regexp_full_match(s.s, '00[1-9][0-9]+') THEN '+' || s.s[3:]
    WHEN NOT n.nanp AND starts_with(s.s, n.cc) THEN '+' || s.s
  END AS cand,
  s.ctx <> '' AND NOT starts_with(s.s, '+') AS national,
  coalesce(NOT n.nanp AND starts_with(s.s, n.cc) AND length(s.s) <= n.maxlen
    AND regexp_full_match(s.s, '[0-9]+'), false) AS without_plus
FROM s LEFT JOIN _nat n ON n.ctx = s.ctx;
