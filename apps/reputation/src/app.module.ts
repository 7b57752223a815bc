import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnv } from '@postline/config';
import { DatabaseModule } from '@postline/database';
import { AccountReputationModule } from '@postline/account-reputation';
import { HttpBasicsModule, loggerModule } from '@postline/http';
import { QueueModule } from '@postline/queue';
import { Env } from './env';
import { ReputationEvaluator } from './evaluation/reputation-evaluator.service';
import { ReputationBatcher } from './events/reputation-batcher.service';
import { PendingSettler } from './events/pending-settler.service';
import { ReputationEventProcessor } from './events/reputation-event.processor';
import { ReputationRecorder } from './events/reputation-recorder.service';
import { ReputationReconciler } from './reconcile/reputation-reconciler.service';
import { PurgeExpiredProcessor } from './retention/purge-expired.processor';
import { RetentionPurger } from './retention/retention-purger.service';
import { RetentionScheduler } from './retention/retention-scheduler.service';
import { ReputationSweep } from './sweep/reputation-sweep.service';
import { SweepScheduler } from './sweep/sweep-scheduler.service';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv(Env) }),
    loggerModule('reputation'),
    DatabaseModule,
    QueueModule.forRoot(),
    AccountReputationModule,
    HttpBasicsModule,
  ],
  providers: [
    ReputationEvaluator,
    ReputationRecorder,
    ReputationBatcher,
    ReputationSweep,
    SweepScheduler,
    PendingSettler,
    ReputationReconciler,
    ReputationEventProcessor,
    RetentionPurger,
    RetentionScheduler,
    PurgeExpiredProcessor,
  ],
})
export class AppModule {}
