-- Opening hours set through /api/lines/{id}/hours: they replace the config's until cleared.
ALTER TABLE lines ADD COLUMN hours JSONB;

-- Every instance reloads them when they change.
CREATE FUNCTION lines_notify_hours() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('ringback_lines', NEW.id::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lines_hours_changed AFTER UPDATE OF hours ON lines
    FOR EACH ROW EXECUTE FUNCTION lines_notify_hours();
