export * from './identities';
export * from './ses-client';
export * from './ses-env';
export * from './ses-events';
export * from './sns';
