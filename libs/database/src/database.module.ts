import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { BaseEnv } from '@postline/config';
import { createPgPool, PG_POOL } from './pg-pool';
import { PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [ConfigService],
      useFactory: (config: ConfigService<BaseEnv, true>) =>
        createPgPool(config.get('DATABASE_URL', { infer: true }), config.get('DATABASE_POOL_SIZE', { infer: true })),
    },
    PrismaService,
  ],
  exports: [PG_POOL, PrismaService],
})
export class DatabaseModule {}
