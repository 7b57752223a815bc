export * from './client';
export type { components, operations, paths } from './generated/schema';
export * from './retrying-fetch';
export * from './webhook-verifier';
