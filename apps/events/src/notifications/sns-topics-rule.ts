import { type ValidationArguments, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { isLocalSes, isTopicArnList, topicArnsOf } from './sns-topic-allow-list';

const malformed = (value: unknown) => typeof value !== 'string' || !isTopicArnList(value);

/** SNS_TOPIC_ARNS: well-formed ARNs, and at least one wherever SES is real. */
@ValidatorConstraint({ name: 'snsTopics' })
export class SnsTopicsRule implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    if (malformed(value)) return false;
    return topicArnsOf(value as string).length > 0 || isLocalSes(args.object as Record<string, string | undefined>);
  }

  defaultMessage(args: ValidationArguments): string {
    if (malformed(args.value))
      return 'must be SNS topic ARNs (arn:aws:sns:<region>:<account id>:<topic>) separated by commas';
    return (
      'must list the SNS topic(s) of the SES event destination: with AWS signing certificates any AWS account ' +
      'can sign a notification (it may be empty only with local SES: SES_ENDPOINT and SNS_CERT_FILE both set)'
    );
  }
}
