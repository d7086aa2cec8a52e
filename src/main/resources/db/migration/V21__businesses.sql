-- Several businesses on one server (issue 11). The default business and those under
-- `businesses:` come from the configuration; more are created through /api/businesses and
-- live here only: everything but their secrets in `settings`, their secrets encrypted.
ALTER TABLE businesses ADD COLUMN source TEXT NOT NULL DEFAULT 'config' CHECK (source IN ('config', 'api'));
-- An API business's Twilio account SID, API key SID, calls per second, lines and order webhooks (no secrets).
ALTER TABLE businesses ADD COLUMN settings JSONB;
ALTER TABLE businesses ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
-- A deleted business keeps its history; its slug is freed (renamed) and it answers nothing.
ALTER TABLE businesses ADD COLUMN deleted_at TIMESTAMPTZ;

-- An API business's secrets (Twilio auth token and API secret, the shops' signing secrets),
-- each sealed with AES-256-GCM under RINGBACK_SECRET_KEY: a version byte, a random 12-byte
-- nonce, then the ciphertext and its tag; the business and the secret's name are the
-- associated data, so a value moved to another row does not open.
CREATE TABLE business_secrets (
    business_id  BIGINT NOT NULL REFERENCES businesses (id),
    name         TEXT   NOT NULL CHECK (name IN ('twilio_auth_token', 'twilio_api_secret', 'order_generic', 'order_shopify',
                                                 'order_woocommerce')),
    sealed       BYTEA  NOT NULL,
    PRIMARY KEY (business_id, name)
);

-- Each Twilio number is a line of one business only: webhooks find their business by it.
CREATE TABLE business_numbers (
    number       TEXT   PRIMARY KEY,
    business_id  BIGINT NOT NULL REFERENCES businesses (id)
);
CREATE INDEX business_numbers_business ON business_numbers (business_id);

-- Calls per second are paced per Twilio account: one row per business (the default business
-- keeps the single row of dial_pacing).
CREATE TABLE business_pacing (
    business_id  BIGINT      PRIMARY KEY REFERENCES businesses (id),
    next_slot    TIMESTAMPTZ NOT NULL
);

-- Every instance reloads the businesses when one is created, changed or deleted.
CREATE FUNCTION businesses_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('ringback_businesses', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER businesses_changed AFTER INSERT OR UPDATE OR DELETE ON businesses
    FOR EACH STATEMENT EXECUTE FUNCTION businesses_notify();
