import { type ArgumentMetadata, type Type, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiError, ErrorCode } from './api-error';
import type { ErrorDetail } from './envelope';

/** Flattens class-validator errors into `{ field: "messages[2].to", message }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) details.push({ field, message });
    if (error.children?.length) details.push(...flattenValidationErrors(error.children, field));
  }
  return details;
}

/**
 * A hand-written check of a hot DTO, kept as a static of the DTO class under `FAST_CHECK`. Given a JSON
 * object it returns the instance class-transformer and class-validator would return when the object
 * certainly passes them, and `undefined` otherwise: class-validator then decides and words the errors, so a
 * fast check can make validation cheaper but never changes an answer or a message.
 */
export type FastCheck<T> = (plain: Readonly<Record<string, unknown>>) => T | undefined;

export const FAST_CHECK = Symbol('postline:fast-check');

/** The fast check of a DTO class, if it has one. */
export function fastCheckOf<T>(metatype: unknown): FastCheck<T> | undefined {
  return typeof metatype === 'function' ? (metatype as { [FAST_CHECK]?: FastCheck<T> })[FAST_CHECK] : undefined;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ValidationPipe that lets a DTO's fast check accept a body before class-transformer and class-validator. */
class FastCheckValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const check = metadata.type === 'custom' ? undefined : fastCheckOf(metadata.metatype);
    const dto = check && isJsonObject(value) ? check(value) : undefined;
    return dto ?? super.transform(value, metadata);
  }
}

/** The app-wide pipe: unknown fields are refused, every failure names its field and rule. */
export function createValidationPipe(): ValidationPipe {
  return new FastCheckValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // One message per field: the first rule it breaks.
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ApiError.validation(flattenValidationErrors(errors)),
  });
}

let itemPipe: ValidationPipe | undefined;

/**
 * Validates one item of a body whose items a handler checks on its own (`POST /emails/batch`) with the app-wide
 * pipe, so that an item gets the answer it would get as a body of its own, its fields under `field`.
 */
export async function validateItem<T extends object>(
  metatype: Type<T>,
  value: unknown,
  field: string,
): Promise<{ dto: T } | { details: ErrorDetail[] }> {
  itemPipe ??= createValidationPipe();
  try {
    return { dto: (await itemPipe.transform(value, { type: 'body', metatype })) as T };
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== ErrorCode.ValidationFailed) throw error;
    return {
      details: (error.details ?? []).map((d) => ({
        ...d,
        field: !d.field ? field : d.field.startsWith('[') ? `${field}${d.field}` : `${field}.${d.field}`,
      })),
    };
  }
}
