-- The customer's file reads every call, callback and order by the customer's number.
CREATE INDEX calls_caller ON calls (business_id, caller_phone, arrived_at) WHERE caller_phone IS NOT NULL;
