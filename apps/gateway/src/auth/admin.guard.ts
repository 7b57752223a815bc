import { timingSafeEqual, createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import type { Env } from '../env';
import { AuthFailureLimiter } from '../rate-limits/auth-failure-limiter.service';
import { bearerToken, precheck, refuse } from './api-key.guard';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <ADMIN_API_KEY>`: the support team's endpoints. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    config: ConfigService<Env, true>,
    private readonly failures: AuthFailureLimiter,
  ) {
    this.expected = digest(config.get('ADMIN_API_KEY', { infer: true }));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    precheck(this.failures, request);
    const token = bearerToken(request);
    // Compare digests in constant time so the key cannot be guessed byte by byte from response times.
    if (!token || !timingSafeEqual(digest(token), this.expected)) {
      return refuse(this.failures, request, 'Admin endpoints need Authorization: Bearer <ADMIN_API_KEY>');
    }
    return true;
  }
}
