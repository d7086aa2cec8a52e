-- The agent holding a task placed a call to the customer through Ringback during this hold,
-- which counted as one of the callback's attempts: their "no answer" does not count it again.
ALTER TABLE callbacks ADD COLUMN task_call_counted BOOLEAN NOT NULL DEFAULT false;
