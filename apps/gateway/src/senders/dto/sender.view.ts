import { ApiProperty } from '@nestjs/swagger';
import type { SenderView } from '../sender-view';
import { DnsRecordView } from './dns-record.view';
import { IDENTITY_KINDS, IDENTITY_STATUSES } from './identity-enums';
import { MailFromView } from './mail-from.view';

/** OpenAPI shape of a sender identity (SenderView). */
export class SenderViewDoc implements SenderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: IDENTITY_KINDS }) kind: SenderView['kind'];
  @ApiProperty({ example: 'elipackage.test', description: 'An address or a whole domain, lower-cased' })
  identity: string;
  @ApiProperty({ enum: IDENTITY_STATUSES }) status: SenderView['status'];
  @ApiProperty({ type: String, nullable: true }) statusReason: string | null;
  @ApiProperty({ type: MailFromView, nullable: true }) mailFrom: MailFromView | null;
  @ApiProperty({ type: [DnsRecordView], description: 'For a domain: the records to publish; empty for an address' })
  dnsRecords: DnsRecordView[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) verifiedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastCheckedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
