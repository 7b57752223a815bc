-- Fair webhooks: deliveries are shared out per target, the origin (scheme://host:port) of the URL as
-- one account uses it. Postgres derives it from the URL, so every writer of deliveries gets it for free. No
-- index covers it, so a claim stays a HOT update.
ALTER TABLE "WebhookDelivery" ADD COLUMN "target" TEXT GENERATED ALWAYS AS (
  COALESCE(lower(regexp_replace(substring("url" from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*'), '://[^@/]*@', '://')), "url")
) STORED;

-- GET /account/notifications: the notifications of an account (deliveries without an email), newest first.
CREATE INDEX "WebhookDelivery_notifications_idx" ON "WebhookDelivery"("accountId", "createdAt" DESC, "id" DESC)
  WHERE "emailId" IS NULL;

-- The circuit breaker of each target: consecutive failed attempts, and while open, until when its deliveries
-- wait. Shared by every webhooks worker.
CREATE TABLE "WebhookTarget" (
    "accountId" UUID NOT NULL,
    "target" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "opens" INTEGER NOT NULL DEFAULT 0,
    "openUntil" TIMESTAMPTZ(3),
    "probeUntil" TIMESTAMPTZ(3),
    -- Full precision: the statement that opens the circuit recognises its own opening by it (= now()).
    "openedAt" TIMESTAMPTZ,
    "lastError" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "WebhookTarget_pkey" PRIMARY KEY ("accountId", "target")
);

CREATE INDEX "WebhookTarget_open_idx" ON "WebhookTarget"("openUntil") WHERE "openUntil" IS NOT NULL;
