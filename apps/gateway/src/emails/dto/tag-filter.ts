import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, registerDecorator } from 'class-validator';

/** `GET /emails?tag=name:value`, parsed. */
export interface TagFilter {
  name: string;
  value: string;
}

export const TAG_FILTER_PATTERN = '^[A-Za-z0-9_-]{1,256}:[A-Za-z0-9_-]{1,256}$';
const TAG_FILTER = new RegExp(TAG_FILTER_PATTERN);

/** A well-formed `name:value` becomes a TagFilter; anything else is left for IsTagFilter to refuse. */
export function toTagFilter({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string' || !TAG_FILTER.test(value)) return value;
  const colon = value.indexOf(':');
  return { name: value.slice(0, colon), value: value.slice(colon + 1) } satisfies TagFilter;
}

export function IsTagFilter(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTagFilter',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null && 'name' in value,
        defaultMessage: () =>
          'tag must be name:value, each part 1 to 256 ASCII letters, digits, _ or - (SES tag rules)',
      },
    });
}

/**
 * An optional `tag=name:value` query parameter (GET /emails, the reports): documented, parsed to a TagFilter and
 * refused with the SES tag rules when malformed. `description` says what the filter keeps.
 */
export function TagFilterParam(description: string, example: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      maxLength: 513,
      example,
      description: `${description} (SES tag rules on both parts: ${TAG_FILTER_PATTERN}).`,
    }),
    IsOptional(),
    Transform(toTagFilter),
    IsTagFilter(),
  );
}
