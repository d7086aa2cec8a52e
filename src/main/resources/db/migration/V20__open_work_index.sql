-- The queue gauges count open work by state every few seconds on every instance. The partial
-- indexes of V2-V6 each cover one state, so with a long history that count scanned the whole
-- table (1,000,000 finished callbacks: a parallel sequential scan of ~0.6 s, every 5 s, on
-- every instance). One partial index on all open work keeps it to the open rows.
CREATE INDEX callbacks_open_state ON callbacks (state, due_at) WHERE state IN ('scheduled', 'dialing', 'agent_queue');
