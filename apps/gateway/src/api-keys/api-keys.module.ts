import { Module } from '@nestjs/common';
import { AccountsModule } from '../admin/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { ApiKeysAdminController } from './api-keys-admin.controller';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

@Module({
  imports: [AuthModule, AccountsModule],
  controllers: [ApiKeysController, ApiKeysAdminController],
  providers: [ApiKeysService],
})
export class ApiKeysModule {}
