import { timingSafeEqual, createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiError, ErrorCode } from '@postline/http';
import type { FastifyRequest } from 'fastify';
import type { Env } from '../env';
import { bearerToken } from './api-key.guard';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <ADMIN_API_KEY>`: the support team's endpoints. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: ConfigService<Env, true>) {
    this.expected = digest(config.get('ADMIN_API_KEY', { infer: true }));
  }

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(context.switchToHttp().getRequest<FastifyRequest>());
    // Compare digests in constant time so the key cannot be guessed byte by byte from response times.
    if (!token || !timingSafeEqual(digest(token), this.expected)) {
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.Unauthorized,
        'Admin endpoints need Authorization: Bearer <ADMIN_API_KEY>',
      );
    }
    return true;
  }
}
