/**
 * Counts one batch: each (emailId, kind) is inserted once into ReputationOutcome, and only the rows that
 * were new are added to their bucket, in one statement. Parameters are parallel arrays: emailId uuid[],
 * kind text[], occurredAt timestamp[], accountId uuid[], bucketStart timestamp[], free of duplicate
 * (emailId, kind) pairs. Returns how many outcomes were new per account.
 */
export const COUNT_OUTCOMES_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamp[], $4::uuid[], $5::timestamp[])
      AS v("emailId", "kind", "occurredAt", "accountId", "bucketStart")
  ), fresh AS (
    INSERT INTO "ReputationOutcome" ("emailId", "kind", "occurredAt")
    SELECT "emailId", "kind", "occurredAt" FROM input
    ON CONFLICT DO NOTHING
    RETURNING "emailId", "kind"
  ), counted AS (
    SELECT i."accountId", i."bucketStart",
      (count(*) FILTER (WHERE i."kind" = 'sent'))::int AS "sent",
      (count(*) FILTER (WHERE i."kind" = 'hard-bounce'))::int AS "hardBounces",
      (count(*) FILTER (WHERE i."kind" = 'complaint'))::int AS "complaints"
    FROM fresh f JOIN input i ON i."emailId" = f."emailId" AND i."kind" = f."kind"
    GROUP BY i."accountId", i."bucketStart"
  ), upserted AS (
    INSERT INTO "ReputationBucket" AS b ("accountId", "bucketStart", "sent", "hardBounces", "complaints")
    SELECT "accountId", "bucketStart", "sent", "hardBounces", "complaints" FROM counted
    ORDER BY "accountId", "bucketStart"
    ON CONFLICT ("accountId", "bucketStart") DO UPDATE SET
      "sent" = b."sent" + EXCLUDED."sent",
      "hardBounces" = b."hardBounces" + EXCLUDED."hardBounces",
      "complaints" = b."complaints" + EXCLUDED."complaints"
    RETURNING 1
  )
  SELECT "accountId", sum("sent" + "hardBounces" + "complaints")::int AS "counted"
  FROM counted GROUP BY "accountId"`;
