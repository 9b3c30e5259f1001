/** @jest-config-loader esbuild-register */
import base from './jest.config';

// `npm run test:faults`: starts real ingest/worker processes and private Redis/Postgres
// instances, then breaks them. Serial: the scenarios kill and restart things.
const config = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 240_000,
  maxWorkers: 1,
};

export default config;
