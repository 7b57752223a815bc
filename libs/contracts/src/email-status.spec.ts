import {
  decideTransition,
  EMAIL_STATUSES,
  type EmailStatus,
  isSesEvidence,
  isTerminalBeforeSend,
} from './email-status';

const after = (current: EmailStatus, next: EmailStatus): EmailStatus =>
  decideTransition(current, next).apply ? next : current;

describe(decideTransition.name, () => {
  const progress: EmailStatus[] = [
    'QUEUED',
    'DEQUEUED',
    'SENT',
    'DELAYED',
    'BOUNCED',
    'DELIVERED',
    'OPEN',
    'CLICK',
    'UNSUBSCRIBED',
    'BOUNCED_PERMANENT',
    'COMPLAINED',
  ];
  const refusals = ['BAD_TO', 'BAD_FROM', 'BLOCKED_DUE_BAD_BEHAVIOUR', 'EXHAUSTED', 'INCOMPLETE'] as const;

  it('moves up the progress rank and never down', () => {
    for (let i = 0; i < progress.length; i++) {
      for (let j = 0; j < progress.length; j++) expect(decideTransition(progress[i], progress[j]).apply).toBe(j > i);
    }
  });

  it('ignores the same status twice', () => {
    for (const s of EMAIL_STATUSES) expect(decideTransition(s, s)).toEqual({ apply: false, reason: 'same status' });
  });

  it('lets every refusal end a queued or dequeued email', () => {
    for (const terminal of [...refusals, 'NOT_SENT', 'BLACKLISTED'] as const) {
      expect(decideTransition('QUEUED', terminal).apply).toBe(true);
      expect(decideTransition('DEQUEUED', terminal).apply).toBe(true);
    }
  });

  it('never lets a queue step reopen a refused email', () => {
    for (const terminal of [...refusals, 'NOT_SENT', 'BLACKLISTED'] as const) {
      expect(decideTransition(terminal, 'QUEUED').apply).toBe(false);
      expect(decideTransition(terminal, 'DEQUEUED').apply).toBe(false);
    }
  });

  it('lets Reject and account suppression replace SENT or DELAYED but nothing that implies delivery', () => {
    for (const candidate of ['NOT_SENT', 'BLACKLISTED'] as const) {
      expect(decideTransition('SENT', candidate).apply).toBe(true);
      expect(decideTransition('DELAYED', candidate).apply).toBe(true);
      for (const later of progress.slice(progress.indexOf('BOUNCED')))
        expect(decideTransition(later, candidate).apply).toBe(false);
    }
  });

  it('does not let a late Send event undo a Reject', () => {
    expect(decideTransition('NOT_SENT', 'SENT').apply).toBe(false);
    expect(decideTransition('NOT_SENT', 'DELAYED').apply).toBe(false);
  });

  it('lets SES evidence of sending override a refusal concluded before SES answered', () => {
    for (const refusal of refusals) expect(decideTransition(refusal, 'SENT').apply).toBe(true);
  });

  it('releases a scheduled email to QUEUED, and lets a cancel or any refusal end it', () => {
    expect(decideTransition('SCHEDULED', 'QUEUED').apply).toBe(true);
    for (const end of ['CANCELED', ...refusals, 'BLACKLISTED'] as const) {
      expect(decideTransition('SCHEDULED', end).apply).toBe(true);
    }
  });

  it('never lets a release or a queue step reopen a cancelled email, nor a schedule come back', () => {
    for (const step of ['SCHEDULED', 'QUEUED', 'DEQUEUED'] as const) {
      expect(decideTransition('CANCELED', step).apply).toBe(false);
    }
    for (const later of EMAIL_STATUSES.filter((s) => s !== 'SCHEDULED')) {
      expect(decideTransition(later, 'SCHEDULED').apply).toBe(false);
    }
  });

  it('reaches the same final status whatever order any two events arrive in', () => {
    for (const start of ['SCHEDULED', 'QUEUED', 'SENT'] as const) {
      for (const a of EMAIL_STATUSES) {
        for (const b of EMAIL_STATUSES) expect(after(after(start, a), b)).toBe(after(after(start, b), a));
      }
    }
  });
});

describe('INCOMPLETE', () => {
  it('ends a queued or dequeued email before SES and is never reopened by a queue step', () => {
    expect(decideTransition('DEQUEUED', 'INCOMPLETE').apply).toBe(true);
    expect(decideTransition('INCOMPLETE', 'DEQUEUED').apply).toBe(false);
    expect(decideTransition('INCOMPLETE', 'EXHAUSTED').apply).toBe(false);
    expect(isTerminalBeforeSend('INCOMPLETE')).toBe(true);
    expect(isSesEvidence('INCOMPLETE')).toBe(false);
  });
});
