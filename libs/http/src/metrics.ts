import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, register } from 'prom-client';
import { RawResponse } from './envelope-adapter';

let defaultsCollected = false;

/**
 * Node's process metrics once per process (several test apps may boot in one process), under their standard
 * names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds, …) so stock dashboards and alerts read them.
 */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics();
}

/** Gets or creates a metric, so modules can declare theirs without clashing on re-registration. */
export function metric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

const httpRequests = () =>
  metric(
    'postline_http_requests_total',
    () =>
      new Counter({
        name: 'postline_http_requests_total',
        help: 'HTTP requests',
        labelNames: ['method', 'route', 'status'],
      }),
  );
const httpDuration = () =>
  metric(
    'postline_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'postline_http_request_duration_seconds',
        help: 'HTTP request latency',
        labelNames: ['method', 'route'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      }),
  );

/** Counts and times every request by route pattern (not raw URL, which would explode cardinality). */
export function instrumentHttp(fastify: FastifyInstance): void {
  const requests = httpRequests();
  const duration = httpDuration();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  @RawResponse()
  @Header('Content-Type', register.contentType)
  async metrics(): Promise<string> {
    return register.metrics();
  }
}
