-- History for the scale benchmark: 100,000 customers and 1,000,000 finished callbacks (each
-- with its one finished attempt), spread over the past year, in a database Ringback has
-- already migrated. Customer n has the phone +1 415 (200 + n / 10000) (n % 10000, 4 digits),
-- the numbers the benchmark's inbound callers use, so every /twilio/voice finds its caller.
-- Run by the suite (bench/run-all.sh); by hand: psql "$DATABASE" -f bench/seed.sql
\set ON_ERROR_STOP on
BEGIN;
-- The rows are consistent by construction: skip the three million foreign-key checks (and the
-- NOTIFY triggers) the load would fire, as a bulk load does. Needs a superuser, as the suite is.
SET LOCAL session_replication_role = replica;
INSERT INTO customers (business_id, phone, name, tier, created_at, updated_at)
SELECT b.id,
       '+1415' || (200 + g / 10000)::text || lpad((g % 10000)::text, 4, '0'),
       'Customer ' || g,
       CASE WHEN g % 50 = 0 THEN 'vip' ELSE 'standard' END,
       now() - interval '400 days' + g * interval '5 minutes',
       now() - interval '400 days' + g * interval '5 minutes'
FROM businesses b, generate_series(0, 99999) g
WHERE b.slug = 'default';

INSERT INTO callbacks (business_id, line_id, customer_phone, customer_id, trigger, trigger_call_sid, triggered_at,
                       last_triggered_at, due_at, priority, attempts, state, outcome, created_at, updated_at)
SELECT l.business_id, l.id, s.phone, cu.id,
       (ARRAY['order', 'missed', 'abandoned', 'dropped', 'voicemail', 'after_hours'])[1 + g % 6],
       'CAseed' || g,
       s.t, s.t, s.t + interval '60 seconds', 0, 1,
       (ARRAY['done', 'done', 'done', 'expired', 'cancelled', 'failed'])[1 + g % 6],
       (ARRAY['connected', 'connected', 'no_answer', 'expired', 'cancelled', 'failed'])[1 + g % 6],
       s.t, s.t + interval '2 minutes'
FROM lines l
CROSS JOIN generate_series(1, 1000000) g
CROSS JOIN LATERAL (SELECT '+1415' || (200 + (g % 100000) / 10000)::text || lpad((g % 10000)::text, 4, '0') AS phone,
                           now() - interval '365 days' + g * interval '31 seconds' AS t) s
LEFT JOIN customers cu ON cu.business_id = l.business_id AND cu.phone = s.phone
WHERE l.slug = 'main';

INSERT INTO callback_attempts (callback_id, attempt, started_at, placed_at, call_sid, ringing_at, answered_at, ended_at, outcome)
SELECT c.id, 1, c.due_at, c.due_at, 'CAseedattempt' || c.id, c.due_at + interval '2 seconds',
       CASE WHEN c.outcome = 'connected' THEN c.due_at + interval '8 seconds' END,
       c.due_at + interval '90 seconds', c.outcome
FROM callbacks c
WHERE c.trigger_call_sid LIKE 'CAseed%';

COMMIT;
VACUUM ANALYZE customers;
VACUUM ANALYZE callbacks;
VACUUM ANALYZE callback_attempts;
