-- The agent's leg of a click-to-connect call: its webhook asked again (a retry, a replay) starts no second attempt.
ALTER TABLE callback_attempts ADD COLUMN agent_call_sid TEXT UNIQUE;
