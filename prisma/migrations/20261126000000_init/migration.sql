-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "EmailStatus" AS ENUM ('QUEUED', 'DEQUEUED', 'BAD_TO', 'BAD_FROM', 'BLACKLISTED', 'BLOCKED_DUE_BAD_BEHAVIOUR', 'NOT_SENT', 'EXHAUSTED', 'SENT', 'DELAYED', 'BOUNCED', 'DELIVERED', 'OPEN', 'CLICK', 'UNSUBSCRIBED', 'BOUNCED_PERMANENT', 'COMPLAINED');

-- CreateEnum
CREATE TYPE "ReputationState" AS ENUM ('HEALTHY', 'WARNING', 'BLOCKED');

-- CreateEnum
CREATE TYPE "IdentityKind" AS ENUM ('EMAIL_ADDRESS', 'DOMAIN');

-- CreateEnum
CREATE TYPE "IdentityStatus" AS ENUM ('PENDING', 'VERIFIED', 'FAILED', 'TEMPORARY_FAILURE', 'NOT_STARTED');

-- CreateEnum
CREATE TYPE "SuppressionReason" AS ENUM ('HARD_BOUNCE', 'COMPLAINT', 'UNSUBSCRIBE', 'MANUAL');

-- CreateEnum
CREATE TYPE "DispatchState" AS ENUM ('NONE', 'STARTED', 'CONFIRMED', 'AMBIGUOUS');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'EXHAUSTED', 'GONE');

-- CreateTable
CREATE TABLE "Account" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "reputationState" "ReputationState" NOT NULL DEFAULT 'HEALTHY',
    "reputationReason" TEXT,
    "blockedAt" TIMESTAMP(3),
    "settings" JSONB NOT NULL DEFAULT '{}',
    "notificationUrl" TEXT,
    "webhookSecret" TEXT NOT NULL,
    "previousWebhookSecret" TEXT,
    "previousSecretExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Operator" (
    "id" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Operator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "operatorId" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SenderIdentity" (
    "id" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "kind" "IdentityKind" NOT NULL,
    "identity" TEXT NOT NULL,
    "status" "IdentityStatus" NOT NULL DEFAULT 'PENDING',
    "statusReason" TEXT,
    "dkimTokens" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mailFromDomain" TEXT,
    "lastCheckedAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SenderIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Email" (
    "id" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "operatorId" UUID NOT NULL,
    "to" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "alias" TEXT,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "externalId" TEXT,
    "clientId" TEXT,
    "callbacks" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "unsubscribeMsg" TEXT NOT NULL DEFAULT 'Unsubscribe',
    "status" "EmailStatus" NOT NULL,
    "statusReason" TEXT,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "sesMessageId" TEXT,
    "dispatchState" "DispatchState" NOT NULL DEFAULT 'NONE',
    "dispatchAttempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dequeuedAt" TIMESTAMP(3),
    "dispatchStartedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "delayedAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "openedAt" TIMESTAMP(3),
    "clickedAt" TIMESTAMP(3),
    "softBouncedAt" TIMESTAMP(3),
    "hardBouncedAt" TIMESTAMP(3),
    "rejectedAt" TIMESTAMP(3),
    "complainedAt" TIMESTAMP(3),
    "unsubscribedAt" TIMESTAMP(3),

    CONSTRAINT "Email_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailEvent" (
    "id" UUID NOT NULL,
    "emailId" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "mappedStatus" "EmailStatus" NOT NULL,
    "previousStatus" "EmailStatus",
    "newStatus" "EmailStatus",
    "sequence" INTEGER,
    "details" JSONB NOT NULL DEFAULT '{}',
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Suppression" (
    "id" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "reason" "SuppressionReason" NOT NULL,
    "emailId" UUID,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Suppression_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignStats" (
    "accountId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "byStatus" JSONB NOT NULL DEFAULT '{}',
    "sent" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "opened" INTEGER NOT NULL DEFAULT 0,
    "clicked" INTEGER NOT NULL DEFAULT 0,
    "softBounced" INTEGER NOT NULL DEFAULT 0,
    "hardBounced" INTEGER NOT NULL DEFAULT 0,
    "complained" INTEGER NOT NULL DEFAULT 0,
    "unsubscribed" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "opensTotal" INTEGER NOT NULL DEFAULT 0,
    "clicksTotal" INTEGER NOT NULL DEFAULT 0,
    "firstActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignStats_pkey" PRIMARY KEY ("accountId","externalId")
);

-- CreateTable
CREATE TABLE "ReputationChange" (
    "id" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "fromState" "ReputationState" NOT NULL,
    "toState" "ReputationState" NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "bounceRate" DOUBLE PRECISION,
    "complaintRate" DOUBLE PRECISION,
    "sent" INTEGER,
    "hardBounces" INTEGER,
    "complaints" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReputationChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "emailId" UUID,
    "eventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "lastLatencyMs" INTEGER,
    "nextAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" UUID NOT NULL,
    "deliveryId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "latencyMs" INTEGER,
    "error" TEXT,
    "nextAttemptAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" BIGSERIAL NOT NULL,
    "queue" TEXT NOT NULL,
    "jobName" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "delayMs" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "accountId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "responseStatus" INTEGER,
    "responseBody" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("accountId","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Account_name_key" ON "Account"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Operator_accountId_name_key" ON "Operator"("accountId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "ApiKey_accountId_idx" ON "ApiKey"("accountId");

-- CreateIndex
CREATE INDEX "SenderIdentity_status_lastCheckedAt_idx" ON "SenderIdentity"("status", "lastCheckedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SenderIdentity_accountId_identity_key" ON "SenderIdentity"("accountId", "identity");

-- CreateIndex
CREATE INDEX "Email_accountId_createdAt_id_idx" ON "Email"("accountId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Email_accountId_externalId_createdAt_id_idx" ON "Email"("accountId", "externalId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Email_accountId_clientId_createdAt_id_idx" ON "Email"("accountId", "clientId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Email_accountId_status_createdAt_id_idx" ON "Email"("accountId", "status", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Email_accountId_to_createdAt_id_idx" ON "Email"("accountId", "to", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Email_accountId_from_createdAt_id_idx" ON "Email"("accountId", "from", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Email_sesMessageId_idx" ON "Email"("sesMessageId");

-- CreateIndex
CREATE INDEX "Email_dispatchState_dispatchStartedAt_idx" ON "Email"("dispatchState", "dispatchStartedAt");

-- CreateIndex
CREATE UNIQUE INDEX "EmailEvent_sourceId_key" ON "EmailEvent"("sourceId");

-- CreateIndex
CREATE INDEX "EmailEvent_emailId_occurredAt_idx" ON "EmailEvent"("emailId", "occurredAt");

-- CreateIndex
CREATE INDEX "Suppression_accountId_createdAt_idx" ON "Suppression"("accountId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Suppression_accountId_address_key" ON "Suppression"("accountId", "address");

-- CreateIndex
CREATE INDEX "CampaignStats_accountId_lastActivityAt_externalId_idx" ON "CampaignStats"("accountId", "lastActivityAt" DESC, "externalId");

-- CreateIndex
CREATE INDEX "ReputationChange_accountId_createdAt_idx" ON "ReputationChange"("accountId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "WebhookDelivery_emailId_createdAt_idx" ON "WebhookDelivery"("emailId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_accountId_createdAt_idx" ON "WebhookDelivery"("accountId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_eventId_url_key" ON "WebhookDelivery"("eventId", "url");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_attempt_idx" ON "WebhookAttempt"("deliveryId", "attempt");

-- CreateIndex
CREATE INDEX "IdempotencyKey_expiresAt_idx" ON "IdempotencyKey"("expiresAt");

-- AddForeignKey
ALTER TABLE "Operator" ADD CONSTRAINT "Operator_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SenderIdentity" ADD CONSTRAINT "SenderIdentity_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Email" ADD CONSTRAINT "Email_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Email" ADD CONSTRAINT "Email_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmailEvent" ADD CONSTRAINT "EmailEvent_emailId_fkey" FOREIGN KEY ("emailId") REFERENCES "Email"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Suppression" ADD CONSTRAINT "Suppression_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignStats" ADD CONSTRAINT "CampaignStats_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReputationChange" ADD CONSTRAINT "ReputationChange_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

