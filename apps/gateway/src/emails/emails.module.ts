import { Module } from '@nestjs/common';
import { EmailLedgerModule } from '@postline/email-ledger';
import { AuthModule } from '../auth/auth.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { SendersModule } from '../senders/senders.module';
import { TemplatesModule } from '../templates/templates.module';
import { AcceptanceBatcher } from './acceptance-batcher.service';
import { EmailsController } from './emails.controller';
import { EmailsService } from './emails.service';
import { dnsResolverProvider } from './mx/dns-resolver.provider';
import { RecipientDomainCheck } from './mx/recipient-domain-check.service';
import { ScheduledEmailsController } from './scheduled-emails.controller';

/** Sending: acceptance (validation, checks, group commit), lookups, scheduled emails. */
@Module({
  imports: [AuthModule, IdempotencyModule, SendersModule, TemplatesModule, EmailLedgerModule],
  controllers: [EmailsController, ScheduledEmailsController],
  providers: [EmailsService, AcceptanceBatcher, dnsResolverProvider, RecipientDomainCheck],
})
export class EmailsModule {}
