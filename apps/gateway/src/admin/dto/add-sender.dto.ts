import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class AddSenderDto {
  @ApiProperty({
    example: 'promo@elipackage.test',
    minLength: 1,
    maxLength: 320,
    description: 'An email address, or a whole domain (elipackage.test).',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  @IsDefined({ message: '$property is required' })
  identity: string;
}
