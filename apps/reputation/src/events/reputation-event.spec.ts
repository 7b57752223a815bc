import { UnrecoverableError } from 'bullmq';
import { parseReputationEvent, parseReputationEvents } from './reputation-event';

const valid = {
  accountId: '6f1c4c1e-3a57-4c36-9d53-0c7f3d1f2a10',
  emailId: '0b9a7d52-61c1-4d7e-8f3e-6f5f0a1c2b3d',
  kind: 'hard-bounce',
  recipient: 'reader@example.test',
  occurredAt: 1_770_000_000_000,
};

describe(parseReputationEvent.name, () => {
  it('accepts the payload StatusRecorder emits', () => {
    expect(parseReputationEvent(valid)).toEqual(valid);
  });

  it.each([
    ['accountId', { ...valid, accountId: 'acct-1' }],
    ['kind', { ...valid, kind: 'soft-bounce' }],
    ['occurredAt', { ...valid, occurredAt: '2026-03-02T10:00:00Z' }],
    ['emailId, recipient', { ...valid, emailId: undefined, recipient: 42 }],
  ])('refuses a malformed %s for good (no retries)', (fields, data) => {
    expect(() => parseReputationEvent(data)).toThrow(UnrecoverableError);
    expect(() => parseReputationEvent(data)).toThrow(`malformed reputation event: ${fields}`);
  });
});

describe(parseReputationEvents.name, () => {
  it('keeps the well-formed events of a batch and lists the malformed ones', () => {
    const other = { ...valid, emailId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', kind: 'sent' };
    expect(parseReputationEvents({ events: [valid, { ...valid, kind: 'soft-bounce' }, other] })).toEqual({
      events: [valid, other],
      malformed: ['#1 malformed reputation event: kind'],
    });
  });

  it('refuses a job without an events list for good', () => {
    expect(() => parseReputationEvents({ event: valid })).toThrow(UnrecoverableError);
  });
});
