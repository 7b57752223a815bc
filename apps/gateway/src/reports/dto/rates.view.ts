import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { describeRate, type Rates } from '../report-rates';

const rate = (name: keyof Rates): ApiPropertyOptions => ({
  type: 'number',
  nullable: true,
  minimum: 0,
  description: describeRate(name),
});

/** Each rate names its numerator and denominator (counts of unique emails). */
export class RatesView implements Rates {
  @ApiProperty(rate('deliveryRate')) deliveryRate: number | null;
  @ApiProperty(rate('hardBounceRate')) hardBounceRate: number | null;
  @ApiProperty(rate('softBounceRate')) softBounceRate: number | null;
  @ApiProperty(rate('complaintRate')) complaintRate: number | null;
  @ApiProperty(rate('openRate')) openRate: number | null;
  @ApiProperty(rate('clickRate')) clickRate: number | null;
  @ApiProperty(rate('unsubscribeRate')) unsubscribeRate: number | null;
}
