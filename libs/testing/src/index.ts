export * from './factories';
export * from './free-port';
export * from './local-ses';
export * from './openapi-response-validator';
export * from './test-app';
export * from './local-redis-cluster';
export * from './test-redis';
export * from './test-postgres';
