import type { Attachment, MessageHeader, MessageTag } from '@aws-sdk/client-sesv2';
import type { NewEmailOptions } from '@postline/email-ledger';
import { formatMailbox } from './mailbox';

/**
 * The message options of an email (README "Message options"), as the sender reads them: what was stored at
 * acceptance, with the attachments' content instead of their count.
 */
export interface OutgoingOptions extends Pick<
  NewEmailOptions,
  'fromName' | 'cc' | 'bcc' | 'replyTo' | 'headers' | 'tags' | 'tracking'
> {
  attachments: OutgoingAttachment[];
}

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** `From:` with the sender's display name, encoded like the recipient's alias. */
export function fromAddress(from: string, options: OutgoingOptions | undefined): string {
  return formatMailbox(from, options?.fromName);
}

export function customHeaders(options: OutgoingOptions | undefined): MessageHeader[] {
  return Object.entries(options?.headers ?? {}).map(([Name, Value]) => ({ Name, Value }));
}

export function customTags(options: OutgoingOptions | undefined): MessageTag[] {
  return (options?.tags ?? []).map((t) => ({ Name: t.name, Value: t.value }));
}

/** SES's attachment support (SendEmail Simple content): the SDK base64-encodes the bytes. */
export function sesAttachments(options: OutgoingOptions | undefined): Attachment[] | undefined {
  if (!options?.attachments.length) return undefined;
  return options.attachments.map((a) => ({
    FileName: a.filename,
    ContentType: a.contentType,
    ContentDisposition: 'ATTACHMENT',
    ContentTransferEncoding: 'BASE64',
    RawContent: a.content,
  }));
}

/**
 * Click tracking off: SES leaves a link alone when it carries the `ses:no-track` attribute (SES developer
 * guide, "Configuring click tracking"). Added to every anchor start tag that has none.
 */
export function withoutClickTracking(html: string): string {
  return html.replace(/<a(?=[\s>])((?:"[^"]*"|'[^']*'|[^'">])*)>/gi, (tag: string, attributes: string) =>
    /\sses:no-track(?=[\s=>]|$)/i.test(attributes) ? tag : `<a ses:no-track${attributes}>`,
  );
}

/** Whether this message tracks clicks / opens: on unless the email turned it off. */
export function tracks(options: OutgoingOptions | undefined, what: 'opens' | 'clicks'): boolean {
  return options?.tracking?.[what] !== false;
}
