import { Module } from '@nestjs/common';
import { AccountReputationModule } from '@postline/account-reputation';
import { AuthModule } from '../auth/auth.module';
import { ReputationAdminController } from './reputation-admin.controller';
import { ReputationAdminService } from './reputation-admin.service';
import { ReputationViewService } from './reputation-view.service';
import { ReputationController } from './reputation.controller';

/** The account's reputation as the API shows it, and the admin's blocks; the reputation app computes it. */
@Module({
  imports: [AuthModule, AccountReputationModule],
  controllers: [ReputationController, ReputationAdminController],
  providers: [ReputationViewService, ReputationAdminService],
})
export class ReputationModule {}
