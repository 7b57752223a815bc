import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';

/** An omitted field is left as it is; null goes back to the gateway's default. */
export class SetRateLimitsDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 600,
    description: 'Requests per window for each key of the account (batch messages count one each); null: default',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  perKey?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 1200,
    description: 'Requests per window for all the keys of the account together; null: default',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  perAccount?: number | null;
}
