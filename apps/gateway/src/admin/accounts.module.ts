import { Module } from '@nestjs/common';
import { AccountsService } from './accounts.service';

/** Accounts as the admin API sees them, for the admin controllers of every feature. */
@Module({
  providers: [AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}
