-- The payload is the exact body every attempt POSTs. As json (text kept as written, documented key order)
-- the webhooks app signs and sends it as read, instead of parsing jsonb and serialising it again per attempt.
-- Rows written before keep their envelope, rebuilt in the documented order (id, type, timestamp, data)
-- because jsonb had reordered its keys.
ALTER TABLE "WebhookDelivery" ALTER COLUMN "payload" TYPE json USING json_build_object(
  'id', "payload"->'id', 'type', "payload"->'type', 'timestamp', "payload"->'timestamp', 'data', "payload"->'data'
);
