-- AlterTable
ALTER TABLE "CampaignStats" ADD COLUMN     "delayed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rejectedByReason" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "CampaignHourlyStats" (
    "accountId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "created" INTEGER NOT NULL DEFAULT 0,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "delayed" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "opened" INTEGER NOT NULL DEFAULT 0,
    "clicked" INTEGER NOT NULL DEFAULT 0,
    "softBounced" INTEGER NOT NULL DEFAULT 0,
    "hardBounced" INTEGER NOT NULL DEFAULT 0,
    "complained" INTEGER NOT NULL DEFAULT 0,
    "unsubscribed" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "rejectedByReason" JSONB NOT NULL DEFAULT '{}',
    "opensTotal" INTEGER NOT NULL DEFAULT 0,
    "clicksTotal" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CampaignHourlyStats_pkey" PRIMARY KEY ("accountId","externalId","hour")
);

-- CreateTable
CREATE TABLE "AccountDailyStats" (
    "accountId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "created" INTEGER NOT NULL DEFAULT 0,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "delayed" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "opened" INTEGER NOT NULL DEFAULT 0,
    "clicked" INTEGER NOT NULL DEFAULT 0,
    "softBounced" INTEGER NOT NULL DEFAULT 0,
    "hardBounced" INTEGER NOT NULL DEFAULT 0,
    "complained" INTEGER NOT NULL DEFAULT 0,
    "unsubscribed" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "rejectedByReason" JSONB NOT NULL DEFAULT '{}',
    "opensTotal" INTEGER NOT NULL DEFAULT 0,
    "clicksTotal" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AccountDailyStats_pkey" PRIMARY KEY ("accountId","day")
);

-- AddForeignKey
ALTER TABLE "CampaignHourlyStats" ADD CONSTRAINT "CampaignHourlyStats_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountDailyStats" ADD CONSTRAINT "AccountDailyStats_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Sums JSON objects of integer counters key by key (rejectedByReason over the hours of a day, the days of a range).
CREATE AGGREGATE postline_jsonb_sum(jsonb) (SFUNC = postline_jsonb_add, STYPE = jsonb, INITCOND = '{}');
