-- Reputation work recorded until the reputation app has counted it, so a job Redis lost can be queued again.
CREATE TABLE "ReputationPending" (
    "jobId" TEXT NOT NULL,
    "events" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReputationPending_pkey" PRIMARY KEY ("jobId")
);

CREATE INDEX "ReputationPending_createdAt_jobId_idx" ON "ReputationPending"("createdAt", "jobId");

-- Names the dispatch attempt that wrote STARTED (see the sender's DispatchStore).
ALTER TABLE "Email" ADD COLUMN "dispatchToken" TEXT;
