import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SendersModule } from '../senders/senders.module';
import { AccountController } from './account.controller';

@Module({
  imports: [AuthModule, SendersModule],
  controllers: [AccountController],
})
export class AccountModule {}
