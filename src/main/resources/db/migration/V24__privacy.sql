-- Erasure (DELETE /api/customers/{phone}?erase=true) and retention (retention.*).

-- How many numbers each business erased, per UTC day: the only trace an erasure leaves.
CREATE TABLE erasures (
    business_id  BIGINT  NOT NULL REFERENCES businesses (id),
    day          DATE    NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (business_id, day)
);

-- An erased number that had asked not to be called stays unreachable: only a salted SHA-256 of
-- it is kept, with a random salt per business, so the list can answer "is this number listed?"
-- for a number one already has, and cannot be read back as a list of numbers.
CREATE TABLE erasure_salts (
    business_id  BIGINT PRIMARY KEY REFERENCES businesses (id),
    salt         BYTEA  NOT NULL
);
CREATE TABLE do_not_call_erased (
    business_id   BIGINT NOT NULL REFERENCES businesses (id),
    phone_sha256  BYTEA  NOT NULL,
    PRIMARY KEY (business_id, phone_sha256)
);

-- Recordings still to be deleted at Twilio (after an erasure or past recordings-days): the
-- business whose account holds them and the Recording SID, never the number. A row is claimed
-- with a lease, so instances sharing the database do not send the same request together.
CREATE TABLE recording_deletions (
    id             BIGSERIAL PRIMARY KEY,
    business_id    BIGINT      NOT NULL REFERENCES businesses (id),
    recording_sid  TEXT        NOT NULL,
    queued_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts       INTEGER     NOT NULL DEFAULT 0,
    lease_until    TIMESTAMPTZ,
    last_error     TEXT,
    UNIQUE (business_id, recording_sid)
);

-- The daily retention run, for the whole deployment: the instance that claims the row does the
-- run (holding a lease it renews between batches); the others find it claimed or not yet due.
CREATE TABLE retention_run (
    id           INTEGER     PRIMARY KEY CHECK (id = 1),
    next_run_at  TIMESTAMPTZ NOT NULL,
    owner        TEXT,
    lease_until  TIMESTAMPTZ,
    last_run_at  TIMESTAMPTZ
);
INSERT INTO retention_run (id, next_run_at) VALUES (1, '-infinity');

-- Old rows are found without reading the tables: events are appended in time order (a BRIN
-- index costs next to nothing per insert), and few calls or callbacks have a recording.
CREATE INDEX call_events_received ON call_events USING brin (received_at);
CREATE INDEX calls_recorded ON calls (arrived_at) WHERE recording_url IS NOT NULL;
CREATE INDEX callbacks_recorded ON callbacks (last_triggered_at) WHERE recording_url IS NOT NULL;
