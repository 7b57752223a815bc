import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleDestroy } from '@nestjs/common';
import { loadEnv } from '@postline/config';
import { type DeliverWebhookJob, JobName, QueueName } from '@postline/contracts';
import { workerConnection } from '@postline/queue';
import { type Job, UnrecoverableError, type WorkerOptions } from 'bullmq';
import { Env } from '../env';
import { WebhookHttpClient } from '../http/webhook-http-client';
import { type DeliveryResult, WebhookDeliveryService } from './webhook-delivery.service';

/** Worker options are fixed when the class is decorated, so they are read from the environment here. */
function workerOptions(): Partial<WorkerOptions> {
  const env = loadEnv(Env);
  return {
    connection: workerConnection(env.REDIS_URL),
    concurrency: env.WEBHOOK_CONCURRENCY,
    // A job whose worker died is re-run after its lock lapses; the stalled check runs as often.
    lockDuration: env.WEBHOOK_LOCK_DURATION_MS,
    stalledInterval: env.WEBHOOK_LOCK_DURATION_MS,
  };
}

@Processor(QueueName.WebhookDeliver, workerOptions())
export class DeliverWebhookProcessor extends WorkerHost implements OnModuleDestroy {
  constructor(
    private readonly deliveries: WebhookDeliveryService,
    private readonly http: WebhookHttpClient,
  ) {
    super();
  }

  async process(job: Job<DeliverWebhookJob, DeliveryResult, string>): Promise<DeliveryResult> {
    if (job.name !== JobName.DeliverWebhook) throw new UnrecoverableError(`unknown job ${job.name}`);
    return this.deliveries.deliver(job.data.deliveryId);
  }

  /**
   * Finishes the attempts in flight, outcomes recorded, before the database pool closes: Nest destroys this
   * module before the global ones, while @nestjs/bullmq would close the worker only after them.
   */
  async onModuleDestroy(): Promise<void> {
    // `worker` throws when the app stopped before BullMQ created it.
    await Promise.resolve()
      .then(() => this.worker.close())
      .catch(() => undefined);
    await this.http.close();
  }
}
