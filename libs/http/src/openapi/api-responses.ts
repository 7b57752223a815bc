import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorEnvelopeDoc } from './error-envelope.doc';
import { MetaDoc } from './meta.doc';

/** The schema of `{ meta, data }` whose data is `model` (or a list of it). */
export function envelopeSchema(model: Type<unknown> | [Type<unknown>]) {
  const ref = { $ref: getSchemaPath(Array.isArray(model) ? model[0] : model) };
  return {
    type: 'object' as const,
    required: ['meta', 'data'],
    properties: {
      meta: { $ref: getSchemaPath(MetaDoc) },
      data: Array.isArray(model) ? { type: 'array' as const, items: ref } : ref,
    },
  };
}

export interface EnvelopeResponseOptions {
  /** Default 200. */
  status?: number;
  description?: string;
}

/**
 * Documents a success response as the gateway sends it: `{ meta, data }` with `data` of `model` (`[Model]` for
 * a list). Use it on every handler, with a view class whose `@ApiProperty` decorators give formats and limits.
 */
export function ApiEnvelopeResponse(
  model: Type<unknown> | [Type<unknown>],
  options: EnvelopeResponseOptions = {},
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(MetaDoc, Array.isArray(model) ? model[0] : model),
    ApiResponse({
      status: options.status ?? 200,
      description: options.description ?? 'Success',
      content: { 'application/json': { schema: envelopeSchema(model) } },
    }),
  );
}

export type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 422 | 429 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid request (VALIDATION_FAILED, INVALID_JSON): `error.details` names each field and the rule it breaks',
  401: 'Missing or unknown key (UNAUTHORIZED)',
  404: 'Not found, or not this account’s (NOT_FOUND)',
  409: 'Conflicts with the current state, or the same Idempotency-Key is still running (CONFLICT, IDEMPOTENCY_KEY_IN_PROGRESS)',
  413: 'The body is larger than the limit (PAYLOAD_TOO_LARGE)',
  422: 'Well-formed but cannot be done: the Idempotency-Key was used with another body (IDEMPOTENCY_KEY_REUSED), SES refused (SES_LIMIT_EXCEEDED)',
  429: 'Too many requests, here or at SES (SES_THROTTLED); retry after `Retry-After` seconds when given',
  503: 'Postgres or Redis is unavailable (SERVICE_UNAVAILABLE); retry later, with the same Idempotency-Key',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
};

/** Documents the errors an operation (or every operation of a controller) can answer, as the error envelope. */
export function ApiErrorResponses(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorEnvelopeDoc),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorEnvelopeDoc) } } },
        ...(status === 429 ? { headers: RETRY_AFTER } : {}),
      }),
    ),
  );
}
