import { BaseEnv } from '@postline/config';
import { IsInt, IsOptional, IsString, Max, Min, MinLength, Validate } from 'class-validator';
import { SnsTopicsRule } from './notifications/sns-topics-rule';

export class Env extends BaseEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3001;

  /** The support team's key for GET /ses/parked; without it those endpoints refuse every caller. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  ADMIN_API_KEY?: string;

  /** A PEM trusted instead of downloading SigningCertURL (tests, local SES events tool); host checks still apply. */
  @IsOptional()
  @IsString()
  SNS_CERT_FILE?: string;

  /** Local SES (aws-ses-v2-local); the events app only reads it to know whether SES is real (SNS_TOPIC_ARNS). */
  @IsOptional()
  @IsString()
  SES_ENDPOINT?: string;

  /**
   * Comma-separated ARNs of the SNS topics whose notifications are accepted and whose subscriptions are
   * confirmed. Required unless SES is local (SES_ENDPOINT and SNS_CERT_FILE both set), where empty accepts
   * every topic signed with the local certificate and confirms no subscription.
   */
  @Validate(SnsTopicsRule)
  SNS_TOPIC_ARNS = '';

  /** Oldest notification accepted, by its SNS Timestamp (0: no limit). SNS keeps the original Timestamp on retries. */
  @IsInt()
  @Min(0)
  SNS_MAX_AGE_SECONDS = 86_400;

  /** Timeout of the signing-certificate download and of the SubscribeURL confirmation. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  SNS_FETCH_TIMEOUT_MS = 5_000;

  @IsInt()
  @Min(60)
  SNS_CERT_CACHE_SECONDS = 86_400;

  /** Jobs of the ses-event queue handled at once by this process; they are applied together in batches. */
  @IsInt()
  @Min(1)
  @Max(1000)
  EVENTS_CONCURRENCY = 200;

  /** Largest number of events applied in one transaction. */
  @IsInt()
  @Min(1)
  @Max(5000)
  EVENTS_MAX_BATCH = 500;

  /** Retries of an event whose email is not known yet (arrived before the sender recorded it) before it is parked. */
  @IsInt()
  @Min(0)
  @Max(50)
  EVENTS_UNKNOWN_EMAIL_RETRIES = 8;

  /** First retry delay of such an event; it doubles each time, up to an hour. */
  @IsInt()
  @Min(10)
  EVENTS_UNKNOWN_EMAIL_DELAY_MS = 30_000;

  /** Applied and parked receipts older than this are deleted (0: keep); keep it above SNS_MAX_AGE_SECONDS. */
  @IsInt()
  @Min(0)
  EVENTS_RECEIPT_RETENTION_DAYS = 30;

  /**
   * How often old receipts are deleted and receipts pending for hours re-queued (a BullMQ job scheduler: one
   * run per interval for the whole fleet; 0: never).
   */
  @IsInt()
  @Min(0)
  EVENTS_RECEIPT_JANITOR_EVERY_MS = 3_600_000;

  /** How often pending SNS receipts are checked against Redis and the ones whose job it lost re-queued (0: never). */
  @IsInt()
  @Min(0)
  RECONCILE_EVERY_MS = 15_000;

  /** Receipts younger than this are left to the outbox relay; only older ones are checked. */
  @IsInt()
  @Min(0)
  RECONCILE_GRACE_MS = 30_000;
}
