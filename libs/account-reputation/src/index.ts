export * from './account-block-cache.service';
export * from './account-reputation.module';
export * from './clock';
export * from './reputation-env';
export * from './reputation-ledger.service';
export * from './reputation-window';
