-- An agent whose token the admin revoked has none: nobody signs in as them until a new one is made.
-- The agents_token_replaced trigger fires on the change to NULL too, so their consoles are signed out.
ALTER TABLE agents ALTER COLUMN token_sha256 DROP NOT NULL;
