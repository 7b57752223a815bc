import { ENCODED_WORD, HEADER_BREAKERS, parseMailbox } from '@postline/contracts';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** An RFC 5321 address (see `parseMailbox`); the message names the rule that failed. */
export function IsMailbox(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMailbox',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !('error' in parseMailbox(value)),
        defaultMessage: (args: ValidationArguments) => {
          if (typeof args.value !== 'string') return `${args.property} must be a string`;
          const parsed = parseMailbox(args.value);
          return `${args.property} ${'error' in parsed ? parsed.error : 'is invalid'}`;
        },
      },
    });
}

/** Refuses CR, LF and NUL: the value ends up in a mail header. */
export function NoHeaderBreakers(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'noHeaderBreakers',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !HEADER_BREAKERS.test(value),
        defaultMessage: (args: ValidationArguments) => `${args.property} must not contain CR, LF or NUL characters`,
      },
    });
}

/** Refuses RFC 2047 encoded words: a mail client would decode them and show other text than was sent. */
export function NoEncodedWords(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'noEncodedWords',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !ENCODED_WORD.test(value),
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must not contain RFC 2047 encoded-word syntax (=? followed by ?=)`,
      },
    });
}

/** `callbacks` may be an array of URLs or one string of URLs separated by commas. */
export function toUrlList({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
}
