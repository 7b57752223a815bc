import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiError, ErrorCode } from '@postline/http';
import type { FastifyRequest } from 'fastify';
import type { Env } from '../env';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer <ADMIN_API_KEY>` for the operators' endpoints; refuses everyone when no key is set. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: ConfigService<Env, true>) {
    const key = config.get('ADMIN_API_KEY', { infer: true });
    this.expected = key ? digest(key) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    // Digests compared in constant time, so response times do not reveal the key byte by byte.
    if (!this.expected || !token || !timingSafeEqual(digest(token), this.expected)) {
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.Unauthorized,
        'Admin endpoints need Authorization: Bearer <ADMIN_API_KEY>',
      );
    }
    return true;
  }
}
