import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMailbox } from '../../emails/dto/validators';

export class AddSuppressionDto {
  @ApiProperty({ example: 'someone@example.com', format: 'email', maxLength: 320 })
  @IsString()
  @IsNotEmpty()
  @IsMailbox()
  @IsDefined({ message: '$property is required' })
  address: string;

  @ApiPropertyOptional({ example: 'asked by phone', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  detail?: string;
}
