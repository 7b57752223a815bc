import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EMAIL_STATUSES } from '@postline/contracts';

/** OpenAPI documentation of what Postline POSTs to callback URLs (not used for validation). */
export class EmailStatusWebhookDataDoc {
  @ApiProperty({ format: 'uuid', description: 'The email id' })
  id: string;

  @ApiProperty({ example: 'DELIVERED', enum: EMAIL_STATUSES })
  status: string;

  @ApiProperty({ example: 'SENT', nullable: true, type: String })
  previousStatus: string | null;

  @ApiProperty({ example: 'jane@example.com' })
  to: string;

  @ApiProperty({ example: 'news@acme.test' })
  from: string;

  @ApiProperty()
  subject: string;

  @ApiProperty({ nullable: true, type: String })
  externalId: string | null;

  @ApiProperty({ nullable: true, type: String })
  clientId: string | null;

  @ApiProperty({ nullable: true, type: String })
  alias: string | null;

  @ApiProperty({ description: 'The account name' })
  userName: string;

  @ApiProperty({ description: 'The operator (member) who sent the email' })
  operator: string;

  @ApiProperty({
    example: 3,
    description: 'Increases with every status change of the email: order events that arrive out of order by it',
  })
  sequence: number;

  @ApiProperty({ format: 'date-time', description: 'When the event happened' })
  occurredAt: string;

  @ApiProperty({
    type: Object,
    description:
      'Event details when known: bounceType, bounceSubType, diagnosticCode, complaintFeedbackType, link, userAgent, ipAddress, …',
  })
  details: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'array',
    items: {
      type: 'object',
      properties: { name: { type: 'string' }, value: { type: 'string' } },
      required: ['name', 'value'],
    },
    example: [{ name: 'campaign', value: 'winter-sale' }],
    description: "The email's tags (as sent), when it has any",
  } as never)
  tags?: { name: string; value: string }[];
}

export class WebhookEnvelopeDoc {
  @ApiProperty({ description: 'Event id; also the `webhook-id` header, identical on every retry (deduplicate on it)' })
  id: string;

  @ApiProperty({
    enum: [
      'email.status',
      'account.reputation.warning',
      'account.reputation.blocked',
      'account.reputation.unblocked',
      'account.reputation.recovered',
      'account.webhook-target.failing',
    ],
  })
  type: string;

  @ApiProperty({ example: 1764131200000, description: 'Epoch ms of the event' })
  timestamp: number;

  @ApiPropertyOptional({
    type: EmailStatusWebhookDataDoc,
    description: '`email.status`: the email and its new status; account notifications carry their own data',
  })
  data: EmailStatusWebhookDataDoc | Record<string, unknown>;
}

export const WEBHOOK_DELIVERY_DOC =
  'Every status change of an email with `callbacks` is POSTed to each URL as JSON (`WebhookEnvelope` schema), signed ' +
  'per Standard Webhooks: headers `webhook-id` (event id), `webhook-timestamp` (epoch seconds of the attempt) and ' +
  '`webhook-signature` = `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the base64 part of the account ' +
  'secret (`whsec_…`, GET /account/webhook-secret); two space-separated signatures while a rotated-out secret is still ' +
  'valid. A 2xx within the timeout (15 s) is success. Anything else is retried after 5 s, 5 min, 30 min, 2 h, 5 h, ' +
  '10 h, 10 h (with jitter; Retry-After honoured on 429/503); 410 stops retries; redirects are not followed.';
