import { SesEnv } from '@postline/ses';
import { IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';

/** SES_ENDPOINT and SES_REGION come from SesEnv. */
export class Env extends SesEnv {
  /** Serves /health and /metrics. */
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3002;

  /** Configuration set whose event destination publishes the SES events (sent with every email when set). */
  @IsOptional()
  @IsString()
  SES_CONFIGURATION_SET?: string;

  /**
   * Configuration set for emails sent with `tracking.opens: false`: the same event destination without open
   * tracking. Unset, such emails use SES_CONFIGURATION_SET and SES still tracks their opens.
   */
  @IsOptional()
  @IsString()
  SES_UNTRACKED_CONFIGURATION_SET?: string;

  /** Emails per second for all sender replicas together; unset, read from SES GetAccount (SendQuota.MaxSendRate). */
  @IsOptional()
  @IsNumber()
  @Min(0.1)
  SES_MAX_SEND_RATE?: number;

  /** Emails in flight per replica (also how many can share one database transaction). */
  @IsInt()
  @Min(1)
  @Max(500)
  SEND_CONCURRENCY = 100;

  /** SendEmail attempts per email on temporary failures (throttling, SES 5xx, no connection) before EXHAUSTED. */
  @IsInt()
  @Min(1)
  @Max(50)
  SEND_MAX_ATTEMPTS = 5;

  /** First retry delay; doubles per attempt (with jitter) up to SEND_RETRY_MAX_DELAY_MS. */
  @IsInt()
  @Min(1)
  SEND_RETRY_BASE_DELAY_MS = 2_000;

  @IsInt()
  @Min(1)
  SEND_RETRY_MAX_DELAY_MS = 300_000;

  /**
   * How long an email whose SendEmail outcome is unknown (the sender died or the call timed out after
   * reaching SES) waits for its SES Send event before it is marked AMBIGUOUS instead of being sent again.
   */
  @IsInt()
  @Min(1)
  SEND_CONFIRM_TIMEOUT_MS = 15 * 60_000;

  /** How often such an email checks whether its Send event arrived. */
  @IsInt()
  @Min(1)
  SEND_CONFIRM_POLL_MS = 15_000;

  /**
   * A call later than this on its send slot takes a new slot instead (its dispatch is released first): slots
   * are not banked, and 50 ms holds any sliding second within 5 % of the rate after a stall.
   */
  @IsInt()
  @Min(1)
  SEND_LATE_SLOT_MS = 50;

  /** Connect timeout of SendEmail: a call that times out here never reached SES and is retried. */
  @IsInt()
  @Min(1)
  SES_CONNECT_TIMEOUT_MS = 3_000;

  /** Whole-call timeout of SendEmail: a call that times out here may have reached SES (ambiguous). */
  @IsInt()
  @Min(1)
  SES_REQUEST_TIMEOUT_MS = 15_000;

  /** While SES refuses to send (SendingPaused, AccountSuspended, credentials), GetAccount is probed this often. */
  @IsInt()
  @Min(1)
  SES_PAUSE_PROBE_MS = 30_000;

  /** How often the max send rate is re-read from GetAccount (when SES_MAX_SEND_RATE is unset). */
  @IsInt()
  @Min(1_000)
  SES_QUOTA_REFRESH_MS = 10 * 60_000;

  /** BullMQ job lock; a killed sender's jobs are taken over once it expires. */
  @IsInt()
  @Min(1)
  SEND_LOCK_DURATION_MS = 30_000;

  /** How often each sender looks for jobs whose owner died. */
  @IsInt()
  @Min(1)
  SEND_STALLED_INTERVAL_MS = 30_000;

  /** How often queued emails are checked against Redis and the ones whose job it lost re-queued (0: never). */
  @IsInt()
  @Min(0)
  RECONCILE_EVERY_MS = 15_000;

  /** Emails younger than this are left to the outbox relay; only older ones are checked. */
  @IsInt()
  @Min(0)
  RECONCILE_GRACE_MS = 30_000;

  /**
   * How often the due pass moves SCHEDULED emails whose sendAt has come to QUEUED (0: never). It also bounds how
   * late a scheduled email leaves: within about this interval of its sendAt, plus the send itself.
   */
  @IsInt()
  @Min(0)
  SCHEDULED_RELEASE_EVERY_MS = 1_000;

  /** Public URL of the gateway, for unsubscribe links. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /** HMAC key of unsubscribe tokens; must equal the gateway's. */
  @IsString()
  @MinLength(16)
  // Required, never defaulted: a known default would let anyone forge unsubscribe links.
  UNSUBSCRIBE_SECRET: string;
}
