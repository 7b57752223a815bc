import { ApiProperty } from '@nestjs/swagger';

export class ThresholdPairView {
  @ApiProperty({ minimum: 0, example: 0.025, description: 'A fraction' }) warning: number;
  @ApiProperty({ minimum: 0, example: 0.05, description: 'A fraction' }) block: number;
}
