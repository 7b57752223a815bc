import { Module } from '@nestjs/common';
import { EmailLedgerModule } from '@postline/email-ledger';
import { UnsubscribeController } from './unsubscribe.controller';
import { UnsubscribeService } from './unsubscribe.service';

/** The signed unsubscribe link of every email: no API key, so no AuthModule. */
@Module({
  imports: [EmailLedgerModule],
  controllers: [UnsubscribeController],
  providers: [UnsubscribeService],
})
export class UnsubscribeModule {}
