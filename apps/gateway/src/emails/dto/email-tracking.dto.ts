import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

/** Per-message open and click tracking; an option left out keeps the default (tracked, see README). */
export class EmailTrackingDto {
  @ApiPropertyOptional({ example: false, description: 'Track opens (SES open pixel).' })
  @IsBoolean()
  @IsOptional()
  opens?: boolean;

  @ApiPropertyOptional({ example: true, description: 'Track clicks (SES link rewriting).' })
  @IsBoolean()
  @IsOptional()
  clicks?: boolean;
}
