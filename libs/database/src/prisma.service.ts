import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { PrismaClient } from './generated';
import { PG_POOL } from './pg-pool';

/** Prisma on the shared pg pool (driver adapter: the native query engine cannot be downloaded here). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {
    super({ adapter: new PrismaPg(pool) });
  }

  async onModuleInit(): Promise<void> {
    // Connecting lazily keeps an app able to start (and report unhealthy) while Postgres is down.
    await this.$connect().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    await this.pool.end().catch(() => undefined);
  }
}
