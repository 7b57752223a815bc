export * from './database.module';
export * from './combined-statement';
export * from './generated';
export * from './group-commit';
export * from './pg-pool';
export * from './prisma.service';
export * from './transient-pg-error';
