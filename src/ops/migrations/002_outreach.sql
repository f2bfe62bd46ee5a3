-- Victim outreach: campaigns, the durable outbox of their messages, delivery receipts,
-- opt-outs (STOP) and the dispatcher processes that send.

-- A campaign: a victims filter, a template and a window, drafted by outreach and approved by a
-- supervisor who is not the author. `approved_digest` is the SHA-256 of everything the
-- approval covered; an edit after approval clears the approval (back to draft).
CREATE TABLE campaigns (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  state text NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'approved', 'sending', 'paused', 'completed', 'cancelled')),
  filter jsonb NOT NULL,
  template text NOT NULL,
  force_name text NOT NULL,
  official_site text NOT NULL,
  sender_id text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  day_start text NOT NULL DEFAULT '09:00' CHECK (day_start ~ '^[0-2][0-9]:[0-5][0-9]$'),
  day_end text NOT NULL DEFAULT '20:00' CHECK (day_end ~ '^[0-2][0-9]:[0-5][0-9]$'),
  include_texted boolean NOT NULL DEFAULT false,
  -- Made from a synthetic case: may only go to the local simulator or a file.
  synthetic boolean NOT NULL,
  author_id bigint NOT NULL REFERENCES users (id),
  approved_by bigint REFERENCES users (id),
  approved_at timestamptz,
  approved_digest text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (window_end > window_start),
  CHECK (approved_by IS NULL OR approved_by <> author_id)
);

-- The outbox: every message exists, unique per (campaign, victim), before anything is sent.
--   queued → claimed (a dispatcher is about to submit it) → submitted (the SMS centre took it)
--   → delivered | undeliverable | expired; failed (permanent refusal); opted_out (STOP);
--   in_doubt: claimed by a dispatcher that died, so the SMS centre may or may not have it.
-- A row is updated three times as it is sent (claimed, submitted, receipt): it carries as few
-- indexes as it can, and the reference code's hash lives in its own table.
CREATE TABLE messages (
  id bigserial PRIMARY KEY,
  campaign_id bigint NOT NULL REFERENCES campaigns (id),
  number text NOT NULL,
  country text NOT NULL,
  zones text NOT NULL,
  brand text,
  first_long_call date,
  state text NOT NULL DEFAULT 'queued' CHECK (
    state IN ('queued', 'claimed', 'submitted', 'delivered', 'undeliverable', 'expired',
              'failed', 'opted_out', 'in_doubt')
  ),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT '-infinity',
  claimed_by text,
  claimed_at timestamptz,
  in_doubt_since timestamptz,
  submitted_at timestamptz,
  smsc_message_id text,
  done_at timestamptz,
  error text,
  UNIQUE (campaign_id, number)
);
-- What a dispatcher claims next: a campaign's queued rows in id order, and nothing else.
CREATE INDEX messages_queued ON messages (campaign_id, id) WHERE state = 'queued';
CREATE INDEX messages_smsc ON messages (smsc_message_id) WHERE smsc_message_id IS NOT NULL;

-- Each message's reference code, as its keyed hash only (the code itself is never stored):
-- what the victim portal looks a typed code up by.
CREATE TABLE reference_codes (
  ref_hash text PRIMARY KEY,
  message_id bigint NOT NULL UNIQUE REFERENCES messages (id)
);

-- Delivery receipts that named no known message when they came (acknowledged only once stored
-- here): for a message whose answer was still being recorded, or one in doubt. A receipt for a
-- known message goes straight to its message's state.
CREATE TABLE receipts (
  message_id text PRIMARY KEY,
  destination text NOT NULL,
  stat text NOT NULL,
  state text NOT NULL CHECK (state IN ('delivered', 'undeliverable', 'expired')),
  done_at timestamptz,
  received_at timestamptz NOT NULL,
  -- Set once the receipt has given its message its final state.
  applied boolean NOT NULL DEFAULT false
);
CREATE INDEX receipts_destination ON receipts (destination);
CREATE INDEX receipts_unapplied ON receipts (received_at) WHERE NOT applied;

-- Numbers that replied STOP: never texted again by any campaign of the case.
CREATE TABLE opt_outs (
  number text PRIMARY KEY,
  keyword text NOT NULL,
  at timestamptz NOT NULL
);

-- Dispatcher processes: a heartbeat; a dispatcher silent for longer than the lease is dead,
-- and what it had claimed is in doubt.
CREATE TABLE dispatchers (
  id text PRIMARY KEY,
  pid integer NOT NULL,
  started_at timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL,
  stopped_at timestamptz
);
