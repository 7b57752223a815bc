import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shape of `meta`, on every response. */
export class MetaDoc {
  @ApiProperty({ type: 'integer', format: 'int64', example: 1764931200000, description: 'Epoch ms of the response' })
  timestamp: number;

  @ApiProperty({
    example: '5f0c8e0e-6a47-4a4f-9d6c-2f3f1b0c7a11',
    minLength: 8,
    maxLength: 128,
    description: 'The request id, also sent as the `x-request-id` header and on every log line of the request',
  })
  transactionId: string;
}
