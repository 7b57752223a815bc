import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({
    example: 'bob',
    minLength: 1,
    maxLength: 100,
    description: 'The operator (member) the key belongs to; created if new.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  operatorName: string;
}
