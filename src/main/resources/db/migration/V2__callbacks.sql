-- The E.164 number we may call back; NULL for anonymous or unparseable callers.
ALTER TABLE calls ADD COLUMN caller_phone TEXT;
ALTER TABLE calls ADD COLUMN recording_url TEXT;

-- A promise to call a customer back. At most one open callback per line and phone: further
-- triggers update it (count, last time) instead of adding calls.
CREATE TABLE callbacks (
    id                 BIGSERIAL PRIMARY KEY,
    business_id        BIGINT      NOT NULL REFERENCES businesses (id),
    line_id            BIGINT      NOT NULL REFERENCES lines (id),
    customer_phone     TEXT        NOT NULL,
    customer_id        BIGINT      REFERENCES customers (id) ON DELETE SET NULL,
    trigger            TEXT        NOT NULL CHECK (trigger IN
                         ('order', 'missed', 'abandoned', 'dropped', 'voicemail', 'after_hours', 'scheduled', 'manual')),
    trigger_call_sid   TEXT,
    triggered_at       TIMESTAMPTZ NOT NULL,
    last_triggered_at  TIMESTAMPTZ NOT NULL,
    trigger_count      INTEGER     NOT NULL DEFAULT 1,
    due_at             TIMESTAMPTZ NOT NULL,
    priority           INTEGER     NOT NULL DEFAULT 0,
    attempts           INTEGER     NOT NULL DEFAULT 0,
    state              TEXT        NOT NULL DEFAULT 'scheduled' CHECK (state IN
                         ('scheduled', 'dialing', 'agent_queue', 'done', 'cancelled', 'expired', 'failed')),
    recording_url      TEXT,
    outcome            TEXT,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX callbacks_one_open ON callbacks (line_id, customer_phone)
    WHERE state IN ('scheduled', 'dialing', 'agent_queue');
-- The dispatcher's work list stays small however long the history grows.
CREATE INDEX callbacks_due ON callbacks (due_at) WHERE state = 'scheduled';
CREATE INDEX callbacks_phone ON callbacks (business_id, customer_phone, created_at);
