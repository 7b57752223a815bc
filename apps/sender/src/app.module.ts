import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnv } from '@postline/config';
import { DatabaseModule } from '@postline/database';
import { EmailLedgerModule } from '@postline/email-ledger';
import { HttpBasicsModule, loggerModule } from '@postline/http';
import { QueueModule } from '@postline/queue';
import { personalizerProvider } from './content/personalization';
import { DispatchStore } from './dispatch/dispatch-store.service';
import { EmailDispatcher } from './dispatch/email-dispatcher.service';
import { SendEmailProcessor } from './dispatch/send-email.processor';
import { SendPacer } from './dispatch/send-pacer.service';
import { SendRateService } from './dispatch/send-rate.service';
import { SendingPause } from './dispatch/sending-pause.service';
import { Env } from './env';
import { SendReconciler } from './reconcile/send-reconciler.service';
import { ReleaseScheduledProcessor } from './schedule/release-scheduled.processor';
import { ScheduledRelease } from './schedule/scheduled-release.service';
import { SesAccountService } from './ses/ses-account.service';
import { sesClientProviders } from './ses/ses-clients';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv(Env) }),
    loggerModule('sender'),
    DatabaseModule,
    QueueModule.forRoot(),
    EmailLedgerModule,
    HttpBasicsModule,
  ],
  providers: [
    ...sesClientProviders,
    SesAccountService,
    SendRateService,
    SendPacer,
    SendingPause,
    DispatchStore,
    personalizerProvider,
    EmailDispatcher,
    SendEmailProcessor,
    SendReconciler,
    ScheduledRelease,
    ReleaseScheduledProcessor,
  ],
})
export class AppModule {}
