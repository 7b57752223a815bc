/** What the SES mailbox simulator does with a message to an address (DESIGN §7). */
export type SimulatedOutcome = 'delivered' | 'bounce' | 'complaint' | 'suppressed';

export const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

const OUTCOMES: Record<string, SimulatedOutcome> = {
  success: 'delivered',
  // The real simulator also sends an out-of-office reply; SES reports the message delivered.
  ooto: 'delivered',
  bounce: 'bounce',
  complaint: 'complaint',
  suppressionlist: 'suppressed',
};

/** Bare address of `Name <a@b>` or `a@b`, lower-cased. */
export function bareAddress(address: string): string {
  const angle = /<([^>]+)>/.exec(address);
  return (angle ? angle[1] : address).trim().toLowerCase();
}

/**
 * The simulator's outcome for a recipient; `bounce+label@simulator.amazonses.com` behaves as `bounce@…`
 * (labels tell test messages apart). Any other recipient is delivered.
 */
export function simulatedOutcome(recipient: string): SimulatedOutcome {
  const address = bareAddress(recipient);
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1) !== SIMULATOR_DOMAIN) return 'delivered';
  const local = address.slice(0, at).split('+')[0];
  return OUTCOMES[local] ?? 'delivered';
}
