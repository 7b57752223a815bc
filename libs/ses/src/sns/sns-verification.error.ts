/** A message that must not be trusted (bad signature, foreign certificate host, unknown topic, too old, malformed). */
export class SnsVerificationError extends Error {
  override readonly name = 'SnsVerificationError';
}

/** The signing certificate could not be downloaded (timeout, network): the message may be fine, try later. */
export class SnsCertificateUnavailableError extends Error {
  override readonly name = 'SnsCertificateUnavailableError';
}
