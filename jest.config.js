// Unit tests (`*.spec.ts`, no services) and integration tests (`*.int-spec.ts`, real Postgres and Redis).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc, '/content-disposition/.+\\.js$': swc },
  // @fastify/static (the gateway's console) loads content-disposition, which ships as an ES module only: it is
  // compiled to CommonJS like our sources; every other dependency is loaded as it is.
  transformIgnorePatterns: ['/node_modules/(?!(.*/)?content-disposition/)'],
  // The SDK is published as @postline/client; the other libs are named after their folder.
  moduleNameMapper: {
    '^@postline/client$': '<rootDir>/libs/sdk/src/index.ts',
    '^@postline/(.*)$': '<rootDir>/libs/$1/src/index.ts',
  },
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/scripts', '<rootDir>/deploy'],
  // Nest and class-validator read decorator metadata through the Reflect API polyfill.
  setupFiles: ['reflect-metadata'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      setupFiles: ['reflect-metadata', '<rootDir>/libs/testing/src/setup-unit.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFiles: ['reflect-metadata', '<rootDir>/libs/testing/src/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/setup-database.ts'],
    },
  ],
};
