import { ApiProperty } from '@nestjs/swagger';
import { ReputationState } from '@postline/contracts';
import type { ReputationView } from '../reputation-view.service';
import { ReputationChangeViewDoc } from './reputation-change.view';
import { ReputationCountsView } from './reputation-counts.view';
import { ReputationRatesView } from './reputation-rates.view';
import { ReputationWindowView } from './reputation-window.view';
import { ThresholdsView } from './thresholds.view';

/** OpenAPI shape of `GET /reputation` (ReputationView). */
export class ReputationViewDoc implements ReputationView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ enum: Object.values(ReputationState) }) state: ReputationState;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) blockedAt: string | null;
  @ApiProperty({ type: ReputationWindowView }) window: ReputationWindowView;
  @ApiProperty({ type: 'integer', example: 100 }) minimumVolume: number;
  @ApiProperty({ description: 'Whether the window holds the minimum volume, so that the rates are evaluated' })
  evaluated: boolean;
  @ApiProperty({ type: ReputationCountsView }) counts: ReputationCountsView;
  @ApiProperty({ type: ReputationRatesView }) rates: ReputationRatesView;
  @ApiProperty({ type: ThresholdsView }) thresholds: ThresholdsView;
  @ApiProperty() simulatorRecipientsCounted: boolean;
  @ApiProperty({ type: [ReputationChangeViewDoc], description: 'State changes, newest first (at most 100)' })
  history: ReputationChangeViewDoc[];
}
