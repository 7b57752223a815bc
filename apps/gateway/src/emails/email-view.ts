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
    ...toMessageOptionsView(email),
  };
}
