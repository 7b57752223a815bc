import { Writable } from 'node:stream';
import { Controller, Get, HttpStatus, Logger, Module, Query } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { ApiError } from './api-error';
import { createHttpApp } from './bootstrap';
import { loggerModule } from './logger.module';

const lines: Record<string, unknown>[] = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

@Controller('jobs')
class WorkController {
  private readonly logger = new Logger(WorkController.name);

  @Get()
  async work(@Query('step') step: string): Promise<{ ok: true }> {
    // A line after an await still belongs to the request that is waiting.
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.logger.warn(`step ${step}`);
    return { ok: true };
  }

  @Get('refused')
  refused(): never {
    throw new ApiError(HttpStatus.BAD_REQUEST, 'REFUSED', 'refused');
  }
}

/** Stands in for the health probe, which worker apps serve and nothing else. */
@Controller('health')
class ProbeController {
  private readonly logger = new Logger(ProbeController.name);

  @Get()
  probe(): { ok: true } {
    this.logger.warn('probed');
    return { ok: true };
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ LOG_LEVEL: 'info' })] }),
    loggerModule('test', destination),
  ],
  controllers: [WorkController, ProbeController],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
class LoggingTestModule {}

describe('request logs', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createHttpApp(LoggingTestModule);
    await app.init();
    app.flushLogs();
  });

  afterAll(() => app.close());

  it('carry the transactionId of their own request on every line, and none outside a request', async () => {
    const responses = await Promise.all(
      ['a', 'b', 'c'].map((step) =>
        app.inject({ method: 'GET', url: `/jobs?step=${step}`, headers: { 'x-request-id': `request-${step}-0001` } }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    await new Promise((resolve) => setImmediate(resolve));
    for (const step of ['a', 'b', 'c']) {
      expect(lines).toContainEqual(
        expect.objectContaining({
          app: 'test',
          context: WorkController.name,
          msg: `step ${step}`,
          transactionId: `request-${step}-0001`,
        }),
      );
    }
    new Logger('Outside').warn('no request');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.find((l) => l.msg === 'no request')).not.toHaveProperty('transactionId');
  });

  it("leave Nest's start-up chatter (every module loaded, every route mapped) out of info", () => {
    const contexts = new Set(lines.map((l) => l.context));
    for (const chatter of ['InstanceLoader', 'RoutesResolver', 'RouterExplorer']) expect(contexts).not.toContain(chatter);
  });

  it('leave probes out of the per-request store (it would switch AsyncLocalStorage on in worker apps)', async () => {
    const res = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'probe-0001' } });
    expect(res.statusCode).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.find((l) => l.msg === 'probed')).not.toHaveProperty('transactionId');
  });

  it('never carry an API key sent in the query string of a refused request', async () => {
    const res = await app.inject({ method: 'GET', url: '/jobs/refused?limit=5&api_key=pl_live_secret0001' });
    expect(res.statusCode).toBe(400);
    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.find((l) => l.msg === 'refused');
    expect(logged).toMatchObject({ url: '/jobs/refused?limit=5&api_key=[REDACTED]', status: 400 });
    expect(JSON.stringify(lines)).not.toContain('pl_live_secret0001');
  });
});
