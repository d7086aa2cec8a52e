-- Who answered: the agent leg's number or SIP URI, for the customer file and the reports.
ALTER TABLE calls ADD COLUMN agent_contact TEXT;
ALTER TABLE callback_attempts ADD COLUMN agent_contact TEXT;

-- Supervisors get the service-recovery tasks of their lines.
ALTER TABLE agents ADD COLUMN role TEXT NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'supervisor'));
-- A task only agents of this role may see and take (null: every agent of the line).
ALTER TABLE callbacks ADD COLUMN for_role TEXT;
ALTER TABLE callbacks DROP CONSTRAINT callbacks_trigger_check;
ALTER TABLE callbacks ADD CONSTRAINT callbacks_trigger_check CHECK (trigger IN
    ('order', 'missed', 'abandoned', 'dropped', 'voicemail', 'after_hours', 'scheduled', 'manual', 'feedback'));
-- A service-recovery task stands beside the customer's open callback, one of each at a time.
DROP INDEX callbacks_one_open;
CREATE UNIQUE INDEX callbacks_one_open ON callbacks (line_id, customer_phone)
    WHERE state IN ('scheduled', 'dialing', 'agent_queue') AND trigger <> 'feedback';
CREATE UNIQUE INDEX callbacks_one_recovery ON callbacks (line_id, customer_phone)
    WHERE state IN ('scheduled', 'dialing', 'agent_queue') AND trigger = 'feedback';

-- One satisfaction question per call (the customer's leg), by voice or by SMS, and its answer.
CREATE TABLE feedback (
    id                    BIGSERIAL PRIMARY KEY,
    business_id           BIGINT      NOT NULL REFERENCES businesses (id),
    line_id               BIGINT      NOT NULL REFERENCES lines (id),
    customer_phone        TEXT        NOT NULL,
    call_sid              TEXT        NOT NULL UNIQUE,
    callback_id           BIGINT      REFERENCES callbacks (id),
    agent_contact         TEXT,
    channel               TEXT        NOT NULL CHECK (channel IN ('voice', 'sms')),
    message_sid           TEXT,
    asked_at              TIMESTAMPTZ NOT NULL,
    state                 TEXT        NOT NULL DEFAULT 'asked' CHECK (state IN ('asked', 'answered', 'ignored')),
    reasked               BOOLEAN     NOT NULL DEFAULT false,
    score                 SMALLINT    CHECK (score BETWEEN 1 AND 5),
    answered_at           TIMESTAMPTZ,
    recovery_callback_id  BIGINT      REFERENCES callbacks (id)
);
CREATE INDEX feedback_sms_waiting ON feedback (business_id, customer_phone, asked_at DESC) WHERE state = 'asked' AND channel = 'sms';
CREATE INDEX feedback_phone ON feedback (business_id, customer_phone, asked_at);
CREATE INDEX feedback_answered ON feedback (line_id, answered_at) WHERE score IS NOT NULL;

