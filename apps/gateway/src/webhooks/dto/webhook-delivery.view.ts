import { ApiProperty } from '@nestjs/swagger';

export class WebhookAttemptView {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: '1-based attempt number' })
  attempt: number;

  @ApiProperty({
    example: 503,
    nullable: true,
    type: Number,
    description: 'HTTP status the receiver answered; null when no response (timeout, refused, connection error)',
  })
  statusCode: number | null;

  @ApiProperty({ example: 87, nullable: true, type: Number })
  latencyMs: number | null;

  @ApiProperty({ example: 'HTTP 503: busy', nullable: true, type: String })
  error: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the next attempt was scheduled for, after this one',
  })
  nextAttemptAt: string | null;

  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Delivery id, for POST /webhook-deliveries/{id}/retry' })
  id: string;

  @ApiProperty({ format: 'uri', example: 'https://example.com/hooks/postline' })
  url: string;

  @ApiProperty({ example: 'email.status' })
  type: string;

  @ApiProperty({ description: 'The event id: the `webhook-id` header, the same on every attempt' })
  eventId: string;

  @ApiProperty({
    enum: ['PENDING', 'SUCCEEDED', 'FAILED', 'EXHAUSTED', 'GONE'],
    description:
      'PENDING: not attempted yet (or a replay is due); FAILED: the last attempt failed and nextAttemptAt is set; ' +
      'SUCCEEDED: a 2xx was received; EXHAUSTED: the retries ran out (or the target was refused); GONE: the receiver answered 410',
  })
  status: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 2 })
  attempts: number;

  @ApiProperty({ nullable: true, type: Number })
  lastStatusCode: number | null;

  @ApiProperty({ nullable: true, type: Number })
  lastLatencyMs: number | null;

  @ApiProperty({ nullable: true, type: String })
  lastError: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  nextAttemptAt: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  deliveredAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ description: 'The body POSTed (see the WebhookEnvelope schema)', type: Object })
  payload: unknown;

  @ApiProperty({ type: [WebhookAttemptView] })
  attemptLog: WebhookAttemptView[];
}
