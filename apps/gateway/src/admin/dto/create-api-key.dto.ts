import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'bob', description: 'The operator (member) the key belongs to; created if new.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @IsDefined({ message: '$property is required' })
  operatorName: string;
}
