import { ApiProperty } from '@nestjs/swagger';
import { ReputationState } from '@postline/contracts';
import type { ReputationChangeView } from '../reputation-view.service';
import { ReputationCountsView } from './reputation-counts.view';
import { ReputationRatesView } from './reputation-rates.view';

const STATES = Object.values(ReputationState);

export class ReputationChangeViewDoc implements ReputationChangeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: STATES }) fromState: ReputationState;
  @ApiProperty({ enum: STATES }) toState: ReputationState;
  @ApiProperty({ example: 'admin:maria', description: '`system`, `admin` or `admin:<operator>`' }) actor: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: ReputationRatesView, nullable: true }) rates: ReputationRatesView | null;
  @ApiProperty({ type: ReputationCountsView, nullable: true }) counts: ReputationCountsView | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
