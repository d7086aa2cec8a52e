-- Every order a shop reported, in the buyer's file (by phone); each delivered once per source
-- and id, however often the shop retries.
CREATE TABLE orders (
    id              BIGSERIAL PRIMARY KEY,
    business_id     BIGINT        NOT NULL REFERENCES businesses (id),
    source          TEXT          NOT NULL CHECK (source IN ('generic', 'shopify', 'woocommerce')),
    order_id        TEXT          NOT NULL,
    display_number  TEXT,
    -- the number called back (E.164), or the number as sent when it could not be used
    phone           TEXT,
    name            TEXT,
    total           NUMERIC,
    currency        TEXT,
    item_count      INTEGER,
    line_id         BIGINT        REFERENCES lines (id),
    result          TEXT          NOT NULL CHECK (result IN ('called', 'no_phone', 'invalid_phone')),
    ordered_at      TIMESTAMPTZ,
    received_at     TIMESTAMPTZ   NOT NULL,
    UNIQUE (business_id, source, order_id)
);
-- A customer's orders, for their file: customers are keyed by phone.
CREATE INDEX orders_phone ON orders (business_id, phone, received_at);

-- The newest order behind a callback, for what the buyer hears.
ALTER TABLE callbacks ADD COLUMN order_row_id BIGINT REFERENCES orders (id);
