-- Texts Ringback sends, kept before they are sent (an outbox): a text is claimed with a lease,
-- its request is made, and its SID kept; one whose instance died mid-request is looked up at
-- Twilio before it is sent again, so a customer gets it once.
CREATE TABLE texts (
  id BIGSERIAL PRIMARY KEY,
  business_id BIGINT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
  line_id BIGINT NOT NULL REFERENCES lines (id),
  callback_id BIGINT REFERENCES callbacks (id) ON DELETE CASCADE,
  customer_phone TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('text_back', 'last_attempt', 'reply', 'feedback')),
  body TEXT NOT NULL,
  sender TEXT NOT NULL,
  messaging_service_sid TEXT,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'done')),
  result TEXT,
  due_at TIMESTAMPTZ NOT NULL,
  lease_until TIMESTAMPTZ,
  claimed_at TIMESTAMPTZ,
  tries INTEGER NOT NULL DEFAULT 0,
  message_sid TEXT UNIQUE,
  status TEXT,
  error_code INTEGER,
  created_at TIMESTAMPTZ NOT NULL,
  sent_at TIMESTAMPTZ,
  status_at TIMESTAMPTZ
);
-- One text-back and one last-attempt text per callback, whoever writes it first.
CREATE UNIQUE INDEX texts_once_per_callback ON texts (callback_id, kind) WHERE kind IN ('text_back', 'last_attempt');
CREATE INDEX texts_due ON texts (due_at) WHERE state IN ('queued', 'sending');
CREATE INDEX texts_phone ON texts (business_id, customer_phone, created_at);

-- What a number said or showed about texts, apart from do-not-call: STOP (and START again), or a
-- text that failed for good (a landline, an unknown number).
CREATE TABLE text_numbers (
  business_id BIGINT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
  phone TEXT NOT NULL,
  opted_out_at TIMESTAMPTZ,
  opted_out_word TEXT,
  opted_in_at TIMESTAMPTZ,
  unable_at TIMESTAMPTZ,
  unable_code INTEGER,
  PRIMARY KEY (business_id, phone)
);

-- Texts customers sent us: kept in their file, each once (Twilio may post one twice).
CREATE TABLE text_replies (
  id BIGSERIAL PRIMARY KEY,
  business_id BIGINT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
  line_id BIGINT NOT NULL REFERENCES lines (id),
  customer_phone TEXT NOT NULL,
  message_sid TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  kind TEXT NOT NULL,
  callback_id BIGINT REFERENCES callbacks (id) ON DELETE SET NULL,
  received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX text_replies_phone ON text_replies (business_id, customer_phone, received_at);

-- The texts' safety net finds callbacks created or expired lately without their text.
CREATE INDEX callbacks_created ON callbacks (created_at);
CREATE INDEX callbacks_expired ON callbacks (updated_at) WHERE state = 'expired';

-- A text a person should read becomes a task of its own when no callback is open.
ALTER TABLE callbacks DROP CONSTRAINT callbacks_trigger_check;
ALTER TABLE callbacks ADD CONSTRAINT callbacks_trigger_check CHECK (trigger IN
    ('order', 'missed', 'abandoned', 'dropped', 'voicemail', 'after_hours', 'scheduled', 'manual', 'feedback', 'text'));

-- The feedback question's SMS is a text of the outbox now, with its SID there.
ALTER TABLE feedback DROP COLUMN message_sid;
