import { fixtureManifest, readFixture } from '../testing/ses-fixtures';
import { parseSesEventMessage } from './parse-ses-event';
import { contradictionOf, extraRecipientOf, recipientsNamed, type StoredEmailFacts } from './ses-event-proof';
import type { SesEventRecord } from './ses-event-record';

const FIXTURE_SES_ID = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';
const EMAIL: StoredEmailFacts = {
  id: '0b6c4a52-3f0e-4f0e-9a57-6f3b7f7c2d11',
  accountId: '9d2f1c3e-5a4b-4c6d-8e7f-0a1b2c3d4e5f',
  to: 'recipient@example.com',
  sesMessageId: FIXTURE_SES_ID,
};

function recordOf(file: string): SesEventRecord {
  const parsed = parseSesEventMessage(String(readFixture(file).Message));
  if (parsed.kind !== 'event') throw new Error(`${file}: ${parsed.kind}`);
  return parsed.record;
}

/** Each event fixture, for the email it names (its own SES MessageId). */
const eventFixtures = () =>
  fixtureManifest()
    .filter((f) => f.snsType === 'Notification' && f.eventType)
    .map((f) => {
      const record = recordOf(f.file);
      return { file: f.file, record, email: { ...EMAIL, sesMessageId: record.mail.messageId } };
    });

const withTags = (record: SesEventRecord, tags: Record<string, string[]>): SesEventRecord => ({
  ...record,
  mail: { ...record.mail, tags: { ...record.mail.tags, ...tags } },
});

describe(contradictionOf.name, () => {
  it('finds nothing to object to in an event that agrees with the email', () => {
    for (const { file, record, email } of eventFixtures()) {
      expect({ file, reason: contradictionOf(record, email) }).toEqual({ file, reason: undefined });
      const tagged = withTags(record, { email_id: [email.id.toUpperCase()], account_id: [email.accountId] });
      expect({ file, reason: contradictionOf(tagged, email) }).toEqual({ file, reason: undefined });
    }
  });

  it('does not check the SES MessageId before the email has one (Send before SendEmail answered)', () => {
    const record = withTags(recordOf('send.json'), { email_id: [EMAIL.id], account_id: [EMAIL.accountId] });
    expect(contradictionOf(record, { ...EMAIL, sesMessageId: null })).toBeUndefined();
  });

  it("refuses another SES MessageId than the email's", () => {
    expect(contradictionOf(recordOf('complaint.json'), { ...EMAIL, sesMessageId: 'another-000000' })).toBe(
      "its SES MessageId is not the email's",
    );
  });

  it("refuses an email_id or account_id tag that is not the email's", () => {
    const record = recordOf('complaint.json');
    expect(contradictionOf(withTags(record, { email_id: ['7e57c0de-0000-4000-8000-000000000000'] }), EMAIL)).toBe(
      "its email_id tag is not the email's id",
    );
    expect(contradictionOf(withTags(record, { email_id: ["1' OR 1=1"] }), EMAIL)).toBe(
      "its email_id tag is not the email's id",
    );
    expect(contradictionOf(withTags(record, { account_id: ['7e57c0de-0000-4000-8000-000000000000'] }), EMAIL)).toBe(
      "its account_id tag is not the email's account",
    );
    expect(contradictionOf(withTags(record, { account_id: [EMAIL.accountId, 'other'] }), EMAIL)).toBe(
      "its account_id tag is not the email's account",
    );
  });

  it('reads recipients as bare addresses whatever their case or display name', () => {
    const record = recordOf('delivery.json');
    const named = { ...record, mail: { ...record.mail, destination: ['"Recipient" <Recipient@Example.COM>'] } };
    expect(contradictionOf(named, { ...EMAIL, to: 'RECIPIENT@example.com' })).toBeUndefined();
  });

  it.each([
    ['destination', 'send.json', (r: SesEventRecord) => ({ ...r, mail: { ...r.mail, destination: ['x@evil.test'] } })],
    [
      'delivery recipients',
      'delivery.json',
      (r: SesEventRecord) =>
        r.eventType === 'Delivery' ? { ...r, delivery: { ...r.delivery, recipients: ['x@evil.test'] } } : r,
    ],
    [
      'bounced recipients',
      'bounce-permanent.json',
      (r: SesEventRecord) =>
        r.eventType === 'Bounce'
          ? { ...r, bounce: { ...r.bounce, bouncedRecipients: [{ emailAddress: 'x@evil.test' }] } }
          : r,
    ],
    [
      'complained recipients',
      'complaint.json',
      (r: SesEventRecord) =>
        r.eventType === 'Complaint'
          ? {
              ...r,
              complaint: {
                ...r.complaint,
                complainedRecipients: [{ emailAddress: 'recipient@example.com' }, { emailAddress: 'x@evil.test' }],
              },
            }
          : r,
    ],
    [
      'delayed recipients',
      'delivery-delay.json',
      (r: SesEventRecord) =>
        r.eventType === 'DeliveryDelay'
          ? { ...r, deliveryDelay: { ...r.deliveryDelay, delayedRecipients: [{ emailAddress: 'x@evil.test' }] } }
          : r,
    ],
  ])('refuses a stranger among the %s', (_field, file, change) => {
    const record = change(recordOf(file));
    expect(recipientsNamed(record)).toContain('x@evil.test');
    expect(contradictionOf(record, { ...EMAIL, sesMessageId: record.mail.messageId })).toBe(
      "it names a recipient other than the email's: x@evil.test",
    );
  });
});

describe(extraRecipientOf.name, () => {
  const bounceFor = (recipient: string, destination: string[]): SesEventRecord => {
    const record = recordOf('bounce-permanent.json');
    if (record.eventType !== 'Bounce') throw new Error('fixture is not a bounce');
    return {
      ...record,
      mail: { ...record.mail, destination },
      bounce: {
        ...record.bounce,
        bouncedRecipients: [{ ...record.bounce.bouncedRecipients[0], emailAddress: recipient }],
      },
    };
  };
  const email = { ...EMAIL, sesMessageId: null, extraRecipients: ['cc@example.com', 'bcc@example.com'] };

  it("accepts a cc or bcc recipient as the email's, and names it as the one the event is about", () => {
    const record = bounceFor('"Carl" <CC@example.com>', [EMAIL.to, 'cc@example.com', 'bcc@example.com']);
    expect(contradictionOf(record, email)).toBeUndefined();
    expect(extraRecipientOf(record, email)).toBe('cc@example.com');
  });

  it('leaves an event about `to` to the status, and still refuses a stranger', () => {
    expect(extraRecipientOf(bounceFor(EMAIL.to, [EMAIL.to, 'cc@example.com']), email)).toBeUndefined();
    expect(contradictionOf(bounceFor('cc@example.com', [EMAIL.to, 'cc@example.com']), EMAIL)).toMatch(
      /other than the email's: cc@example.com/,
    );
  });
});
