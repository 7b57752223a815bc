import { ApiProperty } from '@nestjs/swagger';
import { ThresholdPairView } from './threshold-pair.view';

export class ThresholdsView {
  @ApiProperty({ type: ThresholdPairView }) bounce: ThresholdPairView;
  @ApiProperty({ type: ThresholdPairView }) complaint: ThresholdPairView;
}
