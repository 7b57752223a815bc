export * from './base-env';
export * from './validate-env';
export * from './redis-url';
