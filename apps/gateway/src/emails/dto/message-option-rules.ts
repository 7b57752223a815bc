import { ENCODED_WORD, HEADER_BREAKERS, parseMailbox } from '@postline/contracts';

/**
 * The rules of the message options of `POST /emails` (fromName, cc, bcc, replyTo, headers, tags, attachments),
 * as pure functions: each returns why a value breaks a rule, or undefined. The DTO's decorators word their
 * errors with them; limits are exported for the OpenAPI document and the README.
 */

/** SES counts every recipient of a message (to, cc and bcc) against its limit of 50. */
export const MAX_RECIPIENTS = 50;
export const MAX_REPLY_TO = 10;
export const MAX_FROM_NAME_LENGTH = 256;

/** SES v2 takes at most 15 message headers; Postline adds up to 3 of its own (List-Unsubscribe, …). */
export const MAX_HEADERS = 10;
/** SES's MessageHeader limits. */
const MAX_HEADER_NAME_LENGTH = 126;
export const MAX_HEADER_VALUE_LENGTH = 870;
/** RFC 5322 field name: printable US-ASCII except the colon. */
export const HEADER_NAME_PATTERN = '^[!-9;-~]+$';
const HEADER_NAME = new RegExp(HEADER_NAME_PATTERN);
/** Printable US-ASCII and tab: what a header line can carry without encoding. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
/** Headers a message may carry besides X-*: threading and list metadata that cannot impersonate anyone. */
export const ALLOWED_HEADERS: readonly string[] = [
  'In-Reply-To',
  'References',
  'Comments',
  'Keywords',
  'List-Id',
  'Auto-Submitted',
  'Precedence',
];
const ALLOWED = new Set(ALLOWED_HEADERS.map((h) => h.toLowerCase()));
/** X-* headers Postline or SES set themselves. */
const RESERVED_PREFIXES = ['x-postline-', 'x-ses-'];

/** SES EmailTags: 50 per message, of which Postline uses two (email_id, account_id). */
export const MAX_TAGS = 48;
export const MAX_TAG_LENGTH = 256;
export const TAG_PATTERN = '^[A-Za-z0-9_-]+$';
const TAG = new RegExp(TAG_PATTERN);
const RESERVED_TAG_NAMES: readonly string[] = ['email_id', 'account_id'];

export const MAX_ATTACHMENTS = 10;
/**
 * Decoded bytes of all attachments of a message. SES allows 40 MB per message after encoding; base64 makes
 * 10 MiB about 13.4 MiB, which leaves the rest of a message room within the API's body limit (MAX_BODY_BYTES,
 * 16 MiB by default).
 */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_FILENAME_LENGTH = 255;
export const MAX_CONTENT_TYPE_LENGTH = 255;
export const CONTENT_TYPE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$';
const CONTENT_TYPE = new RegExp(CONTENT_TYPE_PATTERN);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Extensions that run code when opened: SES's unsupported attachment types, and a few more (jar, dll, sh, …). */
const REFUSED_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'ade adp app appx appxbundle asp bas bat cer chm cmd com cpl crt csh der dll exe fxp gadget hlp hta inf ins isp ' +
    'its jar js jse ksh lib lnk mad maf mag mam maq mar mas mat mau mav maw mda mdb mde mdt mdw mdz msc msh msh1 ' +
    'msh2 mshxml msh1xml msh2xml msi msix msixbundle msp mst ops pcd pif plg prf prg ps1 ps1xml ps2 ps2xml psc1 ' +
    'psc2 reg scf scr sct sh shb shs sys tmp url vb vbe vbs vps vsmacros vss vst vsw vxd ws wsc wsf wsh xnk'
  ).split(' '),
);
/** Content types of executables and scripts. */
const REFUSED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-dosexec',
  'application/x-executable',
  'application/x-elf',
  'application/x-mach-binary',
  'application/vnd.microsoft.portable-executable',
  'application/x-ms-installer',
  'application/x-msi',
  'application/x-ms-shortcut',
  'application/java-archive',
  'application/x-java-archive',
  'application/javascript',
  'application/x-javascript',
  'text/javascript',
  'application/ecmascript',
  'text/ecmascript',
  'application/x-sh',
  'application/x-csh',
  'text/x-shellscript',
  'application/x-bat',
  'application/x-msdos-batch',
  'application/hta',
  'text/vbscript',
  'application/x-vbscript',
  'application/x-powershell',
]);

/** The reason `value` cannot be an extra recipient's address, or undefined. */
function mailboxError(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  const parsed = parseMailbox(value);
  return 'error' in parsed ? parsed.error : undefined;
}

/** The lower-cased bare address of a valid mailbox string. */
function addressKey(value: string): string {
  const parsed = parseMailbox(value);
  return ('error' in parsed ? value : parsed.address).toLowerCase();
}

/** Why a list of addresses is refused (`field[i] …`), or undefined. */
export function addressListError(field: string, value: unknown, max: number): string | undefined {
  if (!Array.isArray(value)) return `${field} must be an array of addresses`;
  if (value.length > max) return `${field} must contain at most ${max} addresses`;
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const error = mailboxError(value[i]);
    if (error) return `${field}[${i}] ${error}`;
    const key = addressKey(value[i] as string);
    if (seen.has(key)) return `${field}[${i}] repeats an address of ${field}`;
    seen.add(key);
  }
  return undefined;
}

/**
 * Why to, cc and bcc together are refused: more than MAX_RECIPIENTS addresses, or one address twice (each
 * recipient gets one copy and one line of events).
 */
export function recipientsError(to: unknown, cc: unknown, bcc: unknown): string | undefined {
  const lists: [string, unknown[]][] = [
    ['cc', Array.isArray(cc) ? cc : []],
    ['bcc', Array.isArray(bcc) ? bcc : []],
  ];
  const total = 1 + lists[0][1].length + lists[1][1].length;
  if (total > MAX_RECIPIENTS) return `to, cc and bcc together must name at most ${MAX_RECIPIENTS} recipients`;
  const seen = new Set<string>(typeof to === 'string' ? [addressKey(to)] : []);
  for (const [field, list] of lists) {
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] !== 'string') continue;
      const key = addressKey(list[i] as string);
      if (seen.has(key)) return `${field}[${i}] is already a recipient (to, cc and bcc must not repeat an address)`;
      seen.add(key);
    }
  }
  return undefined;
}

export function displayNameError(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length > MAX_FROM_NAME_LENGTH) return `must be at most ${MAX_FROM_NAME_LENGTH} characters`;
  if (HEADER_BREAKERS.test(value)) return 'must not contain CR, LF or NUL characters';
  if (ENCODED_WORD.test(value)) return 'must not contain RFC 2047 encoded-word syntax (=? followed by ?=)';
  return undefined;
}

/** Why one custom header is refused, or undefined. */
export function headerError(name: string, value: unknown): string | undefined {
  if (name.length === 0 || name.length > MAX_HEADER_NAME_LENGTH)
    return `header names must be 1 to ${MAX_HEADER_NAME_LENGTH} characters`;
  if (!HEADER_NAME.test(name))
    return `"${name}" is not a header name (RFC 5322: printable US-ASCII, no space or colon)`;
  const lower = name.toLowerCase();
  if (RESERVED_PREFIXES.some((p) => lower.startsWith(p))) return `"${name}" is reserved for Postline and SES`;
  if (!lower.startsWith('x-') && !ALLOWED.has(lower)) {
    return `"${name}" cannot be set: only X-* headers and ${ALLOWED_HEADERS.join(', ')} are allowed (From, To, Subject, Message-ID, List-Unsubscribe and the rest are set by Postline)`;
  }
  if (typeof value !== 'string') return `"${name}" must have a string value`;
  if (value.length === 0 || value.length > MAX_HEADER_VALUE_LENGTH)
    return `"${name}" must have a value of 1 to ${MAX_HEADER_VALUE_LENGTH} characters`;
  if (HEADER_BREAKERS.test(value)) return `"${name}" must not contain CR, LF or NUL characters`;
  if (!HEADER_VALUE.test(value)) return `"${name}" must be printable US-ASCII (no non-ASCII characters)`;
  return undefined;
}

/** Why a `headers` object is refused (`headers: …`), or undefined. */
export function headersError(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'headers must be an object of header names and values';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) return `headers must contain at most ${MAX_HEADERS} headers`;
  const seen = new Set<string>();
  for (const [name, v] of entries) {
    const error = headerError(name, v);
    if (error) return `headers: ${error}`;
    if (seen.has(name.toLowerCase())) return `headers: "${name}" is given twice`;
    seen.add(name.toLowerCase());
  }
  return undefined;
}

/** Why a tag name or value is refused (SES EmailTags rules), or undefined. */
export function tagPartError(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0 || value.length > MAX_TAG_LENGTH) return `must be 1 to ${MAX_TAG_LENGTH} characters`;
  if (!TAG.test(value)) return 'must contain only ASCII letters, digits, _ and - (SES EmailTags)';
  return undefined;
}

/** Why the tag list as a whole is refused (each tag is checked on its own), or undefined. */
export function tagListError(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'tags must be an array of { name, value }';
  if (value.length > MAX_TAGS) return `tags must contain at most ${MAX_TAGS} tags`;
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const name = (value[i] as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') continue;
    if (RESERVED_TAG_NAMES.includes(name)) return `tags[${i}].name "${name}" is reserved for Postline`;
    if (seen.has(name)) return `tags[${i}].name "${name}" is given twice`;
    seen.add(name);
  }
  return undefined;
}

/** The file extension as a mail client sees it: trailing dots and spaces dropped, lower case. */
export function extensionOf(filename: string): string {
  const trimmed = filename.replace(/[.\s]+$/, '');
  const dot = trimmed.lastIndexOf('.');
  return dot < 0 ? '' : trimmed.slice(dot + 1).toLowerCase();
}

export function filenameError(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0 || value.length > MAX_FILENAME_LENGTH) return `must be 1 to ${MAX_FILENAME_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'must not contain CR, LF or other control characters';
  if (/[/\\]/.test(value) || value === '.' || value === '..') return 'must be a file name, not a path';
  if (ENCODED_WORD.test(value)) return 'must not contain RFC 2047 encoded-word syntax (=? followed by ?=)';
  const extension = extensionOf(value);
  if (REFUSED_EXTENSIONS.has(extension)) return `must not be an executable or script (.${extension})`;
  return undefined;
}

export function contentTypeError(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length > MAX_CONTENT_TYPE_LENGTH || !CONTENT_TYPE.test(value))
    return 'must be a MIME type such as application/pdf (type/subtype, no parameters)';
  if (REFUSED_CONTENT_TYPES.has(value.toLowerCase())) return `must not be an executable or script (${value})`;
  return undefined;
}

/** Bytes that base64 text decodes to, without decoding it. */
export function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

export function contentError(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a base64 string';
  if (value.length === 0) return 'must not be empty';
  if (!BASE64.test(value)) return 'must be base64 (RFC 4648, with padding, no line breaks)';
  if (decodedLength(value) > MAX_ATTACHMENT_BYTES) return `must decode to at most ${MAX_ATTACHMENT_BYTES} bytes`;
  // Windows (MZ) and ELF executables, whatever name and type they were given.
  const head = Buffer.from(value.slice(0, 8), 'base64');
  if ((head[0] === 0x4d && head[1] === 0x5a) || head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])))
    return 'must not be an executable program';
  return undefined;
}

/** Why the attachment list as a whole is refused (each one is checked on its own), or undefined. */
export function attachmentListError(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'attachments must be an array';
  if (value.length > MAX_ATTACHMENTS) return `attachments must contain at most ${MAX_ATTACHMENTS} files`;
  let total = 0;
  for (const a of value) {
    const content = (a as { content?: unknown } | null)?.content;
    if (typeof content === 'string') total += decodedLength(content);
  }
  if (total > MAX_ATTACHMENT_BYTES)
    return `attachments must decode to at most ${MAX_ATTACHMENT_BYTES} bytes together (SES allows 40 MB per message after encoding)`;
  return undefined;
}
