-- Scheduled sending: an email can wait in SCHEDULED until its "sendAt", and be CANCELED while it waits.
ALTER TYPE "EmailStatus" ADD VALUE IF NOT EXISTS 'SCHEDULED' BEFORE 'QUEUED';
ALTER TYPE "EmailStatus" ADD VALUE IF NOT EXISTS 'CANCELED';

ALTER TABLE "Email" ADD COLUMN "sendAt" TIMESTAMP(3);
