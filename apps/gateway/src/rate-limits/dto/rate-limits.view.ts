import { ApiProperty } from '@nestjs/swagger';

export class RateLimitsView {
  @ApiProperty({ example: 60, description: 'Length of a window (RATE_LIMIT_WINDOW_SECONDS)' })
  windowSeconds: number;

  @ApiProperty({ example: 600, description: 'Requests per window for each key, as applied' })
  perKey: number;

  @ApiProperty({ example: 1200, description: 'Requests per window for the whole account, as applied' })
  perAccount: number;

  @ApiProperty({ type: Number, nullable: true, description: 'The account’s own per-key limit; null: the default' })
  accountPerKey: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The account’s own limit; null: the default' })
  accountPerAccount: number | null;
}
