/** @jest-config-loader esbuild-register */
import base from './jest.config';

// `npm run test:unit`: the pure core's tests (payload building, signing, retry math, templates,
// filters, raw JSON), with no Postgres, Redis or network: no global setup, seconds to run.
const config = {
  ...base,
  roots: ['<rootDir>/packages/core/test'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 5_000,
};

export default config;
