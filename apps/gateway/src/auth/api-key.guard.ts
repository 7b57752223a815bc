import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ApiError, ErrorCode } from '@postline/http';
import type { FastifyRequest } from 'fastify';
import { ApiKeyService } from './api-key.service';
import type { Caller } from './caller';

export type AuthedRequest = FastifyRequest & { caller: Caller };

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token.trim() : undefined;
}

/** `Authorization: Bearer <api key>` on every public endpoint. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeyService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(request);
    if (!token)
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.Unauthorized,
        'Missing API key: send Authorization: Bearer <api key>',
      );
    const caller = await this.keys.resolve(token);
    if (!caller) throw new ApiError(HttpStatus.UNAUTHORIZED, ErrorCode.Unauthorized, 'Invalid API key');
    request.caller = caller;
    return true;
  }
}
