import type { LoggerService } from '@nestjs/common';

/**
 * A warning that repeats while something stays down (Redis, Postgres) is logged at most once per interval:
 * one line says it, a line per job or poll would bury everything else.
 */
export class ThrottledLog {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly everyMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `message` unless a line went out less than `everyMs` ago; true when it was logged. */
  warn(message: string): boolean {
    const now = this.now();
    if (now - this.lastAt < this.everyMs) return false;
    this.lastAt = now;
    this.logger.warn(message);
    return true;
  }
}
