import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { NoHeaderBreakers } from './validators';

export class SendEmailQuery {
  @ApiPropertyOptional({
    example: 'Unsubscribe',
    description: 'Anchor text of the unsubscribe link added to the message.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @NoHeaderBreakers()
  unsubscribeMsg?: string;
}
