-- The reconciler scans the emails still to be sent (QUEUED, DEQUEUED) for those whose job Redis lost. A partial
-- index holds only those, so the scan stays small however many sent emails the table keeps. Prisma's schema
-- cannot express a partial index, so it lives here only.
CREATE INDEX "Email_pending_idx" ON "Email"("id") WHERE "status" IN ('QUEUED', 'DEQUEUED');
