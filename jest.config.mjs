// Jest in ESM mode (NestJS 12 is ESM-only). Three projects: unit (no infra), integration
// (a service against its real store and real NATS) and e2e (HTTP through the gateway, all apps running).
// Run them through `npm test`, which provisions the test stack first.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: {
    '^@polystore/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@polystore/platform$': '<rootDir>/libs/platform/src/index.ts',
    '^@polystore/manifest$': '<rootDir>/manifest.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  rootDir: '.',
};

export default {
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/src/**/*.spec.ts', '<rootDir>/test/lint/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      // test/ownership: the whole stack's ownership matrix (every login against every store).
      testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.int-spec.ts', '<rootDir>/test/ownership/**/*.int-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    // Runs the service generator on a scratch copy, then that copy's lint, typecheck and the new services' tests.
    { ...common, displayName: 'generator', testMatch: ['<rootDir>/test/generator/**/*.gen-spec.ts'] },
    // Chaos against the running system with invariants after it (a short profile in `npm test`, `npm run chaos` the full one).
    { ...common, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'] },
    // The Helm chart without a cluster: helm lint, helm template over value sets, schema checks, network policies.
    { ...common, displayName: 'helm', testMatch: ['<rootDir>/test/helm/**/*.helm-spec.ts'] },
  ],
};
