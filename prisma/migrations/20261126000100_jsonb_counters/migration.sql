-- Adds two JSON objects of integer counters key by key: {"A":1} + {"A":2,"B":-1} = {"A":3,"B":-1}.
-- Used by campaign counters so that per-status counts change atomically in an upsert.
CREATE OR REPLACE FUNCTION postline_jsonb_add(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT COALESCE(jsonb_object_agg(k, COALESCE((a ->> k)::bigint, 0) + COALESCE((b ->> k)::bigint, 0)), '{}'::jsonb)
  FROM (SELECT jsonb_object_keys(COALESCE(a, '{}'::jsonb)) UNION SELECT jsonb_object_keys(COALESCE(b, '{}'::jsonb))) AS keys(k)
$$;
