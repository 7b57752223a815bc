import { WebhookEventType } from './webhook-events';

/** An account's reputation state (Account.reputationState). */
export const ReputationState = {
  Healthy: 'HEALTHY',
  Warning: 'WARNING',
  Blocked: 'BLOCKED',
} as const;
export type ReputationState = (typeof ReputationState)[keyof typeof ReputationState];

/** Who changed a state: the reputation service itself, or an operator of the support team (`admin:<name>`). */
export const SYSTEM_ACTOR = 'SYSTEM';

/** Thresholds in percent, as the product documentation states them (2.5 means 2.5 %). */
export interface ReputationThresholds {
  bounce: { warning: number; block: number };
  complaint: { warning: number; block: number };
}

export interface ReputationRules {
  windowHours: number;
  /** Sent emails the window must hold before rates are evaluated. */
  minVolume: number;
  thresholds: ReputationThresholds;
  /** Count mailbox-simulator recipients (local demos and black-box tests). */
  countSimulator: boolean;
}

export const DEFAULT_REPUTATION_THRESHOLDS: ReputationThresholds = {
  bounce: { warning: 2.5, block: 5 },
  complaint: { warning: 0.05, block: 0.1 },
};

export interface ReputationCounts {
  sent: number;
  hardBounces: number;
  complaints: number;
}

export interface ReputationRates {
  /** Hard bounces / sent, as a fraction (0.05 = 5 %); 0 when nothing was sent. */
  bounce: number;
  complaint: number;
}

export interface ReputationDecision {
  state: ReputationState;
  /** Why, in words; null when healthy with nothing to say. */
  reason: string | null;
  /** False while the window holds less than the minimum volume. */
  evaluated: boolean;
}

export const HOUR_MS = 3_600_000;

/** Start of the UTC hour holding `epochMs`. */
export function hourStartOf(epochMs: number): number {
  return Math.floor(epochMs / HOUR_MS) * HOUR_MS;
}

/**
 * First instant of the rolling window: the window is the `windowHours` most recent hourly buckets, the
 * current (partial) hour included.
 */
export function windowStartOf(now: Date, windowHours: number): Date {
  return new Date(hourStartOf(now.getTime()) - (windowHours - 1) * HOUR_MS);
}

export function reputationRates(counts: ReputationCounts): ReputationRates {
  if (counts.sent <= 0) return { bounce: 0, complaint: 0 };
  return { bounce: counts.hardBounces / counts.sent, complaint: counts.complaints / counts.sent };
}

const PERCENT_SCALE = 1_000_000n;

/**
 * `part / whole ≥ percent %`, decided in integers so that a rate exactly at a threshold counts as reached
 * whatever floating point would round it to. Thresholds keep up to six decimals.
 */
export function reachesPercent(part: number, whole: number, percent: number): boolean {
  if (whole <= 0) return false;
  const scaled = BigInt(Math.round(percent * Number(PERCENT_SCALE)));
  return BigInt(part) * 100n * PERCENT_SCALE >= scaled * BigInt(whole);
}

const pct = (fraction: number) => `${(fraction * 100).toFixed(3).replace(/\.?0+$/, '')} %`;

/**
 * The state the window calls for (DESIGN §5). A block is sticky: only an operator lifts it, so a BLOCKED
 * account stays BLOCKED here. Below the minimum volume rates are not evaluated and there is nothing to warn
 * about, so the account is HEALTHY.
 */
export function decideReputation(
  current: ReputationState,
  counts: ReputationCounts,
  rules: ReputationRules,
): ReputationDecision {
  if (current === ReputationState.Blocked)
    return { state: current, reason: null, evaluated: counts.sent >= rules.minVolume };
  if (counts.sent < rules.minVolume) {
    return {
      state: ReputationState.Healthy,
      reason: `below the minimum volume (${counts.sent} of ${rules.minVolume} sent)`,
      evaluated: false,
    };
  }
  const { bounce, complaint } = rules.thresholds;
  const rates = reputationRates(counts);
  const over = (level: 'warning' | 'block'): string[] => {
    const reasons: string[] = [];
    if (reachesPercent(counts.hardBounces, counts.sent, bounce[level])) {
      reasons.push(`bounce rate ${pct(rates.bounce)} ≥ ${bounce[level]} %`);
    }
    if (reachesPercent(counts.complaints, counts.sent, complaint[level])) {
      reasons.push(`complaint rate ${pct(rates.complaint)} ≥ ${complaint[level]} %`);
    }
    return reasons;
  };
  const block = over('block');
  if (block.length > 0) return { state: ReputationState.Blocked, reason: block.join('; '), evaluated: true };
  const warning = over('warning');
  if (warning.length > 0) return { state: ReputationState.Warning, reason: warning.join('; '), evaluated: true };
  return { state: ReputationState.Healthy, reason: 'rates below the warning thresholds', evaluated: true };
}

/** The account notification announcing a change of state. */
export function reputationNotificationType(from: ReputationState, to: ReputationState): WebhookEventType {
  if (to === ReputationState.Blocked) return WebhookEventType.ReputationBlocked;
  if (from === ReputationState.Blocked) return WebhookEventType.ReputationUnblocked;
  if (to === ReputationState.Warning) return WebhookEventType.ReputationWarning;
  return WebhookEventType.ReputationRecovered;
}

/** `data` of the account.reputation.* notifications. */
export interface ReputationWebhookData {
  accountId: string;
  userName: string;
  state: ReputationState;
  previousState: ReputationState;
  actor: string;
  reason: string;
  rates: ReputationRates;
  counts: ReputationCounts;
  windowHours: number;
  occurredAt: string;
}

/** SES mailbox-simulator recipients, which SES leaves out of an account's reputation. */
export function isSimulatorRecipient(address: string): boolean {
  return address.toLowerCase().endsWith('@simulator.amazonses.com');
}
