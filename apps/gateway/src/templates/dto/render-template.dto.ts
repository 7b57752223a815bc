import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IsVariables, VARIABLES_SCHEMA } from './personalization.validators';

/** `POST /templates/{id}/render`: a preview with these variables. */
export class RenderTemplateDto {
  @ApiPropertyOptional(VARIABLES_SCHEMA)
  @IsVariables()
  @IsOptional()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'A version of the template; the current one by default.',
  })
  @Min(1)
  @IsInt()
  @IsOptional()
  version?: number;
}
