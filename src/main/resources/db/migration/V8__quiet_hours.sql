-- Why a due callback is not being dialled yet, for the API (e.g. quiet_hours).
ALTER TABLE callbacks ADD COLUMN waiting_for TEXT;
