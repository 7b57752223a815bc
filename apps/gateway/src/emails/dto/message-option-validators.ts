import { registerDecorator, type ValidationArguments } from 'class-validator';

/**
 * A property checked by one of the message-option rules (message-option-rules.ts): `check` returns why the
 * value is refused. With `named`, the reason is about the property and is prefixed with its name.
 */
export function SatisfiesRule(
  name: string,
  check: (value: unknown, object: Record<string, unknown>) => string | undefined,
  named = true,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          check(value, args.object as Record<string, unknown>) === undefined,
        defaultMessage: (args: ValidationArguments) => {
          const reason = check(args.value, args.object as Record<string, unknown>) ?? 'is invalid';
          return named ? `${args.property} ${reason}` : reason;
        },
      },
    });
}
