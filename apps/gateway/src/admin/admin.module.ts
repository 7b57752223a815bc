import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SendersModule } from '../senders/senders.module';
import { AccountsModule } from './accounts.module';
import { AdminController } from './admin.controller';

/** The admin API of accounts (create, list, block); other features serve their own admin routes. */
@Module({
  imports: [AuthModule, AccountsModule, SendersModule],
  controllers: [AdminController],
})
export class AdminModule {}
