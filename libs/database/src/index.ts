export * from './database.module';
export * from './generated';
export * from './pg-pool';
export * from './prisma.service';
