import { outcomeEvents } from './ses-event-factory';
import { simulatedOutcome } from './mailbox-simulator';
import type { LocalSesMessage } from './local-ses-store';

// SES publishes one event per recipient; cc and bcc recipients are recipients like `to`.
describe('simulated events of cc and bcc recipients', () => {
  const ctx = { region: 'us-east-1', accountId: '000000000000', configurationSet: 'local' };
  const message: LocalSesMessage = {
    messageId: 'abc-123',
    from: 'promo@shop.test',
    destination: {
      to: ['success@simulator.amazonses.com'],
      cc: ['bounce+cc@simulator.amazonses.com'],
      bcc: ['bounce+bcc@simulator.amazonses.com'],
    },
    subject: 'Promo',
    at: 1_800_000_000,
  };

  it('bounces each bouncing recipient with its own feedback id, and names every recipient in the destination', () => {
    const bounces = ['bounce+cc@simulator.amazonses.com', 'bounce+bcc@simulator.amazonses.com'].map(
      (r) => outcomeEvents(message, r, simulatedOutcome(r), ctx)[0],
    );
    const ids = bounces.map((b) => (b.eventType === 'Bounce' ? b.bounce.feedbackId : undefined));
    expect(new Set(ids).size).toBe(2);
    expect(bounces[1].mail.destination).toEqual([
      'success@simulator.amazonses.com',
      'bounce+cc@simulator.amazonses.com',
      'bounce+bcc@simulator.amazonses.com',
    ]);
  });
});
