import type { LoggerService } from '@nestjs/common';

/**
 * A warning that repeats while something stays down (Redis, Postgres) is logged at most once per interval:
 * one line says it, a line per job or poll would bury everything else.
 */
export class ThrottledLog {
  private lastAt = Number.NEGATIVE_INFINITY;
  private dropped = 0;

  constructor(
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly everyMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Logs `message` unless a line went out less than `everyMs` ago; true when it was logged. A function is
   * given how many warnings were dropped since the last line.
   */
  warn(message: string | ((dropped: number) => string)): boolean {
    const now = this.now();
    if (now - this.lastAt < this.everyMs) {
      this.dropped++;
      return false;
    }
    this.lastAt = now;
    this.logger.warn(typeof message === 'string' ? message : message(this.dropped));
    this.dropped = 0;
    return true;
  }
}
