import { ApiProperty } from '@nestjs/swagger';

export class MailFromView {
  @ApiProperty({ example: 'mail.elipackage.test' }) domain: string;
  @ApiProperty({ type: String, nullable: true, example: 'PENDING', description: 'SES MailFromDomainStatus' })
  status: string | null;
}
