-- A screened agent's leg, once the agent pressed a key: 1 took the call, any other key declined it.
-- A screened leg with no row here ended unanswered by a person (silence, or a voicemail greeting).
CREATE TABLE screened_legs (
  business_id BIGINT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
  leg_sid TEXT NOT NULL,
  parent_call_sid TEXT NOT NULL,
  contact TEXT NOT NULL,
  accepted BOOLEAN NOT NULL,
  decided_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (business_id, leg_sid)
);
CREATE INDEX screened_legs_parent ON screened_legs (parent_call_sid);
CREATE INDEX screened_legs_decided ON screened_legs (decided_at);
