-- Sender identities: SES's DKIM signing zone (the target of the DKIM CNAMEs) and the custom MAIL FROM status.
ALTER TABLE "SenderIdentity" ADD COLUMN "dkimSigningZone" TEXT,
ADD COLUMN "mailFromStatus" TEXT;
