import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';
import { SatisfiesRule } from './message-option-validators';
import { MAX_TAG_LENGTH, TAG_PATTERN, tagPartError } from './message-option-rules';

/** A name/value pair passed to SES as an EmailTag, kept with the email and echoed in callbacks. */
export class EmailTagDto {
  @ApiProperty({ example: 'campaign', minLength: 1, maxLength: MAX_TAG_LENGTH, pattern: TAG_PATTERN })
  @SatisfiesRuleTag()
  @IsDefined({ message: '$property is required' })
  name: string;

  @ApiProperty({ example: 'winter-sale', minLength: 1, maxLength: MAX_TAG_LENGTH, pattern: TAG_PATTERN })
  @SatisfiesRuleTag()
  @IsDefined({ message: '$property is required' })
  value: string;
}

function SatisfiesRuleTag(): PropertyDecorator {
  return SatisfiesRule('tagPart', tagPartError);
}
