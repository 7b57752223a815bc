import { mapSesEvent, parseSesEventMessage } from '@postline/ses';
import type { LocalSesMessage } from './local-ses-store';
import { simulatedOutcome } from './mailbox-simulator';
import { outcomeEvents, sendEvent } from './ses-event-factory';

const EMAIL_ID = '5b0f2c33-9c1d-4a55-8e0f-1d2b3c4d5e6f';
const ctx = { region: 'us-east-1', accountId: '000000000000', configurationSet: 'local' };

function message(to: string, withHeader = true): LocalSesMessage {
  return {
    messageId: 'ses-123456789',
    from: 'Promo <promo@elipackage.test>',
    destination: { to: [to] },
    subject: 'Hello',
    headers: withHeader ? [{ name: 'X-Postline-Email-Id', value: EMAIL_ID }] : [],
    at: 1_800_000_000,
  };
}

/** What the events service makes of the events the tool produces for one recipient. */
function statuses(to: string, withHeader = true): string[] {
  const m = message(to, withHeader);
  return [sendEvent(m, ctx), ...outcomeEvents(m, to, simulatedOutcome(to), ctx)].map((record) => {
    const parsed = parseSesEventMessage(JSON.stringify(record));
    if (parsed.kind !== 'event') throw new Error(`not an SES event: ${JSON.stringify(parsed)}`);
    return mapSesEvent(parsed.record, EMAIL_ID).status;
  });
}

describe('local SES event records', () => {
  it.each([
    ['success@simulator.amazonses.com', ['SENT', 'DELIVERED']],
    ['ooto@simulator.amazonses.com', ['SENT', 'DELIVERED']],
    ['bounce+x@simulator.amazonses.com', ['SENT', 'BOUNCED_PERMANENT']],
    ['complaint@simulator.amazonses.com', ['SENT', 'DELIVERED', 'COMPLAINED']],
    ['suppressionlist@simulator.amazonses.com', ['SENT', 'BLACKLISTED']],
    ['someone@example.com', ['SENT', 'DELIVERED']],
  ])('%s: %j', (to, expected) => {
    expect(statuses(to)).toEqual(expected);
  });

  it('tags the records with the email id read from the header, as SES echoes EmailTags', () => {
    expect(sendEvent(message('a@example.com'), ctx).mail.tags?.email_id).toEqual([EMAIL_ID]);
    expect(sendEvent(message('a@example.com', false), ctx).mail.tags?.email_id).toBeUndefined();
  });

  it('dates the events from the end of the second the emulator accepted the message in, the same way every time', () => {
    const m = message('complaint@simulator.amazonses.com');
    const [delivery, complaint] = outcomeEvents(m, 'complaint@simulator.amazonses.com', 'complaint', ctx);
    expect(sendEvent(m, ctx).mail.timestamp).toBe('2027-01-15T08:00:00.999Z');
    expect(delivery).toEqual(outcomeEvents(m, 'complaint@simulator.amazonses.com', 'complaint', ctx)[0]);
    expect(delivery.eventType === 'Delivery' && delivery.delivery.timestamp).toBe('2027-01-15T08:00:02.199Z');
    expect(complaint.eventType === 'Complaint' && complaint.complaint.complaintFeedbackType).toBe('abuse');
  });
});
