-- Every row belongs to a business, so one server can later host several businesses
-- (each with its own Twilio account) without a data migration.
CREATE TABLE businesses (
    id          BIGSERIAL PRIMARY KEY,
    slug        TEXT        NOT NULL UNIQUE,
    name        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO businesses (slug, name) VALUES ('default', 'Default business');

-- Lines are declared in the configuration; this table gives them a stable key for history.
CREATE TABLE lines (
    id           BIGSERIAL PRIMARY KEY,
    business_id  BIGINT      NOT NULL REFERENCES businesses (id),
    slug         TEXT        NOT NULL,
    number       TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (business_id, slug)
);

CREATE TABLE customers (
    id           BIGSERIAL PRIMARY KEY,
    business_id  BIGINT      NOT NULL REFERENCES businesses (id),
    phone        TEXT        NOT NULL,
    name         TEXT,
    tier         TEXT        NOT NULL DEFAULT 'standard' CHECK (tier IN ('standard', 'vip')),
    language     TEXT,
    time_zone    TEXT,
    notes        TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (business_id, phone)
);

-- One row per call Ringback took part in: inbound calls to a line, and (later) callbacks.
CREATE TABLE calls (
    id                BIGSERIAL PRIMARY KEY,
    business_id       BIGINT      NOT NULL REFERENCES businesses (id),
    line_id           BIGINT      NOT NULL REFERENCES lines (id),
    call_sid          TEXT        NOT NULL UNIQUE,
    direction         TEXT        NOT NULL CHECK (direction IN ('inbound', 'callback')),
    from_number       TEXT        NOT NULL,
    to_number         TEXT        NOT NULL,
    customer_id       BIGINT      REFERENCES customers (id) ON DELETE SET NULL,
    arrived_at        TIMESTAMPTZ NOT NULL,
    answered_at       TIMESTAMPTZ,
    answered_leg_sid  TEXT,
    answered_by       TEXT,
    dial_status       TEXT,
    ended_at          TIMESTAMPTZ,
    outcome           TEXT
);
CREATE INDEX calls_line_arrived ON calls (line_id, arrived_at);
CREATE INDEX calls_from_number ON calls (business_id, from_number, arrived_at);

-- Twilio's status callbacks, each stored once: Twilio delivers at least once, in any order.
CREATE TABLE call_events (
    id               BIGSERIAL PRIMARY KEY,
    call_sid         TEXT        NOT NULL,
    parent_call_sid  TEXT,
    call_status      TEXT        NOT NULL,
    sequence_number  INTEGER,
    twilio_timestamp TIMESTAMPTZ,
    received_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    direction        TEXT,
    from_number      TEXT,
    to_number        TEXT,
    call_duration    INTEGER,
    answered_by      TEXT,
    UNIQUE (call_sid, call_status)
);
CREATE INDEX call_events_parent ON call_events (parent_call_sid) WHERE parent_call_sid IS NOT NULL;

-- Bearer tokens are kept only as SHA-256 hashes.
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    business_id  BIGINT      NOT NULL REFERENCES businesses (id),
    name         TEXT        NOT NULL,
    token_sha256 BYTEA       NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (business_id, name)
);
