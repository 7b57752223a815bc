import { BaseEnv, EnvBoolean } from '@postline/config';
import { IsBoolean, IsInt, IsNumber, Matches, Max, Min } from 'class-validator';

export class Env extends BaseEnv {
  /** Serves /health and /metrics; 0 picks a free port (tests). */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3004;

  /** Deliveries in flight per process; receivers are slow I/O, not CPU. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_CONCURRENCY = 100;

  /** Whole attempt (connect, headers, capped body): a slower receiver is a failed attempt. */
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 15_000;

  /** Seconds before each retry, comma-separated; its length is the number of retries. */
  @Matches(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, { message: 'must be seconds separated by commas' })
  WEBHOOK_RETRY_SCHEDULE = '5,300,1800,7200,18000,36000,36000';

  /** Each retry delay is moved by up to this fraction either way, so failed bursts do not return together. */
  @IsNumber()
  @Min(0)
  @Max(1)
  WEBHOOK_RETRY_JITTER = 0.2;

  /** Longest wait a receiver's Retry-After (429/503) can ask for. */
  @IsNumber()
  @Min(0)
  WEBHOOK_RETRY_AFTER_MAX_SECONDS = 36_000;

  /** Lets callbacks reach loopback, private, link-local and unique-local addresses (local development, tests). */
  @IsBoolean()
  @EnvBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  /** Bytes of a receiver's response read at most; the connection is dropped past it. */
  @IsInt()
  @Min(0)
  @Max(1024 * 1024)
  WEBHOOK_RESPONSE_BODY_LIMIT = 4096;

  /** How often the safety net looks for deliveries whose job was lost or failed. */
  @IsInt()
  @Min(100)
  WEBHOOK_SWEEP_INTERVAL_MS = 60_000;

  /** A PENDING / FAILED delivery this long past its due time is re-queued by the sweeper. */
  @IsInt()
  @Min(0)
  WEBHOOK_SWEEP_GRACE_MS = 600_000;

  /** BullMQ job lock; a killed worker's delivery is picked up again about this long after it died. */
  @IsInt()
  @Min(500)
  WEBHOOK_LOCK_DURATION_MS = 30_000;
}
