import { SnsVerificationError } from './sns-verification.error';

// sns.<region>.amazonaws.com, and the China partition's sns.<region>.amazonaws.com.cn.
const SNS_HOST = /^sns\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/;

/** The region of a topic ARN: arn:<partition>:sns:<region>:<account>:<name>. */
export function topicRegion(topicArn: string): string | undefined {
  const parts = topicArn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[2] === 'sns' ? parts[3] : undefined;
}

/**
 * Checks that a URL SNS gave us (SigningCertURL, SubscribeURL) points at SNS itself over HTTPS, in the topic's
 * region; anything else could make us trust a forged certificate or call an attacker's server.
 */
export function assertSnsUrl(raw: string, topicArn: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SnsVerificationError(`${what} is not a URL`);
  }
  const host = SNS_HOST.exec(url.hostname);
  if (url.protocol !== 'https:' || !host || url.port !== '' || url.username !== '' || url.password !== '') {
    throw new SnsVerificationError(`${what} is not on an SNS host: ${url.host}`);
  }
  const region = topicRegion(topicArn);
  if (!region || host[1] !== region)
    throw new SnsVerificationError(`${what} is not in the topic's region (${region ?? 'unknown'})`);
  return url;
}

export function assertSigningCertUrl(raw: string, topicArn: string): URL {
  const url = assertSnsUrl(raw, topicArn, 'SigningCertURL');
  if (!url.pathname.endsWith('.pem') || url.search !== '')
    throw new SnsVerificationError('SigningCertURL is not a .pem file');
  return url;
}
