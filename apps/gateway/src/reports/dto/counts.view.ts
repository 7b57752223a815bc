import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import type { Counts } from '../report-shapes';

const unique = (what: string): ApiPropertyOptions => ({
  type: 'integer',
  description: `Emails that ${what} (each email once).`,
});

export class CountsView implements Counts {
  @ApiProperty(unique('were handed to SES')) sent: number;
  @ApiProperty(unique('SES reported delayed at least once')) delayed: number;
  @ApiProperty(unique("the recipient's server accepted")) delivered: number;
  @ApiProperty(unique('were opened at least once')) opened: number;
  @ApiProperty(unique('had at least one link clicked')) clicked: number;
  @ApiProperty(unique('bounced temporarily at least once')) softBounced: number;
  @ApiProperty(unique('bounced permanently')) hardBounced: number;
  @ApiProperty(unique('the recipient marked as spam')) complained: number;
  @ApiProperty(unique('the recipient unsubscribed from')) unsubscribed: number;
  @ApiProperty(
    unique(
      'were rejected before sending (BAD_TO, BAD_FROM, BLACKLISTED, BLOCKED_DUE_BAD_BEHAVIOUR, NOT_SENT, EXHAUSTED, INCOMPLETE)',
    ),
  )
  rejected: number;

  @ApiProperty({ type: 'integer', description: 'Every open reported, repeated opens of one email included.' })
  opensTotal: number;
  @ApiProperty({ type: 'integer', description: 'Every click reported, repeated clicks of one email included.' })
  clicksTotal: number;
}
