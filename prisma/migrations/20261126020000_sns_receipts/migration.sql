-- CreateEnum
CREATE TYPE "SnsReceiptState" AS ENUM ('PENDING', 'APPLIED', 'PARKED');

-- CreateTable
CREATE TABLE "SnsReceipt" (
    "messageId" TEXT NOT NULL,
    "topicArn" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "sesMessageId" TEXT,
    "record" JSONB NOT NULL,
    "state" "SnsReceiptState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "emailId" UUID,
    "outcome" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),
    "parkedAt" TIMESTAMP(3),

    CONSTRAINT "SnsReceipt_pkey" PRIMARY KEY ("messageId")
);

-- CreateIndex
CREATE INDEX "SnsReceipt_state_receivedAt_idx" ON "SnsReceipt"("state", "receivedAt");
