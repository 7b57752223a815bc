import { ApiProperty } from '@nestjs/swagger';
import { WebhookDeliveryView } from './webhook-delivery.view';

export class AccountNotificationPageView {
  @ApiProperty({
    type: [WebhookDeliveryView],
    description: 'Account notification deliveries (reputation, failing callback targets), newest first, every attempt',
  })
  items: WebhookDeliveryView[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor: string | null;
}
