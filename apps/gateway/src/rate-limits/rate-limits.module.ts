import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RateLimitsAdminController } from './rate-limits-admin.controller';

/** The admin API of per-account rate limits; the limits themselves are enforced by AuthModule's guard. */
@Module({
  imports: [AuthModule],
  controllers: [RateLimitsAdminController],
})
export class RateLimitsModule {}
