import { Controller, Get, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PG_POOL } from '@postline/database';
import { PostgresOutage, QueueRegistry } from '@postline/queue';
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { RawResponse } from './envelope-adapter';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

/**
 * `GET /health`: 200 when Postgres and Redis both answer and no worker is paused for a Postgres outage, else
 * 503 with the failing check.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: QueueRegistry,
    @Optional() private readonly outage?: PostgresOutage,
  ) {}

  @Get()
  @RawResponse()
  async health(@Res() reply: FastifyReply): Promise<void> {
    const [postgres, redis] = await Promise.all([
      withTimeout(this.pool.query('SELECT 1')).then(
        () => 'up',
        (e: Error) => `down: ${e.message}`,
      ),
      withTimeout(this.queues.all()[0].count()).then(
        () => 'up',
        (e: Error) => `down: ${e.message}`,
      ),
    ]);
    const since = this.outage?.downSince;
    // Until the probe resumes them, the workers wait for Postgres even if this check found it back.
    const workers = since ? `paused: Postgres unreachable since ${since.toISOString()}` : 'running';
    const ok = postgres === 'up' && redis === 'up' && !since;
    await reply
      .status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: ok ? 'ok' : 'unavailable', checks: { postgres, redis, workers } });
  }
}
