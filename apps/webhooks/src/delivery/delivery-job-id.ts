import { urlHash } from '@postline/email-status';
import { jobIdOf } from '@postline/queue';

/**
 * The job id of a delivery's attempt number `attempt` (1-based). Attempt 1 keeps the id `queueWebhooks` gives
 * (`<eventId>_<url hash>`); later ones add the attempt number, so each retry is a new job while a re-queue of
 * the same attempt (the sweeper, a relay retry) collapses onto the job already waiting.
 */
export function deliveryJobId(eventId: string, url: string, attempt: number): string {
  const base = jobIdOf(eventId, urlHash(url));
  return attempt <= 1 ? base : jobIdOf(base, String(attempt));
}
