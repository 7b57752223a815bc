import { fixtureManifest, readFixture, readFixtureText } from '../testing/ses-fixtures';
import { emailIdTagOf, mapSesEvent } from './map-ses-event';
import { parseSesEventMessage } from './parse-ses-event';
import type { SesEventRecord } from './ses-event-record';

const EMAIL_ID = '0b6c4a52-3f0e-4f0e-9a57-6f3b7f7c2d11';

function recordOf(file: string): SesEventRecord {
  const parsed = parseSesEventMessage(String(readFixture(file).Message));
  if (parsed.kind !== 'event') throw new Error(`${file}: ${parsed.kind}`);
  return parsed.record;
}

describe(mapSesEvent.name, () => {
  it.each([
    ['send.json', 'SENT', undefined],
    ['delivery.json', 'DELIVERED', undefined],
    ['delivery-delay.json', 'DELAYED', undefined],
    ['bounce-permanent.json', 'BOUNCED_PERMANENT', 'HARD_BOUNCE'],
    ['bounce-permanent.sigv2.json', 'BOUNCED_PERMANENT', 'HARD_BOUNCE'],
    ['bounce-suppressed.json', 'BLACKLISTED', 'HARD_BOUNCE'],
    ['bounce-transient.json', 'BOUNCED', undefined],
    ['bounce-undetermined.json', 'BOUNCED', undefined],
    ['complaint.json', 'COMPLAINED', 'COMPLAINT'],
    ['reject.json', 'NOT_SENT', undefined],
    ['rendering-failure.json', 'NOT_SENT', undefined],
    ['open.json', 'OPEN', undefined],
    ['click.json', 'CLICK', undefined],
    ['subscription.json', 'UNSUBSCRIBED', 'UNSUBSCRIBE'],
  ])('maps %s to %s (suppress: %s)', (file, status, suppress) => {
    const event = mapSesEvent(recordOf(file), EMAIL_ID);
    expect(event).toMatchObject({ emailId: EMAIL_ID, status, source: 'SES' });
    expect(event.suppress).toBe(suppress);
    expect(event.sourceId).toContain(`ses:${EMAIL_ID}:`);
    expect(Number.isNaN(event.occurredAt.getTime())).toBe(false);
  });

  it('covers every notification fixture with an event type', () => {
    const mapped = fixtureManifest().filter((f) => f.snsType === 'Notification' && f.eventType);
    for (const f of mapped) expect(mapSesEvent(recordOf(f.file), EMAIL_ID).type).toBe(f.eventType);
  });

  it('keeps the bounce details and the hard-bounce reason', () => {
    const event = mapSesEvent(recordOf('bounce-permanent.json'), EMAIL_ID);
    expect(event.details).toMatchObject({
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipient: 'recipient@example.com',
      diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      dsnStatus: '5.1.1',
      reportingMTA: 'dsn; mta.example.com',
      sesMessageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
    });
    expect(event.statusReason).toBe('Permanent/General: smtp; 550 5.1.1 user unknown');
    expect(event.occurredAt.toISOString()).toBe('2017-08-05T00:41:02.669Z');
  });

  it('keeps complaint, delay, click and open details', () => {
    expect(mapSesEvent(recordOf('complaint.json'), EMAIL_ID).details).toMatchObject({ complaintFeedbackType: 'abuse' });
    expect(mapSesEvent(recordOf('delivery-delay.json'), EMAIL_ID).details).toMatchObject({
      delayType: 'TransientCommunicationFailure',
      diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host',
    });
    expect(mapSesEvent(recordOf('click.json'), EMAIL_ID).details).toMatchObject({
      link: 'http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html',
      ipAddress: '192.0.2.1',
      userAgent: expect.stringContaining('Mozilla'),
    });
    expect(mapSesEvent(recordOf('open.json'), EMAIL_ID).details).toMatchObject({
      userAgent: expect.any(String),
      ipAddress: expect.any(String),
    });
  });

  it('confirms the dispatch and records the SES MessageId on Send', () => {
    expect(mapSesEvent(recordOf('send.json'), EMAIL_ID).patch).toEqual({
      sesMessageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
      dispatchState: 'CONFIRMED',
    });
  });

  it('gives the same source id to the same SES event and another to a different one', () => {
    const a = mapSesEvent(recordOf('delivery.json'), EMAIL_ID);
    expect(mapSesEvent(recordOf('delivery.json'), EMAIL_ID).sourceId).toBe(a.sourceId);
    expect(mapSesEvent(recordOf('open.json'), EMAIL_ID).sourceId).not.toBe(a.sourceId);
    // Two bounces at the same instant are still two events (their SES feedbackIds differ).
    expect(mapSesEvent(recordOf('bounce-permanent.json'), EMAIL_ID).sourceId).not.toBe(
      mapSesEvent(recordOf('bounce-transient.json'), EMAIL_ID).sourceId,
    );
  });
});

describe(parseSesEventMessage.name, () => {
  it('reads the plain-text topic validation notice as text', () => {
    expect(parseSesEventMessage(String(readFixture('sns-ses-topic-validation.json').Message))).toEqual({
      kind: 'text',
    });
  });

  it('reads every bare record like the one inside its envelope', () => {
    for (const f of fixtureManifest().filter((e) => e.bare)) {
      expect(parseSesEventMessage(readFixtureText(f.bare as string))).toEqual({
        kind: 'event',
        record: recordOf(f.file),
      });
    }
  });

  it('reads identity notifications (notificationType) as events', () => {
    const record = JSON.parse(readFixtureText('bare/bounce-permanent.json')) as Record<string, unknown>;
    const { eventType: _t, ...rest } = record;
    const parsed = parseSesEventMessage(JSON.stringify({ ...rest, notificationType: 'Bounce' }));
    expect(parsed).toMatchObject({ kind: 'event', record: { eventType: 'Bounce' } });
  });

  it('calls unknown or malformed records unsupported', () => {
    expect(parseSesEventMessage('{"eventType":"Teleport","mail":{}}')).toMatchObject({ kind: 'unsupported' });
    expect(
      parseSesEventMessage('{"eventType":"Bounce","mail":{"messageId":"x","timestamp":"t","destination":[]}}'),
    ).toMatchObject({
      kind: 'unsupported',
    });
    expect(parseSesEventMessage('[1,2]')).toMatchObject({ kind: 'unsupported' });
  });
});

describe(emailIdTagOf.name, () => {
  it('reads a well-formed email_id tag and ignores anything else', () => {
    const record = recordOf('delivery.json');
    expect(emailIdTagOf(record)).toBeUndefined();
    expect(emailIdTagOf({ ...record, mail: { ...record.mail, tags: { email_id: [EMAIL_ID.toUpperCase()] } } })).toBe(
      EMAIL_ID,
    );
    expect(emailIdTagOf({ ...record, mail: { ...record.mail, tags: { email_id: ["1' OR 1=1"] } } })).toBeUndefined();
  });
});
