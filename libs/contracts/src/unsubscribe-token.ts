import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an unsubscribe link proves: which email (and whose account) the recipient unsubscribes from. */
export interface UnsubscribeClaims {
  emailId: string;
  accountId: string;
}

const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 16;
const MAC_BYTES = 16;
// Domain separation: a MAC made for another purpose with the same secret never verifies here.
const CONTEXT = 'postline:unsubscribe:v1\n';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidToBytes(uuid: string): Buffer {
  if (!UUID.test(uuid)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function mac(payload: Buffer, secret: string): Buffer {
  return createHmac('sha256', secret).update(CONTEXT).update(payload).digest().subarray(0, MAC_BYTES);
}

/**
 * Signs an unsubscribe token: `<payload>.<mac>`, both base64url. The payload is a version byte and the two
 * UUIDs in binary (the link stays short); the MAC is HMAC-SHA256 truncated to 128 bits.
 */
export function signUnsubscribeToken(claims: UnsubscribeClaims, secret: string): string {
  const payload = Buffer.concat([Buffer.from([VERSION]), uuidToBytes(claims.emailId), uuidToBytes(claims.accountId)]);
  return `${payload.toString('base64url')}.${mac(payload, secret).toString('base64url')}`;
}

/** The claims of a token signed with `secret`, or null for anything forged, altered or malformed. */
export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaims | null {
  if (typeof token !== 'string' || token.length > 128) return null;
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return null;
  const payload = Buffer.from(parts[0], 'base64url');
  const given = Buffer.from(parts[1], 'base64url');
  // Re-encoding must give the same text: base64url has several spellings of the last character.
  if (payload.toString('base64url') !== parts[0] || given.toString('base64url') !== parts[1]) return null;
  if (payload.length !== PAYLOAD_BYTES || payload[0] !== VERSION || given.length !== MAC_BYTES) return null;
  if (!timingSafeEqual(given, mac(payload, secret))) return null;
  return { emailId: bytesToUuid(payload.subarray(1, 17)), accountId: bytesToUuid(payload.subarray(17, 33)) };
}

/** The gateway's unsubscribe page for a token: `<PUBLIC_BASE_URL>/unsubscribe/<token>`. */
export function unsubscribeUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/unsubscribe/${token}`;
}
