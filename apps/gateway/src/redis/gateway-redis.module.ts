import { Module } from '@nestjs/common';
import { GatewayRedis } from './gateway-redis.service';

/** The gateway's own Redis client (rate limits, key changes); one per process whoever imports it. */
@Module({
  providers: [GatewayRedis],
  exports: [GatewayRedis],
})
export class GatewayRedisModule {}
