import { ApiProperty } from '@nestjs/swagger';
import type { WebhookSecretView } from '../webhook-secret.service';

export class WebhookSecretViewDoc implements WebhookSecretView {
  @ApiProperty({
    pattern: '^whsec_',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Signs from now on',
  })
  secret: string;
  @ApiProperty({
    type: String,
    pattern: '^whsec_',
    nullable: true,
    description: 'The rotated-out secret while it still signs (two signatures are sent), else null',
  })
  previousSecret: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) previousSecretExpiresAt: string | null;
}
