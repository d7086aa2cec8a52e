-- A status event belongs to the business whose webhook brought it (its signature, or its
-- configuration when it has no Twilio credentials). Another business naming the same CallSid
-- stores its event apart, where it changes nothing of this business's calls and does not make
-- this business's own event a duplicate. Events already stored go to the business of their call
-- (or of their parent call), else of their callback attempt, else to the default business.
ALTER TABLE call_events ADD COLUMN business_id BIGINT;
UPDATE call_events e SET business_id = COALESCE(
    (SELECT c.business_id FROM calls c WHERE c.call_sid IN (e.call_sid, e.parent_call_sid) LIMIT 1),
    (SELECT cb.business_id FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id
     WHERE a.call_sid IN (e.call_sid, e.parent_call_sid) OR a.agent_call_sid IN (e.call_sid, e.parent_call_sid) LIMIT 1),
    (SELECT id FROM businesses WHERE slug = 'default'));
-- No foreign key: each of the many event inserts would lock its business's row (FOR KEY SHARE);
-- businesses are never deleted.
ALTER TABLE call_events ALTER COLUMN business_id SET NOT NULL;
ALTER TABLE call_events DROP CONSTRAINT call_events_call_sid_call_status_key;
ALTER TABLE call_events ADD CONSTRAINT call_events_once UNIQUE (call_sid, call_status, business_id);

-- A key a caller pressed during a call, for the callback it was offered for (9: never call me
-- again; a time chosen): applied once, so the same webhook again (Twilio retrying, a captured
-- request replayed) changes nothing, even after an admin undid what it did.
CREATE TABLE call_choices (
    call_sid     TEXT        NOT NULL,
    callback_id  BIGINT      NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE,
    choice       TEXT        NOT NULL CHECK (choice IN ('do_not_call', 'time')),
    made_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (call_sid, callback_id, choice)
);
CREATE INDEX call_choices_callback ON call_choices (callback_id);
