/** A message as `aws-ses-v2-local` keeps it (`GET /store`). */
export interface LocalSesMessage {
  messageId: string;
  from: string;
  destination: { to?: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  headers?: { name: string; value: string }[];
  /** Epoch seconds. */
  at: number;
}

/** The header the sender adds in local mode, standing in for the `email_id` EmailTag the emulator drops. */
export const EMAIL_ID_HEADER = 'x-postline-email-id';

export function headerOf(message: LocalSesMessage, name: string): string | undefined {
  return message.headers?.find((h) => h.name.toLowerCase() === name)?.value;
}

export function recipientsOf(message: LocalSesMessage): string[] {
  return [...(message.destination.to ?? []), ...(message.destination.cc ?? []), ...(message.destination.bcc ?? [])];
}

/** Reads the emulator's store: every message accepted at or after `since` (epoch seconds). */
export async function fetchStoredMessages(
  endpoint: string,
  since: number,
  timeoutMs = 5000,
): Promise<LocalSesMessage[]> {
  const url = new URL('/store', endpoint);
  url.searchParams.set('since', String(since));
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${url.pathname} answered ${response.status}`);
  const body = (await response.json()) as { emails?: LocalSesMessage[] };
  return body.emails ?? [];
}
