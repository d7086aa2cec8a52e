-- Agent-first callbacks: an agent is called first (agent_call_sid, as click-to-connect does), and
-- only once they press 1 (agent_accepted_at) is the customer dialled, as the attempt's call
-- (call_sid). The agents who declined or did not answer are not tried again for the callback.
ALTER TABLE callback_attempts ADD COLUMN agent_accepted_at TIMESTAMPTZ;
ALTER TABLE callbacks ADD COLUMN tried_agents TEXT[] NOT NULL DEFAULT '{}';
