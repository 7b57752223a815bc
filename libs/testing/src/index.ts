export * from './factories';
export * from './local-ses';
export * from './test-app';
