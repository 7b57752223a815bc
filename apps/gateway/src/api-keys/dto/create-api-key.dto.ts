import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsDefined, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'production server', description: 'What the key is for, to tell keys apart.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @IsDefined({ message: '$property is required' })
  name: string;

  @ApiProperty({ example: 'bob', description: 'The operator (member) the key belongs to; created if new.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @IsDefined({ message: '$property is required' })
  operator: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2027-06-30T00:00:00Z',
    description: 'When the key stops working (must be in the future); omitted: never.',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: string;
}
