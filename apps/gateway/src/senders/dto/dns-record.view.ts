import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DnsRecord } from '@postline/ses';

export class DnsRecordView implements DnsRecord {
  @ApiProperty({ enum: ['DKIM', 'MAIL_FROM_MX', 'MAIL_FROM_SPF', 'DMARC'] }) purpose: DnsRecord['purpose'];
  @ApiProperty({ enum: ['CNAME', 'MX', 'TXT'] }) type: DnsRecord['type'];
  @ApiProperty({ example: 'abc._domainkey.elipackage.test', description: 'Fully qualified record name' }) name: string;
  @ApiProperty({ description: 'A CNAME target, an MX exchange, or TXT text (without quotes)' }) value: string;
  @ApiPropertyOptional({ type: 'integer', description: 'MX preference' }) priority?: number;
  @ApiProperty({ description: 'False for a suggestion that verification does not depend on (DMARC)' })
  required: boolean;
  @ApiPropertyOptional() note?: string;
}
