import { BaseEnv, EnvBoolean } from '@postline/config';
import { IsBoolean, IsInt, IsNumber, Matches, Max, Min, ValidateBy } from 'class-validator';

export class Env extends BaseEnv {
  /** Serves /health and /metrics; 0 picks a free port (tests). */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3004;

  /** Deliveries in flight per process (claimed in batches); receivers are slow I/O, not CPU. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_CONCURRENCY = 100;

  /**
   * Share of WEBHOOK_CONCURRENCY one target (a URL origin as one account uses it) may hold, at least one slot:
   * a slow or dead receiver holds at most these slots, and the other targets keep the rest. At most 0.8: with
   * the rows claimed ahead, a larger share would leave too little of a claim for anyone else.
   */
  @IsNumber()
  @Min(0)
  @Max(0.8)
  WEBHOOK_TARGET_SHARE = 0.75;

  /** Share of WEBHOOK_CONCURRENCY all the targets of one account may hold together, at least one slot (≤ 0.8). */
  @IsNumber()
  @Min(0)
  @Max(0.8)
  WEBHOOK_ACCOUNT_SHARE = 0.8;

  /** Consecutive failed attempts after which a target's circuit opens: its deliveries wait instead of taking slots. */
  @IsInt()
  @Min(1)
  WEBHOOK_CIRCUIT_FAILURES = 10;

  /** How long an open circuit waits before one delivery probes the target; doubled each time the probe fails. */
  @IsInt()
  @Min(100)
  WEBHOOK_CIRCUIT_OPEN_MS = 30_000;

  /** Longest wait of an open circuit. */
  @IsInt()
  @ValidateBy({
    name: 'atLeastCircuitOpen',
    validator: {
      validate: (max: unknown, args) => typeof max === 'number' && max >= (args?.object as Env).WEBHOOK_CIRCUIT_OPEN_MS,
      defaultMessage: () => 'must be at least WEBHOOK_CIRCUIT_OPEN_MS',
    },
  })
  WEBHOOK_CIRCUIT_MAX_OPEN_MS = 3_600_000;

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

  /** How often an idle worker looks for due deliveries; under load it claims again as soon as slots free up. */
  @IsInt()
  @Min(10)
  WEBHOOK_POLL_INTERVAL_MS = 200;

  /**
   * How long a claimed delivery belongs to the worker that claimed it; a worker that died mid-attempt leaves
   * it due again after this. Must exceed twice WEBHOOK_TIMEOUT_MS (a row claimed ahead may wait one attempt for
   * a slot), so a live attempt is never taken over.
   */
  @IsInt()
  @Min(500)
  @ValidateBy({
    name: 'leaseOutlastsTwoAttempts',
    validator: {
      validate: (lease: unknown, args) =>
        typeof lease === 'number' && lease > 2 * (args?.object as Env).WEBHOOK_TIMEOUT_MS,
      defaultMessage: () =>
        'must be greater than twice WEBHOOK_TIMEOUT_MS (a row claimed ahead may wait one attempt for a slot, then take one)',
    },
  })
  WEBHOOK_LEASE_MS = 60_000;
}
