import { Module } from '@nestjs/common';
import { AuthFailureLimiter } from '../rate-limits/auth-failure-limiter.service';
import { RateLimits } from '../rate-limits/rate-limits.service';
import { GatewayRedisModule } from '../redis/gateway-redis.module';
import { AdminGuard } from './admin.guard';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { KeyChanges } from './key-changes.service';

/**
 * Who calls: API keys and ADMIN_API_KEY, with the rate limits the API key guard enforces. A module whose
 * controllers use `@UseGuards(ApiKeyGuard)` or `@UseGuards(AdminGuard)` imports it: Nest builds the guards
 * there, from what this module exports.
 */
@Module({
  imports: [GatewayRedisModule],
  providers: [KeyChanges, ApiKeyService, AuthFailureLimiter, RateLimits, ApiKeyGuard, AdminGuard],
  exports: [KeyChanges, ApiKeyService, AuthFailureLimiter, RateLimits, ApiKeyGuard, AdminGuard],
})
export class AuthModule {}
