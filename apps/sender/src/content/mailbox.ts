import { HEADER_BREAKERS } from '@postline/contracts';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// 45 bytes encode to 60 base64 characters: with "=?UTF-8?B?" and "?=" a word stays within RFC 2047's 75.
const WORD_BYTES = 45;

/** Replaces what must never reach a header line (CR, LF, NUL) with spaces. */
export function headerSafe(text: string): string {
  return text.split(HEADER_BREAKERS).join(' ');
}

/** RFC 2047 encoded words (UTF-8, base64), split on character boundaries. */
export function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}

/**
 * `"Display Name" <address>`: an ASCII name as a quoted string, any other as encoded words (RFC 2047), as
 * SES requires for non-ASCII display names. No name gives the bare address.
 */
export function formatMailbox(address: string, displayName?: string | null): string {
  const name = headerSafe(displayName ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!name) return address;
  if (PRINTABLE_ASCII.test(name)) return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
  return `${encodeWords(name)} <${address}>`;
}
