-- The due pass reads the scheduled emails whose "sendAt" has come. A partial index holds only those waiting, so
-- the pass stays small however many emails were ever scheduled. Its own migration: a new enum value cannot be
-- used in the transaction that adds it. Prisma's schema cannot express a partial index, so it lives here only.
CREATE INDEX "Email_scheduled_idx" ON "Email"("sendAt") WHERE "status" = 'SCHEDULED';
