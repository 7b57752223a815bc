import { createHash, randomBytes } from 'node:crypto';

const PREFIX_LENGTH = 12;

/** A new key `pl_live_<32 random bytes>`; only its hash and first characters are stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `pl_live_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, PREFIX_LENGTH), hash: hashApiKey(key) };
}

/** SHA-256 suffices: keys are 256-bit random, so there is nothing for a slow hash to protect against. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
