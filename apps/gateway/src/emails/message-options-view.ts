/** The message options of an email as the API returns them: each present only when the email has it. */
export interface MessageOptionsView {
  fromName?: string;
  cc?: string[];
  bcc?: string[];
  replyTo?: string[];
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
  tracking?: { opens?: boolean; clicks?: boolean };
  attachments?: AttachmentView[];
  droppedRecipients?: DroppedRecipient[];
}

export interface AttachmentView {
  filename: string;
  contentType: string;
  size: number;
}

/** A cc or bcc recipient left out at acceptance, and why. */
export interface DroppedRecipient {
  address: string;
  field: 'cc' | 'bcc';
  reason: string;
}

/** Message-option columns as stored (Prisma's Json columns come back as unknown JSON). */
export interface MessageOptionsSource {
  fromName?: string | null;
  cc?: string[] | null;
  bcc?: string[] | null;
  replyTo?: string[] | null;
  headers?: unknown;
  tags?: unknown;
  tracking?: unknown;
  droppedRecipients?: unknown;
}

export function toMessageOptionsView(email: MessageOptionsSource, attachments?: AttachmentView[]): MessageOptionsView {
  const view: MessageOptionsView = {};
  if (email.fromName) view.fromName = email.fromName;
  if (email.cc?.length) view.cc = email.cc;
  if (email.bcc?.length) view.bcc = email.bcc;
  if (email.replyTo?.length) view.replyTo = email.replyTo;
  if (isNonEmptyObject(email.headers)) view.headers = email.headers as Record<string, string>;
  if (Array.isArray(email.tags) && email.tags.length > 0) view.tags = email.tags as MessageOptionsView['tags'];
  if (isNonEmptyObject(email.tracking)) view.tracking = email.tracking as MessageOptionsView['tracking'];
  if (attachments?.length) view.attachments = attachments;
  if (Array.isArray(email.droppedRecipients) && email.droppedRecipients.length > 0)
    view.droppedRecipients = email.droppedRecipients as DroppedRecipient[];
  return view;
}

function isNonEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
}
