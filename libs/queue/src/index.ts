export * from './job-producer.service';
export * from './outbox';
export * from './outbox-relay.service';
export * from './queue-registry.service';
export * from './queue.module';
export * from './redis-options';
export * from './worker-shutdown.service';
export * from './job-schedules.service';
