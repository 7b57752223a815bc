-- The webhooks app now claims due deliveries straight from this table instead of consuming BullMQ jobs.
-- A partial index keeps the claim (due rows in due order, SKIP LOCKED) cheap however many delivered rows pile
-- up. Prisma's schema cannot express a partial index, so it lives here only.
DROP INDEX "WebhookDelivery_status_nextAttemptAt_createdAt_idx";
CREATE INDEX "WebhookDelivery_due_idx" ON "WebhookDelivery"("nextAttemptAt") WHERE "status" IN ('PENDING', 'FAILED');

-- A claim leases its rows by setting "leaseUntil", a column no index covers, so the claim is a HOT update
-- (no index entries written), and the free space left on each page lets such updates stay on their page.
ALTER TABLE "WebhookDelivery" ADD COLUMN "leaseUntil" TIMESTAMP(3);
ALTER TABLE "WebhookDelivery" SET (fillfactor = 80);

-- Deliveries queued before this change had no due time (their job carried it): due now.
UPDATE "WebhookDelivery" SET "nextAttemptAt" = "createdAt"
WHERE "status" IN ('PENDING', 'FAILED') AND "nextAttemptAt" IS NULL;

-- Their jobs are no longer consumed by anyone.
DELETE FROM "OutboxEvent" WHERE "jobName" = 'deliver-webhook';
