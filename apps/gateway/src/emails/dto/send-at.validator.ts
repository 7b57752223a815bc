import { isISO8601, registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** How far ahead an email may be scheduled. */
export const MAX_SCHEDULE_DAYS = 30;
/** A `sendAt` this far in the past is still accepted (clock skew between client and server): sent at once. */
export const SEND_AT_PAST_TOLERANCE_MS = 60_000;
const DAY_MS = 24 * 3_600_000;
/** RFC 3339: date, time with seconds, an explicit offset (Z or ±hh:mm). A time without an offset is ambiguous. */
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
export const SEND_AT_PATTERN = DATE_TIME_WITH_OFFSET.source;

/** Why `value` is not a usable `sendAt` at `now` (null: it is). */
export function sendAtProblem(value: unknown, now = Date.now()): string | null {
  if (typeof value !== 'string' || !DATE_TIME_WITH_OFFSET.test(value) || !isISO8601(value, { strict: true })) {
    return 'must be an ISO 8601 date-time with a time zone offset, e.g. 2026-12-24T09:00:00+01:00';
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) return 'must be an ISO 8601 date-time with a time zone offset';
  if (at < now - SEND_AT_PAST_TOLERANCE_MS) return 'must not be in the past';
  if (at > now + MAX_SCHEDULE_DAYS * DAY_MS) return `must be at most ${MAX_SCHEDULE_DAYS} days ahead`;
  return null;
}

/** A `sendAt`: see `sendAtProblem`; the message names the rule that failed. */
export function IsSendAt(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSendAt',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => sendAtProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${sendAtProblem(args.value) ?? 'is invalid'}`,
      },
    });
}
