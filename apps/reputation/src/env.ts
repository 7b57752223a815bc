import { ReputationEnv } from '@postline/account-reputation';
import { IsInt, Max, Min } from 'class-validator';

/** The reputation service: the shared REPUTATION_* settings plus how hard this worker pulls. */
export class Env extends ReputationEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3003;

  /** Jobs a worker holds at once; concurrent jobs are what the batcher groups into one transaction. */
  @IsInt()
  @Min(1)
  @Max(5000)
  REPUTATION_CONCURRENCY = 1000;

  /** Most events written by one transaction. */
  @IsInt()
  @Min(1)
  @Max(10000)
  REPUTATION_BATCH_SIZE = 1000;

  /**
   * Batch transactions a worker runs at once. One is fastest: batches of one account serialise on its row
   * anyway, and events that arrive meanwhile make the next batch larger. Scale with more workers instead.
   */
  @IsInt()
  @Min(1)
  @Max(16)
  REPUTATION_BATCHES_IN_FLIGHT = 1;

  /** How often the sweep re-evaluates accounts whose window slid (warnings clear with no new events). */
  @IsInt()
  @Min(100)
  REPUTATION_SWEEP_EVERY_MS = 60_000;

  /** How often the reputation jobs Postgres holds as not counted are checked against Redis, and lost ones re-queued (0: never). */
  @IsInt()
  @Min(0)
  RECONCILE_EVERY_MS = 15_000;

  /** Jobs younger than this are left to the outbox relay; only older ones are checked. */
  @IsInt()
  @Min(0)
  RECONCILE_GRACE_MS = 30_000;

  /** Emails, their events and callbacks, SNS receipts and expired idempotency keys older than this are deleted; 0 keeps all. */
  @IsInt()
  @Min(0)
  RETENTION_DAYS = 45;

  /** How often the purge runs (a BullMQ job scheduler: one run per interval for the whole fleet). */
  @IsInt()
  @Min(1000)
  RETENTION_PURGE_EVERY_MS = 3_600_000;

  /** Rows deleted per statement: small, so no lock or WAL burst holds up sending. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  RETENTION_BATCH_SIZE = 1000;

  /** Pause between two batches, leaving Postgres to the hot path. */
  @IsInt()
  @Min(0)
  RETENTION_BATCH_PAUSE_MS = 20;
}
