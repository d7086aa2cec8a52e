-- Why a callback was cancelled, so the owner can tell why it did not ring: the customer got
-- through (on which call), by hand (by which agent; NULL: the admin), the do-not-call list, or
-- its business was deleted.
ALTER TABLE callbacks ADD COLUMN cancel_cause TEXT
    CHECK (cancel_cause IN ('got_through', 'by_hand', 'do_not_call', 'business_deleted'));
ALTER TABLE callbacks ADD COLUMN cancelled_by_call TEXT;
ALTER TABLE callbacks ADD COLUMN cancelled_by_agent BIGINT REFERENCES agents (id) ON DELETE SET NULL;
UPDATE callbacks SET cancel_cause = 'do_not_call' WHERE state = 'cancelled' AND waiting_for = 'do_not_call';
