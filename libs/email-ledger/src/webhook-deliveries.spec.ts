import { WebhookEventType } from '@postline/contracts';
import { webhookBody, webhooksStatement } from './webhook-deliveries';

const occurredAt = new Date('2026-11-26T10:00:00.000Z');
const webhook = {
  accountId: 'a1',
  emailId: 'm1',
  eventId: 'evt_1',
  type: WebhookEventType.EmailStatus,
  url: 'https://hooks.example.com/x',
  data: { status: 'DELIVERED', details: { smtpResponse: '250 "ok"' } },
  occurredAt,
};

describe(webhookBody.name, () => {
  it('is the envelope in the documented field order, compact', () => {
    expect(webhookBody(webhook)).toBe(
      '{"id":"evt_1","type":"email.status","timestamp":1795687200000,' +
        '"data":{"status":"DELIVERED","details":{"smtpResponse":"250 \\"ok\\""}}}',
    );
  });
});

describe(webhooksStatement.name, () => {
  it('passes that body as text, so the row keeps it exactly as written', () => {
    const statement = webhooksStatement([webhook]);
    const [row] = JSON.parse(statement?.values[0] as string) as { payload: unknown }[];
    expect(row.payload).toBe(webhookBody(webhook));
  });

  it('is nothing for no webhooks', () => {
    expect(webhooksStatement([])).toBeUndefined();
  });
});
