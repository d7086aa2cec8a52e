-- When the agent holding a task took it, and when a task was completed: each agent's handling time of the day.
ALTER TABLE callbacks ADD COLUMN task_claimed_at TIMESTAMPTZ;
ALTER TABLE callbacks ADD COLUMN completed_at TIMESTAMPTZ;
CREATE INDEX callbacks_completed_by ON callbacks (completed_by, completed_at) WHERE completed_by IS NOT NULL;
