/** The counts a rate can be computed from. */
export interface RateInputs {
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  softBounced: number;
  hardBounced: number;
  complained: number;
  unsubscribed: number;
}

interface RateDefinition {
  numerator: keyof RateInputs;
  denominator: keyof RateInputs;
  meaning: string;
}

/**
 * Every rate the reports give, with its denominator. Bounces and complaints are over emails sent (as SES and the
 * reputation limits count them); engagement is over emails delivered. Counts are unique emails (an email opened
 * five times counts once in `opened`).
 */
const RATE_DEFINITIONS = {
  deliveryRate: {
    numerator: 'delivered',
    denominator: 'sent',
    meaning: 'share of the emails sent that were delivered',
  },
  hardBounceRate: {
    numerator: 'hardBounced',
    denominator: 'sent',
    meaning: 'share of the emails sent that bounced permanently',
  },
  softBounceRate: {
    numerator: 'softBounced',
    denominator: 'sent',
    meaning: 'share of the emails sent that bounced temporarily at least once',
  },
  complaintRate: {
    numerator: 'complained',
    denominator: 'sent',
    meaning: 'share of the emails sent that the recipient marked as spam',
  },
  openRate: {
    numerator: 'opened',
    denominator: 'delivered',
    meaning: 'share of the emails delivered that were opened at least once',
  },
  clickRate: {
    numerator: 'clicked',
    denominator: 'delivered',
    meaning: 'share of the emails delivered with at least one link clicked',
  },
  unsubscribeRate: {
    numerator: 'unsubscribed',
    denominator: 'delivered',
    meaning: 'share of the emails delivered whose recipient unsubscribed',
  },
} as const satisfies Record<string, RateDefinition>;

export type RateName = keyof typeof RATE_DEFINITIONS;
export type Rates = Record<RateName, number | null>;
export const RATE_NAMES = Object.keys(RATE_DEFINITIONS) as RateName[];

/** The text the OpenAPI document gives a rate. */
export function describeRate(name: RateName): string {
  const d = RATE_DEFINITIONS[name];
  return `${d.numerator} / ${d.denominator}: the ${d.meaning}, from 0 to 1; null when ${d.denominator} is 0.`;
}

/** Rates as fractions rounded to 6 decimals; a rate whose denominator is 0 is null (not 0: nothing to measure). */
export function computeRates(counts: RateInputs): Rates {
  const rates = {} as Rates;
  for (const name of RATE_NAMES) {
    const { numerator, denominator } = RATE_DEFINITIONS[name];
    const base = counts[denominator];
    rates[name] = base > 0 ? Math.round((counts[numerator] / base) * 1e6) / 1e6 : null;
  }
  return rates;
}
