-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "reputationBaselineAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ReputationBucket" (
    "accountId" UUID NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "hardBounces" INTEGER NOT NULL DEFAULT 0,
    "complaints" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReputationBucket_pkey" PRIMARY KEY ("accountId","bucketStart")
);

-- CreateTable
CREATE TABLE "ReputationOutcome" (
    "emailId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReputationOutcome_pkey" PRIMARY KEY ("emailId","kind")
);

-- CreateIndex
CREATE INDEX "ReputationOutcome_occurredAt_idx" ON "ReputationOutcome" USING BRIN ("occurredAt");

-- AddForeignKey
ALTER TABLE "ReputationBucket" ADD CONSTRAINT "ReputationBucket_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
