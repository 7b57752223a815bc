export * from './database.module';
export * from './generated';
export * from './group-commit';
export * from './pg-pool';
export * from './prisma.service';
