import { ApiProperty } from '@nestjs/swagger';
import type { ReputationRates } from '@postline/contracts';

/** Fractions: 0.025 = 2.5 %. */
export class ReputationRatesView implements ReputationRates {
  @ApiProperty({ minimum: 0, example: 0.012, description: 'Hard bounces / sent' }) bounce: number;
  @ApiProperty({ minimum: 0, example: 0.0002, description: 'Complaints / sent' }) complaint: number;
}
