// First: the generated Prisma client also puts `sql`, `join`, `raw` and `Sql` on its exports at runtime (not in
// its types), and with CommonJS the first `export *` of a name wins.
export * from './sql';
export * from './database.module';
export * from './generated';
export * from './group-commit';
export * from './pg-pool';
export * from './prisma.service';
export * from './transient-pg-error';
