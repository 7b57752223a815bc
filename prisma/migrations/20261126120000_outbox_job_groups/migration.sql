-- An outbox row carries a group of jobs (same queue, job name and delay): a batch of a thousand accepted
-- emails writes one row instead of a thousand, and the relay reads one. "size" lets the relay bound a
-- pass by jobs without reading the jobs themselves.
ALTER TABLE "OutboxEvent" ADD COLUMN "jobs" JSONB, ADD COLUMN "size" INTEGER;

UPDATE "OutboxEvent" SET "jobs" = jsonb_build_array(jsonb_build_object('id', "jobId", 'data', "payload")), "size" = 1;

ALTER TABLE "OutboxEvent" ALTER COLUMN "jobs" SET NOT NULL,
  ALTER COLUMN "size" SET NOT NULL,
  DROP COLUMN "jobId",
  DROP COLUMN "payload";
