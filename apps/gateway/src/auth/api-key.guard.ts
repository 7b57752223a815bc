import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthFailureLimiter } from '../rate-limits/auth-failure-limiter.service';
import { RATE_LIMIT_COST, type RateLimitCost } from '../rate-limits/rate-limit-cost.decorator';
import { RateLimits } from '../rate-limits/rate-limits.service';
import { misplacedKeyError, tooManyRequests, unauthorized } from './auth-errors';
import { ApiKeyService } from './api-key.service';
import type { Caller } from './caller';
import { misplacedKey } from './misplaced-key';

export type AuthedRequest = FastifyRequest & { caller: Caller };

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token.trim() : undefined;
}

const REFUSED: Record<'unknown' | 'revoked' | 'expired', string> = {
  unknown: 'Invalid API key',
  revoked: 'This API key was revoked',
  expired: 'This API key has expired',
};

/**
 * Rejections of a caller that failed to authenticate: 401, or 429 once its address failed too often
 * (so keys cannot be guessed at speed). Shared with AdminGuard.
 */
export async function refuse(failures: AuthFailureLimiter, request: FastifyRequest, message: string): Promise<never> {
  const blockedMs = await failures.failed(request.ip);
  if (blockedMs > 0) throw tooManyFailures(blockedMs);
  throw unauthorized(message);
}

function tooManyFailures(blockedMs: number) {
  const wait = Math.max(Math.ceil(blockedMs / 1000), 1);
  return tooManyRequests(`Too many failed authentications from this address; retry after ${wait} s`, wait);
}

/** Checks shared with AdminGuard before any key is looked at: the address is not blocked, no key is misplaced. */
export function precheck(failures: AuthFailureLimiter, request: FastifyRequest): void {
  const where = misplacedKey(request);
  if (where) throw misplacedKeyError(where);
  const blockedMs = failures.blockedFor(request.ip);
  if (blockedMs > 0) throw tooManyFailures(blockedMs);
}

/** `Authorization: Bearer <api key>` on every public endpoint, then the caller's rate limits. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly failures: AuthFailureLimiter,
    private readonly limits: RateLimits,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    precheck(this.failures, request);
    const token = bearerToken(request);
    if (!token) return refuse(this.failures, request, 'Missing API key: send Authorization: Bearer <api key>');
    const resolved = await this.keys.resolve(token);
    if (!resolved.ok) return refuse(this.failures, request, REFUSED[resolved.reason]);
    request.caller = resolved.caller;

    const cost = this.reflector.get<RateLimitCost | undefined>(RATE_LIMIT_COST, context.getHandler());
    const verdict = await this.limits.consume(resolved.caller, cost ? cost(request.body) : 1);
    if (verdict) {
      void reply.headers(verdict.headers);
      if (!verdict.allowed) throw tooManyRequests(verdict.message ?? 'Rate limit reached');
    }
    return true;
  }
}
