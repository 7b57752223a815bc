import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SES_CONTROL_CLIENT, SES_SEND_CLIENT } from './ses-clients';

export interface SesAccountState {
  maxSendRate: number | null;
  /** SES accepts sending: not paused, not shut down. */
  sendingEnabled: boolean;
  enforcementStatus: string | null;
}

/** SES GetAccount: the account's send quota, and whether it may send at all (the pause probe). */
@Injectable()
export class SesAccountService implements OnApplicationShutdown {
  constructor(
    @Inject(SES_CONTROL_CLIENT) private readonly control: SESv2Client,
    @Inject(SES_SEND_CLIENT) private readonly send: SESv2Client,
  ) {}

  async state(): Promise<SesAccountState> {
    const account = await this.control.send(new GetAccountCommand({}));
    const enforcementStatus = account.EnforcementStatus ?? null;
    return {
      maxSendRate: account.SendQuota?.MaxSendRate ?? null,
      sendingEnabled: account.SendingEnabled !== false && enforcementStatus !== 'SHUTDOWN',
      enforcementStatus,
    };
  }

  /** After the worker closed (onModuleDestroy): no SendEmail is in flight any more. */
  onApplicationShutdown(): void {
    this.control.destroy();
    this.send.destroy();
  }
}
