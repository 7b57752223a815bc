import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Body of an operator's block or unblock: the note is required and kept in the account's reputation history. */
export class ReputationNoteDto {
  @ApiProperty({
    example: 'Bounce source fixed: list cleaned with the customer on 2026-03-02',
    maxLength: 1000,
    pattern: '\\S',
    description: 'Why; stored as the reason.',
  })
  @IsString()
  @Matches(/\S/, { message: 'note must not be blank' })
  @MaxLength(1000)
  @IsDefined({ message: '$property is required' })
  note: string;

  @ApiPropertyOptional({
    example: 'maria',
    minLength: 1,
    maxLength: 100,
    description: 'Who in the support team acts; recorded as actor `admin:<operator>`.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  operator?: string;
}
