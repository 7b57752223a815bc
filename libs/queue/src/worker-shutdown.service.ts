import { WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { OutboxRelay } from './outbox-relay.service';

/**
 * Graceful stop in the right order. Nest runs `onModuleDestroy`, then `beforeApplicationShutdown`, then
 * `onApplicationShutdown`, where @nestjs/bullmq would close workers — after the database pool is gone. Here
 * every worker first finishes its active jobs (new ones stay queued for another replica), then the outbox
 * relay makes its last pass; the pool closes afterwards (PrismaService, onApplicationShutdown).
 */
@Injectable()
export class WorkerShutdown implements BeforeApplicationShutdown {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly relay: OutboxRelay,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    const hosts = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
    await Promise.all(hosts.map((host) => host.worker?.close()));
    await this.relay.stop();
  }
}
