import { ApiProperty } from '@nestjs/swagger';
import { BatchResultViewDoc } from './batch-result.view';

export class BatchViewDoc {
  @ApiProperty({ type: 'integer', minimum: 0 }) accepted: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) rejected: number;
  @ApiProperty({ type: [BatchResultViewDoc], description: 'One per message, in order' }) results: BatchResultViewDoc[];
}
