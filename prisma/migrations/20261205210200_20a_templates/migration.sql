-- Personalization: templates with immutable versions, the variables of each email, and INCOMPLETE for an
-- email whose placeholders could not be filled.
ALTER TYPE "EmailStatus" ADD VALUE 'INCOMPLETE' AFTER 'EXHAUSTED';

CREATE TABLE "Template" (
  "id" UUID NOT NULL,
  "accountId" UUID NOT NULL,
  "name" TEXT NOT NULL,
  "currentVersion" INTEGER NOT NULL,
  "deletedAt" TIMESTAMPTZ(3),
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "Template_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Template_accountId_createdAt_id_idx" ON "Template"("accountId", "createdAt" DESC, "id" DESC);
ALTER TABLE "Template" ADD CONSTRAINT "Template_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "TemplateVersion" (
  "templateId" UUID NOT NULL,
  "version" INTEGER NOT NULL,
  "subject" TEXT NOT NULL,
  "html" TEXT,
  "text" TEXT,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "TemplateVersion_pkey" PRIMARY KEY ("templateId", "version")
);
ALTER TABLE "TemplateVersion" ADD CONSTRAINT "TemplateVersion_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Email" ADD COLUMN "templateId" UUID,
  ADD COLUMN "templateVersion" INTEGER,
  ADD COLUMN "variables" JSONB,
  ADD COLUMN "html" TEXT;
