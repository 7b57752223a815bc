import { registerDecorator } from 'class-validator';

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
