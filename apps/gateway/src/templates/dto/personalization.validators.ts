import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** The serialized size limit of one message's variables (a batch of 1,000 stays within the 16 MB body limit). */
const MAX_VARIABLES_BYTES = 16 * 1024;

/** The rule of `variables`: a JSON object of at most MAX_VARIABLES_BYTES; undefined when it holds. */
export function variablesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object';
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_VARIABLES_BYTES) {
    return `must be at most ${MAX_VARIABLES_BYTES} bytes as JSON`;
  }
  return undefined;
}

/** `variables`: an object of placeholder values, size-limited. */
export function IsVariables(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isVariables',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => variablesProblem(value) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} ${variablesProblem(args.value) ?? 'is invalid'}`,
      },
    });
}

/** The OpenAPI schema of `variables`. */
export const VARIABLES_SCHEMA = {
  type: 'object' as const,
  additionalProperties: true,
  example: { firstName: 'Zoë', order: { id: 'A-1001', total: '49.90 €' } },
  description: `Values of the placeholders (\`{{firstName}}\`, \`{{order.id}}\`); at most ${MAX_VARIABLES_BYTES} bytes as JSON.`,
};

/**
 * A field an email with a template must not carry (the template has its own), and may leave out otherwise
 * only when the template replaces it: used with `ValidateIf(withoutTemplateOrGiven)`.
 */
export function NotWithTemplate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notWithTemplate',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          value === undefined || !hasTemplate(args.object as Record<string, unknown>),
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must not be given with templateId (the template has its own)`,
      },
    });
}

/** `templateVersion` names a version of `templateId`: it needs one. */
export function RequiresTemplate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'requiresTemplate',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => hasTemplate(args.object as Record<string, unknown>),
        defaultMessage: (args: ValidationArguments) => `${args.property} requires templateId`,
      },
    });
}

export function hasTemplate(message: Readonly<Record<string, unknown>>): boolean {
  return message.templateId !== undefined && message.templateId !== null;
}

/** For `ValidateIf`: a content field is validated (so required) unless a template replaces it and it is absent. */
export function unlessTemplated(field: string): (message: object) => boolean {
  return (message) =>
    !hasTemplate(message as Record<string, unknown>) || (message as Record<string, unknown>)[field] !== undefined;
}
