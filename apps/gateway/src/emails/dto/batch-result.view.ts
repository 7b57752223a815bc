import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorBodyDoc } from '@postline/http';
import { EmailViewDoc } from './email.view';

/** One message of a batch: `status` 201 with `data`, or 400 with `error`. */
export class BatchResultViewDoc {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Position of the message in `messages`' }) index: number;
  @ApiProperty({ type: 'integer', enum: [201, 400] }) status: 201 | 400;
  @ApiPropertyOptional({ type: EmailViewDoc }) data?: EmailViewDoc;
  @ApiPropertyOptional({ type: ErrorBodyDoc }) error?: ErrorBodyDoc;
}
