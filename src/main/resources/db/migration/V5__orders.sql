-- Every order a shop reported, in the buyer's file; each delivered once per source and id,
-- however often the shop retries.
CREATE TABLE orders (
    id              BIGSERIAL PRIMARY KEY,
    business_id     BIGINT        NOT NULL REFERENCES businesses (id),
    source          TEXT          NOT NULL CHECK (source IN ('generic', 'shopify', 'woocommerce')),
    order_id        TEXT          NOT NULL,
    display_number  TEXT,
    customer_id     BIGINT        REFERENCES customers (id) ON DELETE SET NULL,
    -- the number called back (E.164), or the number as sent when it could not be used
    phone           TEXT,
    name            TEXT,
    total           NUMERIC,
    currency        TEXT,
    item_count      INTEGER,
    line_id         BIGINT        REFERENCES lines (id),
    callback_id     BIGINT        REFERENCES callbacks (id),
    result          TEXT          NOT NULL CHECK (result IN ('called', 'no_phone', 'invalid_phone')),
    ordered_at      TIMESTAMPTZ,
    received_at     TIMESTAMPTZ   NOT NULL,
    UNIQUE (business_id, source, order_id)
);
CREATE INDEX orders_customer ON orders (customer_id, received_at);
CREATE INDEX orders_callback ON orders (callback_id) WHERE callback_id IS NOT NULL;
