import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { PrismaClient } from './generated';
import { PG_POOL } from './pg-pool';

/** Prisma on the shared pg pool (driver adapter: the native query engine cannot be downloaded here). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {
    super({ adapter: new PrismaPg(pool) });
  }

  async onModuleInit(): Promise<void> {
    // Connecting lazily keeps an app able to start (and report unhealthy) while Postgres is down.
    await this.$connect().catch(() => undefined);
  }

  /** The last shutdown phase: workers and the outbox relay have finished with the pool by then. */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.pool.end().catch(() => undefined);
  }
}
