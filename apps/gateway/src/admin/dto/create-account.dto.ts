import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateAccountDto {
  @ApiProperty({
    example: 'elipackage',
    minLength: 1,
    maxLength: 100,
    pattern: '^[\\w .@-]+$',
    description: 'Account name, returned as `userName` on every email.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Matches(/^[\w .@-]+$/, { message: 'name may contain letters, digits, spaces and . _ @ -' })
  @IsDefined({ message: '$property is required' })
  name: string;

  @ApiPropertyOptional({
    example: 'alice',
    minLength: 1,
    maxLength: 100,
    description: 'Name of the first operator (member); default "owner".',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  operatorName?: string;
}
