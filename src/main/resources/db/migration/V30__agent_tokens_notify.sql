-- An agent's token replaced, or the agent deleted: every instance closes the live queues opened with the old token.
CREATE FUNCTION agents_notify_token() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('ringback_tokens', OLD.id::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER agents_token_replaced AFTER UPDATE OF token_sha256 ON agents
    FOR EACH ROW WHEN (OLD.token_sha256 IS DISTINCT FROM NEW.token_sha256) EXECUTE FUNCTION agents_notify_token();
CREATE TRIGGER agents_deleted AFTER DELETE ON agents
    FOR EACH ROW EXECUTE FUNCTION agents_notify_token();
