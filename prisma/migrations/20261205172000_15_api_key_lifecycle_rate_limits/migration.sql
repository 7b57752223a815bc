-- API keys get a name, an optional expiry and the time they were last used. Accounts get rate limits
-- of their own (null: the defaults of the gateway).
ALTER TABLE "ApiKey" ADD COLUMN "name" TEXT NOT NULL DEFAULT 'default',
  ADD COLUMN "expiresAt" TIMESTAMPTZ(3),
  ADD COLUMN "lastUsedAt" TIMESTAMPTZ(3);

ALTER TABLE "Account" ADD COLUMN "rateLimitPerKey" INTEGER,
  ADD COLUMN "rateLimitPerAccount" INTEGER;
