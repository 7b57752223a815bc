import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { BaseEnv } from '@postline/config';
import { DEFAULT_JOB_OPTIONS, QueueName } from '@postline/contracts';
import { JobReconciler } from './job-reconciler.service';
import { JobSchedules } from './job-schedules.service';
import { OutboxRelay } from './outbox-relay.service';
import { PostgresOutage } from './postgres-outage.service';
import { QueueRegistry } from './queue-registry.service';
import { WorkerOptionsBinder } from './queue-worker';
import { redisOptionsFromUrl } from './redis-options';
import { WorkerShutdown } from './worker-shutdown.service';

/**
 * BullMQ for every app. Queues (producers) fail fast when Redis is down (enableOfflineQueue: false) so the
 * outbox keeps the job; workers (`@QueueWorker`) get `workerConnection()`, which waits for Redis.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    const queues = Object.values(QueueName).map((name) =>
      BullModule.registerQueueAsync({
        name,
        inject: [ConfigService],
        useFactory: (config: ConfigService<BaseEnv, true>) => ({
          connection: { ...redisOptionsFromUrl(config.get('REDIS_URL', { infer: true })), enableOfflineQueue: false },
          prefix: config.get('QUEUE_PREFIX', { infer: true }),
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
        }),
      }),
    );
    return {
      module: QueueModule,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<BaseEnv, true>) => ({
            connection: {
              ...redisOptionsFromUrl(config.get('REDIS_URL', { infer: true })),
              maxRetriesPerRequest: null,
            },
            prefix: config.get('QUEUE_PREFIX', { infer: true }),
          }),
        }),
        ...queues,
      ],
      providers: [
        QueueRegistry,
        JobSchedules,
        JobReconciler,
        OutboxRelay,
        WorkerShutdown,
        PostgresOutage,
        WorkerOptionsBinder,
      ],
      exports: [BullModule, QueueRegistry, JobSchedules, JobReconciler, OutboxRelay, PostgresOutage],
    };
  }
}
