import { ApiProperty } from '@nestjs/swagger';

export class ReputationWindowView {
  @ApiProperty({ type: 'integer', example: 168 }) hours: number;
  @ApiProperty({ format: 'date-time', description: 'Later than `hours` ago when an unblock restarted the window' })
  from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) restartedAt: string | null;
}
