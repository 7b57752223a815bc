import { parseMailbox } from '@postline/contracts';
import type { NewEmailOptions } from '@postline/email-ledger';
import type { MessageOptionsDto } from './dto/message-options.dto';
import type { AttachmentView } from './message-options-view';

/** An attachment as stored (EmailAttachment), decoded. */
export interface NewAttachment {
  emailId: string;
  position: number;
  filename: string;
  contentType: string;
  content: Buffer;
}

/** The stored address of a validated mailbox: domain lower-cased and in Punycode, like `to`. */
function address(raw: string): string {
  const parsed = parseMailbox(raw);
  return 'error' in parsed ? raw : parsed.address;
}

/** The stored form of a message's options, or undefined when it has none (the row keeps its defaults). */
export function messageOptionsOf(dto: MessageOptionsDto): NewEmailOptions | undefined {
  const { fromName, cc, bcc, replyTo, headers, tags, tracking, attachments } = dto;
  if (
    fromName === undefined &&
    cc === undefined &&
    bcc === undefined &&
    replyTo === undefined &&
    headers === undefined &&
    tags === undefined &&
    tracking === undefined &&
    attachments === undefined
  ) {
    return undefined;
  }
  const trackingChoice =
    tracking && (tracking.opens !== undefined || tracking.clicks !== undefined)
      ? {
          ...(tracking.opens !== undefined ? { opens: tracking.opens } : {}),
          ...(tracking.clicks !== undefined ? { clicks: tracking.clicks } : {}),
        }
      : null;
  return {
    fromName: fromName ?? null,
    cc: (cc ?? []).map(address),
    bcc: (bcc ?? []).map(address),
    replyTo: (replyTo ?? []).map(address),
    headers: headers && Object.keys(headers).length > 0 ? { ...headers } : null,
    tags: tags && tags.length > 0 ? tags.map((t) => ({ name: t.name, value: t.value })) : null,
    tracking: trackingChoice,
    droppedRecipients: null,
    attachmentCount: attachments?.length ?? 0,
  };
}

/** The message's attachments, decoded, for the email `emailId`. */
export function attachmentsOf(dto: MessageOptionsDto, emailId: string): NewAttachment[] {
  return (dto.attachments ?? []).map((a, position) => ({
    emailId,
    position,
    filename: a.filename,
    contentType: a.contentType.toLowerCase(),
    content: Buffer.from(a.content, 'base64'),
  }));
}

export function attachmentViews(attachments: readonly NewAttachment[]): AttachmentView[] {
  return attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.content.length }));
}
