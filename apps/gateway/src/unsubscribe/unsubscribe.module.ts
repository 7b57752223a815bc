import { Module } from '@nestjs/common';
import { EmailStatusModule } from '@postline/email-status';
import { UnsubscribeController } from './unsubscribe.controller';
import { UnsubscribeService } from './unsubscribe.service';

/** The signed unsubscribe link of every email: no API key, so no AuthModule. */
@Module({
  imports: [EmailStatusModule],
  controllers: [UnsubscribeController],
  providers: [UnsubscribeService],
})
export class UnsubscribeModule {}
