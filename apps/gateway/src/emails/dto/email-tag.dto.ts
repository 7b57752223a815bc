import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';
import { SatisfiesRule } from './message-option-validators';
import { MAX_TAG_LENGTH, TAG_PATTERN, tagPartError } from './message-option-rules';

// Rules in words rather than as a `pattern`: the OpenAPI fuzz test draws strings and keeps those a pattern
// accepts, which for so narrow a set would take forever.
const TAG_RULE = `ASCII letters, digits, _ and - only (${TAG_PATTERN})`;

/** A name/value pair passed to SES as an EmailTag, kept with the email and echoed in callbacks. */
export class EmailTagDto {
  @ApiProperty({ example: 'campaign', minLength: 1, maxLength: MAX_TAG_LENGTH, description: TAG_RULE })
  @SatisfiesRuleTag()
  @IsDefined({ message: '$property is required' })
  name: string;

  @ApiProperty({ example: 'winter-sale', minLength: 1, maxLength: MAX_TAG_LENGTH, description: TAG_RULE })
  @SatisfiesRuleTag()
  @IsDefined({ message: '$property is required' })
  value: string;
}

function SatisfiesRuleTag(): PropertyDecorator {
  return SatisfiesRule('tagPart', tagPartError);
}
