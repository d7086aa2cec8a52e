-- A presence change reaches the consoles like a task change does: the console shows what Ringback set (busy on a call).
CREATE FUNCTION agents_notify_presence() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('ringback_tasks', 'agent:' || NEW.id::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER agents_presence_changed AFTER UPDATE OF presence ON agents
    FOR EACH ROW WHEN (OLD.presence IS DISTINCT FROM NEW.presence) EXECUTE FUNCTION agents_notify_presence();
