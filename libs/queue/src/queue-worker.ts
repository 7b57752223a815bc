import { Processor } from '@nestjs/bullmq';
import { Injectable, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryService } from '@nestjs/core';
import type { BaseEnv } from '@postline/config';
import type { QueueName } from '@postline/contracts';
import type { WorkerOptions } from 'bullmq';
import { workerConnection } from './redis-options';

/** BullMQ worker options but the connection, which every worker gets from REDIS_URL. */
export type WorkerSettings = Partial<Omit<WorkerOptions, 'connection'>>;

/** Worker options of a processor: fixed, or read from the app's validated settings at boot. */
export type QueueWorkerOptions<E extends BaseEnv = BaseEnv> =
  WorkerSettings | ((config: ConfigService<E, true>) => WorkerSettings);

const QUEUE_WORKER = Symbol('postline.queueWorker');

interface QueueWorkerMetadata {
  queue: QueueName;
  options: QueueWorkerOptions<never>;
}

/**
 * `@Processor` for Postline workers. @nestjs/bullmq takes worker options when the class is declared, before
 * the environment is validated; here they are taken at boot (WorkerOptionsBinder), from ConfigService, with a
 * connection that waits for Redis (`workerConnection`).
 */
export function QueueWorker<E extends BaseEnv>(queue: QueueName, options: QueueWorkerOptions<E> = {}): ClassDecorator {
  return (target) => {
    Processor(queue)(target);
    Reflect.defineMetadata(QUEUE_WORKER, { queue, options } satisfies QueueWorkerMetadata, target);
  };
}

/**
 * Gives every `@QueueWorker` its options before @nestjs/bullmq builds the workers (its BullRegistrar does so
 * in onModuleInit; providers are all constructed before any onModuleInit runs, hence the constructor).
 */
@Injectable()
export class WorkerOptionsBinder {
  constructor(discovery: DiscoveryService, config: ConfigService<BaseEnv, true>) {
    const connection = workerConnection(config.get('REDIS_URL', { infer: true }));
    for (const wrapper of discovery.getProviders()) {
      const target = wrapper.metatype as Type | null | undefined;
      if (typeof target !== 'function') continue;
      const metadata = Reflect.getMetadata(QUEUE_WORKER, target) as QueueWorkerMetadata | undefined;
      if (!metadata) continue;
      const { options } = metadata;
      const resolved = typeof options === 'function' ? options(config as never) : options;
      Processor(metadata.queue, { ...resolved, connection })(target);
    }
  }
}
