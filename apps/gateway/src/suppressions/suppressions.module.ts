import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SuppressionsController } from './suppressions.controller';

@Module({
  imports: [AuthModule],
  controllers: [SuppressionsController],
})
export class SuppressionsModule {}
