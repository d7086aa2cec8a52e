-- When the agent holding a task took it: a click-to-connect call placed since then already
-- counted as one of the callback's attempts, so the agent's "no answer" does not count it again.
ALTER TABLE callbacks ADD COLUMN task_claimed_at TIMESTAMPTZ;
