-- A line's settings set through /api/lines/{id}/settings (language, voice, ringing, prompts...):
-- they replace the configuration's until cleared.
ALTER TABLE lines ADD COLUMN settings JSONB;

-- Every instance reloads a line when its hours or its settings change.
DROP TRIGGER lines_hours_changed ON lines;
CREATE TRIGGER lines_changed AFTER UPDATE OF hours, settings ON lines
    FOR EACH ROW EXECUTE FUNCTION lines_notify_hours();
