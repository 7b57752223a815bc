import { type KeyLike, sign } from 'node:crypto';
import type { SnsEnvelope } from './sns-envelope';
import { signatureAlgorithm, stringToSign } from './string-to-sign';

/** An SNS envelope before signing: every field but Signature. */
export type UnsignedSnsEnvelope = SnsEnvelope extends infer E
  ? E extends SnsEnvelope
    ? Omit<E, 'Signature'>
    : never
  : never;

/**
 * Signs an envelope the way SNS does. Only for messages produced locally (tests, the benchmark and the local
 * SES events tool), with a key whose certificate the events service is told to trust through SNS_CERT_FILE.
 */
export function signSnsEnvelope(envelope: UnsignedSnsEnvelope, privateKey: KeyLike): SnsEnvelope {
  const unsigned = { ...envelope, Signature: '' } as SnsEnvelope;
  const signature = sign(
    signatureAlgorithm(envelope.SignatureVersion),
    Buffer.from(stringToSign(unsigned), 'utf8'),
    privateKey,
  );
  return { ...unsigned, Signature: signature.toString('base64') };
}
