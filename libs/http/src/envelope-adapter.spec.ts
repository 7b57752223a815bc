import { Controller, Get, Header, HttpCode, HttpStatus, Module, NotFoundException, Post } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { createHttpApp } from './bootstrap';
import { RawResponse } from './envelope-adapter';
import { loggerModule } from './logger.module';

@Controller('things')
class ThingsController {
  @Post()
  @HttpCode(HttpStatus.CREATED)
  create() {
    return { id: 'thing-1' };
  }

  @Get('none')
  none(): void {
    return undefined;
  }

  @Get('text')
  @RawResponse()
  @Header('Content-Type', 'text/plain')
  text(): string {
    return 'as is';
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException('no such thing');
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ LOG_LEVEL: 'silent' })] }),
    loggerModule('test'),
  ],
  controllers: [ThingsController],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
class EnvelopeTestModule {}

describe('response envelope', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createHttpApp(EnvelopeTestModule);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('wraps a handler result as { meta, data } and echoes the transactionId in x-request-id', async () => {
    const res = await app.inject({ method: 'POST', url: '/things' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      meta: { timestamp: expect.any(Number), transactionId: res.headers['x-request-id'] },
      data: { id: 'thing-1' },
    });
    const none = await app.inject({ method: 'GET', url: '/things/none', headers: { 'x-request-id': 'given-id-0001' } });
    expect(none.json()).toEqual({ meta: { timestamp: expect.any(Number), transactionId: 'given-id-0001' } });
  });

  it('sends a raw response as it is, with its x-request-id', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/text' });
    expect(res.body).toBe('as is');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('leaves error bodies to the exception filter, unwrapped', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/missing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      meta: { timestamp: expect.any(Number), transactionId: res.headers['x-request-id'] },
      error: { code: 'NOT_FOUND', message: 'no such thing' },
    });
    const unknown = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).not.toHaveProperty('data');
    expect(unknown.headers['x-request-id']).toBe(unknown.json().meta.transactionId);
  });
});
