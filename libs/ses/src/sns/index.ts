export * from './certificate-store';
export * from './sns-envelope';
export * from './sns-signer';
export * from './sns-url';
export * from './sns-verification.error';
export * from './sns-verifier';
export * from './string-to-sign';
