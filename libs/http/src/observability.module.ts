import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { BacklogMetrics } from './backlog-metrics.service';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics';
import { createValidationPipe } from './validation';

/**
 * What every app's HTTP side has: /health, /metrics (with the backlog gauges), the error filter and the validation pipe. Registered
 * as providers so test apps compiled from AppModule get them too; the response envelope comes with the
 * adapter of createHttpApp (EnvelopeFastifyAdapter).
 */
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    BacklogMetrics,
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
export class HttpBasicsModule {}
