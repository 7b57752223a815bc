import { Body, Controller, Get, Param, ParseUUIDPipe, Put, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PrismaService } from '@postline/database';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { AdminGuard } from '../auth/admin.guard';
import { KeyChanges } from '../auth/key-changes.service';
import type { Env } from '../env';
import { RateLimitsView } from './dto/rate-limits.view';
import { SetRateLimitsDto } from './dto/set-rate-limits.dto';

const accountId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Account') });

/** Operators give an account limits of its own (stored on the account, in force on every replica at once). */
@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiErrorResponses(400, 401, 503)
@UseGuards(AdminGuard)
@Controller('admin/accounts/:accountId/rate-limits')
export class RateLimitsAdminController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: KeyChanges,
    private readonly config: ConfigService<Env, true>,
  ) {}

  @Get()
  @ApiOperation({ summary: 'An account’s rate limits' })
  @ApiEnvelopeResponse(RateLimitsView)
  @ApiErrorResponses(404)
  async get(@Param('accountId', accountId()) id: string): Promise<RateLimitsView> {
    const account = await this.prisma.account.findUnique({ where: { id }, select: LIMIT_FIELDS });
    if (!account) throw ApiError.notFound('Account');
    return this.view(account);
  }

  @Put()
  @ApiOperation({ summary: 'Set an account’s rate limits (null: back to the default)' })
  @ApiEnvelopeResponse(RateLimitsView)
  @ApiErrorResponses(404)
  async set(@Param('accountId', accountId()) id: string, @Body() dto: SetRateLimitsDto): Promise<RateLimitsView> {
    const { count } = await this.prisma.account.updateMany({
      where: { id },
      data: { rateLimitPerKey: dto.perKey, rateLimitPerAccount: dto.perAccount },
    });
    if (count === 0) throw ApiError.notFound('Account');
    // Cached callers carry the account's limits: every replica drops them.
    await this.changes.announce({ kind: 'account', id });
    return this.get(id);
  }

  private view(account: { rateLimitPerKey: number | null; rateLimitPerAccount: number | null }): RateLimitsView {
    return {
      windowSeconds: this.config.get('RATE_LIMIT_WINDOW_SECONDS', { infer: true }),
      perKey: account.rateLimitPerKey ?? this.config.get('RATE_LIMIT_PER_KEY', { infer: true }),
      perAccount: account.rateLimitPerAccount ?? this.config.get('RATE_LIMIT_PER_ACCOUNT', { infer: true }),
      accountPerKey: account.rateLimitPerKey,
      accountPerAccount: account.rateLimitPerAccount,
    };
  }
}

const LIMIT_FIELDS = { rateLimitPerKey: true, rateLimitPerAccount: true } as const;
