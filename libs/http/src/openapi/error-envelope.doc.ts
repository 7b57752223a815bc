import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MetaDoc } from './meta.doc';

/** OpenAPI shape of one entry of `error.details`. */
export class ErrorDetailDoc {
  @ApiProperty({ example: 'to', description: 'The field, as a path into the request (`messages[2].to`)' })
  field: string;

  @ApiProperty({ example: 'to must be an email address' })
  message: string;
}

/** OpenAPI shape of `error`. */
export class ErrorBodyDoc {
  @ApiProperty({
    example: 'VALIDATION_FAILED',
    description:
      'Stable machine-readable code: VALIDATION_FAILED, INVALID_JSON, UNAUTHORIZED, NOT_FOUND, CONFLICT, ' +
      'IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_PROGRESS, PAYLOAD_TOO_LARGE, METHOD_NOT_ALLOWED, SES_THROTTLED, ' +
      'SERVICE_UNAVAILABLE, …',
  })
  code: string;

  @ApiProperty({ example: 'to: to must be an email address' })
  message: string;

  @ApiPropertyOptional({ type: [ErrorDetailDoc], description: 'One entry per field and rule that failed' })
  details?: ErrorDetailDoc[];
}

/** OpenAPI shape of every error response: `{ meta, error }`. */
export class ErrorEnvelopeDoc {
  @ApiProperty({ type: MetaDoc }) meta: MetaDoc;
  @ApiProperty({ type: ErrorBodyDoc }) error: ErrorBodyDoc;
}
