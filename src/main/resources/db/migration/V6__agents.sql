-- Agents: the people who take calls and work the callback queue, each with a token of their own.
CREATE TABLE agents (
    id                   BIGSERIAL PRIMARY KEY,
    business_id          BIGINT      NOT NULL REFERENCES businesses (id),
    name                 TEXT        NOT NULL,
    -- an E.164 number or a SIP URI: what Ringback dials to reach the agent
    contact              TEXT        NOT NULL,
    presence             TEXT        NOT NULL DEFAULT 'offline' CHECK (presence IN ('available', 'busy', 'offline')),
    -- set when Ringback made the agent busy with a call, so the call's end makes them available again
    busy_on_call         TEXT,
    presence_changed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    token_sha256         BYTEA       NOT NULL UNIQUE,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (business_id, contact)
);
CREATE TABLE agent_lines (
    agent_id  BIGINT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    line_id   BIGINT NOT NULL REFERENCES lines (id),
    PRIMARY KEY (agent_id, line_id)
);
CREATE INDEX agent_lines_line ON agent_lines (line_id);

-- A task is a callback in the agent queue; one agent holds it at a time, for a lease.
ALTER TABLE callbacks ADD COLUMN task_reason TEXT;
ALTER TABLE callbacks ADD COLUMN task_agent_id BIGINT REFERENCES agents (id) ON DELETE SET NULL;
ALTER TABLE callbacks ADD COLUMN task_lease_until TIMESTAMPTZ;
ALTER TABLE callbacks ADD COLUMN completed_by BIGINT REFERENCES agents (id) ON DELETE SET NULL;
CREATE INDEX callbacks_tasks ON callbacks (priority DESC, created_at) WHERE state = 'agent_queue';

-- What agents wrote in a customer's file.
CREATE TABLE customer_notes (
    id              BIGSERIAL PRIMARY KEY,
    business_id     BIGINT      NOT NULL REFERENCES businesses (id),
    customer_phone  TEXT        NOT NULL,
    agent_id        BIGINT      REFERENCES agents (id) ON DELETE SET NULL,
    callback_id     BIGINT      REFERENCES callbacks (id),
    outcome         TEXT,
    note            TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX customer_notes_phone ON customer_notes (business_id, customer_phone, created_at);

-- Tells every instance's consoles that the agent queue changed.
CREATE FUNCTION callbacks_notify_tasks() RETURNS trigger AS $$
BEGIN
    IF (TG_OP = 'INSERT' AND NEW.state = 'agent_queue')
       OR (TG_OP = 'UPDATE' AND (NEW.state = 'agent_queue' OR OLD.state = 'agent_queue')) THEN
        PERFORM pg_notify('ringback_tasks', NEW.id::text);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER callbacks_tasks_changed AFTER INSERT OR UPDATE ON callbacks
    FOR EACH ROW EXECUTE FUNCTION callbacks_notify_tasks();
