export * from './identity-dns-records';
export * from './identity-status';
export * from './ses-identities';
export * from './ses-identity.error';
export * from './ses-identity-state';
