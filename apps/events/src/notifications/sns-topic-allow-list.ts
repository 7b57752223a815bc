/** One SNS topic ARN: arn:<partition>:sns:<region>:<12-digit account>:<name>. */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** The ARNs of a comma-separated `SNS_TOPIC_ARNS` value (blanks between commas ignored). */
export function topicArnsOf(value: string): string[] {
  return value
    .split(',')
    .map((arn) => arn.trim())
    .filter(Boolean);
}

/** Whether `value` is a list of well-formed topic ARNs (an empty list is well-formed). */
export function isTopicArnList(value: string): boolean {
  return topicArnsOf(value).every((arn) => TOPIC_ARN.test(arn));
}

/**
 * With AWS's own signing certificates, any AWS account can sign a notification that verifies, so the topics
 * must be listed; only a local run (SES emulator, and a local signing certificate that no AWS account holds)
 * may leave the list empty.
 */
export function isLocalSes(env: { SES_ENDPOINT?: string; SNS_CERT_FILE?: string }): boolean {
  return Boolean(env.SES_ENDPOINT?.trim() && env.SNS_CERT_FILE?.trim());
}

/** The SNS topics (SNS_TOPIC_ARNS) whose notifications are accepted and whose subscriptions are confirmed. */
export class SnsTopicAllowList {
  readonly arns: readonly string[];
  private readonly listed: ReadonlySet<string>;

  constructor(value: string) {
    this.arns = topicArnsOf(value);
    this.listed = new Set(this.arns);
  }

  /** Listed by name: an empty list (local SES only) lists nothing, so no subscription is ever confirmed. */
  has(topicArn: string): boolean {
    return this.listed.has(topicArn);
  }
}
