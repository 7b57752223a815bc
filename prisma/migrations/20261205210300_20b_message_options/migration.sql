-- Message options of POST /emails. Constant defaults: adding the columns rewrites no row.
ALTER TABLE "Email" ADD COLUMN "fromName" TEXT,
ADD COLUMN "cc" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "bcc" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "replyTo" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "headers" JSONB,
ADD COLUMN "tags" JSONB,
ADD COLUMN "tracking" JSONB,
ADD COLUMN "droppedRecipients" JSONB,
ADD COLUMN "attachmentCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "EmailAttachment" (
    "emailId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "EmailAttachment_pkey" PRIMARY KEY ("emailId","position")
);

-- AddForeignKey
ALTER TABLE "EmailAttachment" ADD CONSTRAINT "EmailAttachment_emailId_fkey" FOREIGN KEY ("emailId") REFERENCES "Email"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- GET /emails?tag=name:value is a jsonb containment test on tags, served by a GIN index, whose jsonb_path_ops class
-- is smaller and faster than the default one for containment, the only operator used. Prisma cannot express it.
CREATE INDEX "Email_tags_idx" ON "Email" USING GIN ("tags" jsonb_path_ops);
