import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { components } from './generated/schema';

/** What Postline POSTs to a callback URL. */
export type WebhookEvent = components['schemas']['WebhookEnvelopeDoc'];

export { WebhookVerificationError };

/**
 * Verifies a callback as Standard Webhooks define it (`webhook-id`, `webhook-timestamp`, `webhook-signature`,
 * with a 5-minute tolerance) and returns its event. Pass the current secret (`whsec_…`, GET
 * /account/webhook-secret) and, during a rotation, the previous one: either may have signed. Throws
 * WebhookVerificationError when no secret matches. `body` is the raw request body, as received.
 */
export function verifyWebhook(
  secrets: string | string[],
  body: string | Buffer,
  headers: Record<string, string | string[] | undefined>,
): WebhookEvent {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const payload = typeof body === 'string' ? body : body.toString('utf8');
  let failure: unknown;
  for (const secret of [secrets].flat()) {
    try {
      return new Webhook(secret).verify(payload, flat) as WebhookEvent;
    } catch (error) {
      failure = error;
    }
  }
  throw failure ?? new WebhookVerificationError('No secret given');
}
