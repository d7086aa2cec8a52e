-- Every task an agent completes, with its outcome and how long they held it: the agent's day
-- counts them all, a no_answer that went back to the dialler too, and a callback completed
-- twice (back in the queue after a retry) counts twice.
CREATE TABLE task_completions (
  id BIGSERIAL PRIMARY KEY,
  business_id BIGINT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
  agent_id BIGINT NOT NULL,
  callback_id BIGINT NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE,
  outcome TEXT NOT NULL,
  claimed_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX task_completions_agent ON task_completions (agent_id, completed_at);
