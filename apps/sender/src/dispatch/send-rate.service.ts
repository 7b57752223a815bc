import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../env';
import { maxSendRate } from '../sender-metrics';
import { SesAccountService } from '../ses/ses-account.service';

/** The emulator has no quota and, unless configured, no GetAccount: this rate is used for it. */
export const LOCAL_SES_DEFAULT_RATE = 200;
const RETRY_MS = 5_000;

/**
 * The SES maximum send rate for all sender replicas together: SES_MAX_SEND_RATE when set, otherwise
 * GetAccount's SendQuota.MaxSendRate (re-read periodically, as AWS raises quotas).
 */
@Injectable()
export class SendRateService {
  private readonly logger = new Logger(SendRateService.name);
  private current?: number;

  constructor(
    private readonly account: SesAccountService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  get configured(): boolean {
    return this.config.get('SES_MAX_SEND_RATE', { infer: true }) !== undefined;
  }

  /** Resolves once the rate is known; keeps asking SES while it cannot answer. */
  async resolve(isStopped: () => boolean = () => false): Promise<number> {
    const configured = this.config.get('SES_MAX_SEND_RATE', { infer: true });
    if (configured !== undefined) return this.publish(configured, 'SES_MAX_SEND_RATE');
    for (;;) {
      try {
        const rate = await this.fromSes();
        if (rate !== null) return rate;
      } catch (error) {
        if (this.config.get('SES_ENDPOINT', { infer: true })) {
          this.logger.warn(
            `local SES gave no quota (${(error as Error).message}); using ${LOCAL_SES_DEFAULT_RATE}/s (set SES_MAX_SEND_RATE to choose)`,
          );
          return this.publish(LOCAL_SES_DEFAULT_RATE, 'local default');
        }
        this.logger.warn(`waiting for SES GetAccount to learn the max send rate: ${(error as Error).message}`);
      }
      if (isStopped()) return 1;
      await new Promise((r) => setTimeout(r, RETRY_MS).unref());
    }
  }

  /** The current quota from SES, or null when it reports none. */
  async fromSes(): Promise<number | null> {
    const { maxSendRate: rate } = await this.account.state();
    if (rate === null || !(rate > 0)) return null;
    return this.publish(rate, 'SES GetAccount');
  }

  private publish(rate: number, source: string): number {
    if (rate !== this.current) this.logger.log(`max send rate ${rate}/s (${source}), shared by every sender replica`);
    this.current = rate;
    maxSendRate().set(rate);
    return rate;
  }
}
