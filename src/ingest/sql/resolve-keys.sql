-- The numbers to resolve (docs/numbers.md), one row per distinct key of `_rk0 (raw, r, p, a, …)`:
-- the raw value and its evidence countries ('' for none: R the route's, P the presented
-- number's, A the account's). `s`: the raw value without a caller-ID blocking prefix, stripped
-- of separators exactly as `stripNumber` strips them (`\s` in JavaScript: Unicode spaces too),
-- when what is left is `+` and digits or digits (anything else is form `other`: the normaliser
-- only says what it is, never a number); `form` as the doc's table names it;
-- `nanp`: written the North American way; `intl`: digits that may be an international number
-- written without `+` (at least getvariable('intl_digits') digits, not starting with 0).
-- Each level computes its columns once for the levels above; resolve.ts may put the first
-- applicable reading's columns in place of the marker. (Each regular expression only where it
-- can matter, and ASCII separators removed by `translate`: they are most of this step's cost.)
CREATE OR REPLACE TEMP TABLE _rk AS
SELECT * EXCLUDE (v) /* first */ FROM (
  SELECT *,
    CASE WHEN form = 'digits' AND length(s) IN (10, 11) AND v <> s
      THEN regexp_full_match(regexp_replace(trim(v), '[\s\x{0B}\p{Z}\x{FEFF}]+', ' ', 'g'),
        '(1[ .-])?(\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}')
      ELSE false END AS nanp,
    form = 'digits' AND NOT starts_with(s, '0') AND length(s) >= getvariable('intl_digits') AS intl
  FROM (
    SELECT * EXCLUDE (s0),
      CASE
        WHEN s IS NULL THEN 'other'
        WHEN starts_with(s, '+') THEN 'plus'
        WHEN starts_with(s, '00') AND length(s) > 2 AND s[3] <> '0' THEN 'idd00'
        WHEN starts_with(s, '011') AND length(s) > 3 AND s[4] <> '0' THEN 'idd011'
        ELSE 'digits'
      END AS form
    FROM (
      SELECT *,
        CASE WHEN regexp_full_match(s0, '\+?[0-9]+') THEN s0
             WHEN regexp_full_match(v, '[0-9+\s\x{0B}\p{Z}\x{FEFF}().\/-]+')
               AND regexp_full_match(regexp_replace(v, '[\s\x{0B}\p{Z}\x{FEFF}().\/-]', '', 'g'), '\+?[0-9]+')
             THEN regexp_replace(v, '[\s\x{0B}\p{Z}\x{FEFF}().\/-]', '', 'g') END AS s
      FROM (
        SELECT *, translate(v, ' ().-/', '') AS s0 FROM (
          SELECT CAST(rowid AS BIGINT) AS k, *,
            -- A caller-ID blocking prefix (`*67`, `#31#`, `*31#`) is not part of the number;
            -- a SIP or tel URI (`sip:+44…@host`, `user@host`) is read by its user part
            -- (docs/switch-records.md §4, §7).
            CASE WHEN contains(raw, ':') OR contains(raw, '@')
              THEN regexp_extract(raw, '^[\s<"]*(?:(?i:sips?|tel):)?([^@;>:]*)', 1)
            WHEN contains(raw, '*') OR contains(raw, '#')
              THEN regexp_replace(raw, '^[\s\p{Z}]*(\*67|[*#]31#)', '') ELSE raw END AS v
          FROM _rk0
        )
      )
    )
  )
);
DROP TABLE _rk0;
