/** @jest-config-loader esbuild-register */
import { createDefaultEsmPreset, type JestConfigWithTsJest } from 'ts-jest';

// Tests run against real Postgres and Redis; each file gets its own database
// (cloned from a migrated template made once per run) and BullMQ prefix.
const config: JestConfigWithTsJest = {
  ...createDefaultEsmPreset(),
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['hookline-src', 'node', 'default'] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  roots: ['<rootDir>/packages', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/faults/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30_000,
  // Two cores: integration files each start HTTP servers and BullMQ workers.
  maxWorkers: 2,
};

export default config;
