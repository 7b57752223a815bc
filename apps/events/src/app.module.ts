import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnv } from '@postline/config';
import { DatabaseModule } from '@postline/database';
import { EmailLedgerModule } from '@postline/email-ledger';
import { HttpBasicsModule, loggerModule } from '@postline/http';
import { QueueModule } from '@postline/queue';
import { ApplySesEventProcessor } from './apply/apply-ses-event.processor';
import { SesEventApplier } from './apply/ses-event-applier.service';
import { AdminGuard } from './auth/admin.guard';
import { Env } from './env';
import { ReceiptWriter } from './notifications/receipt-writer.service';
import { SnsNotificationsController } from './notifications/sns-notifications.controller';
import { SnsNotificationsService } from './notifications/sns-notifications.service';
import { snsTopicAllowListProvider, snsVerifierProvider } from './notifications/sns-verifier.provider';
import { SubscriptionConfirmer } from './notifications/subscription-confirmer.service';
import { ParkedReceiptsController } from './parked/parked-receipts.controller';
import { ParkedReceiptsService } from './parked/parked-receipts.service';
import { ReceiptJanitor } from './receipts/receipt-janitor.service';
import { ReceiptReconciler } from './receipts/receipt-reconciler.service';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv(Env) }),
    loggerModule('events'),
    DatabaseModule,
    QueueModule.forRoot(),
    EmailLedgerModule,
    HttpBasicsModule,
  ],
  controllers: [SnsNotificationsController, ParkedReceiptsController],
  providers: [
    snsTopicAllowListProvider,
    snsVerifierProvider,
    SubscriptionConfirmer,
    ReceiptWriter,
    SnsNotificationsService,
    SesEventApplier,
    ApplySesEventProcessor,
    ParkedReceiptsService,
    AdminGuard,
    ReceiptJanitor,
    ReceiptReconciler,
  ],
})
export class AppModule {}
