-- No query reads emails by dispatch state (a dispatch in doubt is found through its own send job), while
-- every status write of an email paid for this index.
-- DropIndex
DROP INDEX "Email_dispatchState_dispatchStartedAt_idx";
