// Three projects: unit specs beside the code, integration specs beside the
// code (run against PGlite and the PostgreSQL server), e2e specs in test/.
// ts-jest in transpile-only mode (type-checking is `npm run typecheck`'s job):
// pure JavaScript, so `npm ci` needs no platform-specific native binaries.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
  // NestJS 12 packages are ES modules only: see jest.esm-transform.js.
  '/node_modules/@nestjs/.+\\.js$': '<rootDir>/jest.esm-transform.js',
};
const transformIgnorePatterns = ['/node_modules/(?!@nestjs/)'];
// The app imports the library by its package name, as any app would; Jest
// maps it to the sources so that tests need no build (the build itself is
// tested by test/start-prod.e2e-spec.ts and test/consumer/run.sh).
const moduleNameMapper = {
  '^@nest-event-store/core/testing$': '<rootDir>/libs/event-store/src/testing',
  '^@nest-event-store/core/cqrs$': '<rootDir>/libs/event-store/src/cqrs',
  '^@nest-event-store/core/event-emitter$': '<rootDir>/libs/event-store/src/event-emitter',
  '^@nest-event-store/core$': '<rootDir>/libs/event-store/src',
};
const modulePathIgnorePatterns = ['<rootDir>/libs/event-store/dist/'];
const common = {
  transform,
  modulePathIgnorePatterns,
  transformIgnorePatterns,
  moduleNameMapper,
  testEnvironment: 'node',
  rootDir: __dirname,
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{libs,apps}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
