-- Numbers that asked never to be called again; inbound calls from them still work.
CREATE TABLE do_not_call (
    business_id  BIGINT      NOT NULL REFERENCES businesses (id),
    phone        TEXT        NOT NULL,
    since        TIMESTAMPTZ NOT NULL,
    reason       TEXT,
    PRIMARY KEY (business_id, phone)
);
