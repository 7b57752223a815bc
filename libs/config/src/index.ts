export * from './base-env';
export * from './validate-env';
