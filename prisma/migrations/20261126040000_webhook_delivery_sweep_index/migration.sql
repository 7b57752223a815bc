-- The webhooks sweeper finds overdue PENDING / FAILED deliveries without scanning delivered ones.
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_createdAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt", "createdAt");
