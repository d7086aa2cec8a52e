-- Who is placing a callback's call right now, and until when that claim holds.
ALTER TABLE callbacks ADD COLUMN owner TEXT;
ALTER TABLE callbacks ADD COLUMN lease_until TIMESTAMPTZ;
-- Set when a call may or may not exist at Twilio: it is looked up before any redial.
ALTER TABLE callbacks ADD COLUMN needs_reconcile BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE callbacks ADD COLUMN error_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE callbacks ADD COLUMN error_code INTEGER;
ALTER TABLE callbacks ADD COLUMN error_message TEXT;
CREATE INDEX callbacks_leases ON callbacks (lease_until) WHERE state = 'dialing';

-- Every attempt to reach the customer, with its Twilio CallSid, times and outcome.
CREATE TABLE callback_attempts (
    id            BIGSERIAL PRIMARY KEY,
    callback_id   BIGINT      NOT NULL REFERENCES callbacks (id),
    attempt       INTEGER     NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    placed_at     TIMESTAMPTZ,
    call_sid      TEXT UNIQUE,
    ringing_at    TIMESTAMPTZ,
    answered_at   TIMESTAMPTZ,
    answered_by   TEXT,
    ended_at      TIMESTAMPTZ,
    outcome       TEXT,
    error_code    INTEGER,
    error_message TEXT,
    -- the customer answered but no agent took the call
    no_agent      BOOLEAN     NOT NULL DEFAULT false
);
CREATE INDEX callback_attempts_callback ON callback_attempts (callback_id);

-- One row paces every instance's dialling to the account's calls-per-second limit.
CREATE TABLE dial_pacing (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    next_slot  TIMESTAMPTZ NOT NULL
);
INSERT INTO dial_pacing (id, next_slot) VALUES (1, '-infinity');

-- Wakes the dispatchers when work becomes scheduled, instead of waiting for their next poll.
CREATE FUNCTION callbacks_notify_scheduled() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('ringback_callbacks', NEW.id::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER callbacks_scheduled AFTER INSERT OR UPDATE OF state, due_at ON callbacks
    FOR EACH ROW WHEN (NEW.state = 'scheduled') EXECUTE FUNCTION callbacks_notify_scheduled();
