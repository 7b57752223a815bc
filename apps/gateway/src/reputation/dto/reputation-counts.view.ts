import { ApiProperty } from '@nestjs/swagger';
import type { ReputationCounts } from '@postline/contracts';

export class ReputationCountsView implements ReputationCounts {
  @ApiProperty({ type: 'integer', minimum: 0 }) sent: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) hardBounces: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) complaints: number;
}
