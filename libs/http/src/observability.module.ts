import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { EnvelopeInterceptor } from './envelope.interceptor';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics';
import { createValidationPipe } from './validation';

/**
 * What every app's HTTP side has: /health, /metrics, the response envelope, the error filter and the
 * validation pipe. Registered as providers so test apps compiled from AppModule get them too.
 */
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
  ],
})
export class HttpBasicsModule {}
