export * from './identities';
export * from './ses-client';
export * from './ses-events';
export * from './sns';
