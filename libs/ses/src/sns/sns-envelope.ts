import { SnsVerificationError } from './sns-verification.error';

export const SnsMessageType = {
  Notification: 'Notification',
  SubscriptionConfirmation: 'SubscriptionConfirmation',
  UnsubscribeConfirmation: 'UnsubscribeConfirmation',
} as const;
export type SnsMessageType = (typeof SnsMessageType)[keyof typeof SnsMessageType];

interface SnsEnvelopeBase {
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1' | '2';
  Signature: string;
  SigningCertURL: string;
}

export interface SnsNotification extends SnsEnvelopeBase {
  Type: typeof SnsMessageType.Notification;
  Subject?: string;
  UnsubscribeURL?: string;
}

export interface SnsSubscriptionMessage extends SnsEnvelopeBase {
  Type: typeof SnsMessageType.SubscriptionConfirmation | typeof SnsMessageType.UnsubscribeConfirmation;
  Token: string;
  SubscribeURL: string;
}

/** The JSON body SNS POSTs to an HTTP/S subscriber (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html). */
export type SnsEnvelope = SnsNotification | SnsSubscriptionMessage;

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.length === 0) throw new SnsVerificationError(`${key} is missing`);
  return value;
}

/**
 * Reads an SNS envelope from a parsed body (or its raw text). Hand-written instead of a class-validator DTO:
 * SNS adds fields over time (MessageAttributes, …) that a whitelisting pipe would refuse, and this runs on
 * every notification. Anything malformed is an SnsVerificationError: nothing unverifiable goes further.
 */
export function parseSnsEnvelope(input: unknown): SnsEnvelope {
  let body = input;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      body = JSON.parse(body.toString());
    } catch {
      throw new SnsVerificationError('body is not JSON');
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SnsVerificationError('body is not an SNS message');
  const b = body as Record<string, unknown>;
  const version = requireString(b, 'SignatureVersion');
  if (version !== '1' && version !== '2') throw new SnsVerificationError(`unsupported SignatureVersion ${version}`);
  const base: SnsEnvelopeBase = {
    MessageId: requireString(b, 'MessageId'),
    TopicArn: requireString(b, 'TopicArn'),
    Message: typeof b.Message === 'string' ? b.Message : requireString(b, 'Message'),
    Timestamp: requireString(b, 'Timestamp'),
    SignatureVersion: version,
    Signature: requireString(b, 'Signature'),
    SigningCertURL: requireString(b, 'SigningCertURL'),
  };
  const type = requireString(b, 'Type');
  switch (type) {
    case SnsMessageType.Notification: {
      const subject = b.Subject;
      if (subject !== undefined && subject !== null && typeof subject !== 'string')
        throw new SnsVerificationError('Subject is not a string');
      return {
        ...base,
        Type: type,
        ...(typeof subject === 'string' ? { Subject: subject } : {}),
        ...(typeof b.UnsubscribeURL === 'string' ? { UnsubscribeURL: b.UnsubscribeURL } : {}),
      };
    }
    case SnsMessageType.SubscriptionConfirmation:
    case SnsMessageType.UnsubscribeConfirmation:
      return { ...base, Type: type, Token: requireString(b, 'Token'), SubscribeURL: requireString(b, 'SubscribeURL') };
    default:
      throw new SnsVerificationError(`unknown message Type ${type}`);
  }
}
