import { ApiProperty } from '@nestjs/swagger';
import { IDENTITY_KINDS, IDENTITY_STATUSES } from '../../senders/dto/identity-enums';

export class SenderSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: IDENTITY_KINDS }) kind: string;
  @ApiProperty({ example: 'elipackage.test' }) identity: string;
  @ApiProperty({ enum: IDENTITY_STATUSES }) status: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
