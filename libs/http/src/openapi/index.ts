export * from './api-responses';
export * from './error-envelope.doc';
export * from './meta.doc';
