-- When a placed call that has not reported its end is next looked up at the network:
-- status callbacks can be lost (our server down, a proxy in the way), the call's fate cannot.
ALTER TABLE callbacks ADD COLUMN check_at TIMESTAMPTZ;
CREATE INDEX callbacks_checks ON callbacks (check_at) WHERE state = 'dialing';
