import { type SnsEnvelope, SnsMessageType } from './sns-envelope';

/**
 * The exact bytes SNS signs: `name\nvalue\n` for each signed key present, in this order
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html). Message is the decoded string.
 */
export function stringToSign(message: SnsEnvelope): string {
  const pairs: [string, string | undefined][] =
    message.Type === SnsMessageType.Notification
      ? [
          ['Message', message.Message],
          ['MessageId', message.MessageId],
          ['Subject', message.Subject],
          ['Timestamp', message.Timestamp],
          ['TopicArn', message.TopicArn],
          ['Type', message.Type],
        ]
      : [
          ['Message', message.Message],
          ['MessageId', message.MessageId],
          ['SubscribeURL', message.SubscribeURL],
          ['Timestamp', message.Timestamp],
          ['Token', message.Token],
          ['TopicArn', message.TopicArn],
          ['Type', message.Type],
        ];
  return pairs
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([name, value]) => `${name}\n${value}\n`)
    .join('');
}

/** RSA PKCS#1 v1.5 over SHA1 for SignatureVersion 1, SHA256 for 2. */
export function signatureAlgorithm(version: '1' | '2'): 'RSA-SHA1' | 'RSA-SHA256' {
  return version === '1' ? 'RSA-SHA1' : 'RSA-SHA256';
}
