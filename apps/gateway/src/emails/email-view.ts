import type { EmailStatus } from '@postline/contracts';
import { type MessageOptionsSource, type MessageOptionsView, toMessageOptionsView } from './message-options-view';

/** An email as the API returns it (DESIGN §3). */
export interface EmailView extends MessageOptionsView {
  id: string;
  to: string;
  from: string;
  userName: string;
  operator: string;
  text: string;
  status: EmailStatus;
  statusReason?: string;
  subject: string;
  externalId: string | null;
  clientId: string | null;
  callbacks: string[];
  alias: string | null;
  createdAt: string;
  /** When a scheduled email is (or was) due. */
  sendAt?: string;
  /** The template and version the email is rendered with, when it uses one. */
  templateId?: string;
  templateVersion?: number;
  html?: string;
  warnings?: string[];
}

export interface EmailSource extends MessageOptionsSource {
  id: string;
  to: string;
  from: string;
  text: string;
  status: EmailStatus;
  statusReason: string | null;
  subject: string;
  externalId: string | null;
  clientId: string | null;
  callbacks: string[];
  alias: string | null;
  createdAt: Date;
  sendAt?: Date | null;
  templateId?: string | null;
  templateVersion?: number | null;
  html?: string | null;
}

export function toEmailView(email: EmailSource, userName: string, operator: string): EmailView {
  return {
    id: email.id,
    to: email.to,
    from: email.from,
    userName,
    operator,
    text: email.text,
    status: email.status,
    ...(email.statusReason ? { statusReason: email.statusReason } : {}),
    subject: email.subject,
    externalId: email.externalId,
    clientId: email.clientId,
    callbacks: email.callbacks,
    alias: email.alias,
    createdAt: email.createdAt.toISOString(),
    ...(email.sendAt ? { sendAt: email.sendAt.toISOString() } : {}),
    ...(email.templateId ? { templateId: email.templateId, templateVersion: email.templateVersion ?? undefined } : {}),
    ...(email.html ? { html: email.html } : {}),
    ...toMessageOptionsView(email),
  };
}
