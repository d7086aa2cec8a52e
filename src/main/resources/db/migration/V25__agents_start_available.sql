-- A new agent's phone is reachable: they start available, so registering the first agent of a line does not silence it.
ALTER TABLE agents ALTER COLUMN presence SET DEFAULT 'available';
