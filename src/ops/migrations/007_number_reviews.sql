-- Victim numbers an analyst confirmed (docs/numbers.md): a victim flagged "number needs review"
-- lists its number and, when two readings disagree, the rival; the analyst chose one. `analyze`
-- reads these and counts the calls that gave that pair of readings for `chosen`. One row per
-- pair: a later confirmation replaces the earlier (both stay in the audit log). `alt_number` is
-- '' when the victim had no rival (a weak reading confirmed as it is), so it can be in the key.
CREATE TABLE number_reviews (
  number text NOT NULL CHECK (number ~ '^\+[1-9][0-9]{1,14}$'),
  alt_number text NOT NULL CHECK (alt_number = '' OR alt_number ~ '^\+[1-9][0-9]{1,14}$'),
  chosen text NOT NULL,
  chosen_country text CHECK (chosen_country ~ '^[A-Z]{2}$'),
  confirmed_by bigint NOT NULL REFERENCES users (id),
  confirmed_at timestamptz NOT NULL,
  note text NOT NULL DEFAULT '',
  PRIMARY KEY (number, alt_number),
  CHECK (chosen = number OR chosen = alt_number),
  CHECK (alt_number <> number)
);

-- Victims whose number needs review are left out of a campaign unless it includes them
-- explicitly (its filter's `includeReview`); how many were left out is kept for its status.
-- NULL: a campaign drafted before numbers could need review.
ALTER TABLE campaigns ADD COLUMN review_left_out integer;

-- A campaign that does not include them leaves out its queued texts to numbers that need review
-- in the analysis it is approved, sent or resumed against (a victim flagged after the campaign
-- was drafted): such a text is `needs_review`, never sent, and the number is free for a later
-- campaign once a reading is confirmed (docs/outreach.md).
ALTER TABLE messages DROP CONSTRAINT messages_state_check;
ALTER TABLE messages ADD CONSTRAINT messages_state_check CHECK (
  state IN ('queued', 'claimed', 'submitted', 'delivered', 'undeliverable', 'expired',
            'failed', 'opted_out', 'in_doubt', 'needs_review')
);
