-- An agent whose phone leaves calls unanswered several times in a row is set away (agents.away-after-missed).
ALTER TABLE agents DROP CONSTRAINT agents_presence_check;
ALTER TABLE agents ADD CONSTRAINT agents_presence_check CHECK (presence IN ('available', 'busy', 'offline', 'away'));
ALTER TABLE agents ADD COLUMN missed_in_row INT NOT NULL DEFAULT 0;
