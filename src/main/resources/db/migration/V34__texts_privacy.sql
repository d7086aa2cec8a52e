-- An erased number that had said STOP stays opted out of texts: like do_not_call_erased, only a
-- SHA-256 of it with the business's erasure salt is kept, with no date and no word. START lifts it.
CREATE TABLE text_opt_outs_erased (
    business_id   BIGINT NOT NULL REFERENCES businesses (id),
    phone_sha256  BYTEA  NOT NULL,
    PRIMARY KEY (business_id, phone_sha256)
);

-- Retention finds old texts and replies by their time.
CREATE INDEX texts_created ON texts (created_at);
CREATE INDEX text_replies_received ON text_replies (received_at);
