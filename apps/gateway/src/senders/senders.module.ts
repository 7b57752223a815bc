import { Module } from '@nestjs/common';
import { AccountReputationModule } from '@postline/account-reputation';
import { AccountsModule } from '../admin/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { AccountPolicyService } from './account-policy.service';
import { IdentityStatusSync } from './identity-status-sync.service';
import { IdentitySyncScheduler } from './identity-sync-scheduler.service';
import { IdentitySyncProcessor } from './identity-sync.processor';
import { SenderIdentitiesService } from './sender-identities.service';
import { SendersAdminController } from './senders-admin.controller';
import { SendersController } from './senders.controller';
import { sesIdentitiesProvider } from './ses-identities.provider';

/** Sender identities, their SES sync (the identity-sync worker) and the account policy acceptance reads. */
@Module({
  imports: [AuthModule, AccountsModule, AccountReputationModule],
  controllers: [SendersController, SendersAdminController],
  providers: [
    AccountPolicyService,
    SenderIdentitiesService,
    sesIdentitiesProvider,
    IdentityStatusSync,
    IdentitySyncProcessor,
    IdentitySyncScheduler,
  ],
  exports: [AccountPolicyService, SenderIdentitiesService],
})
export class SendersModule {}
