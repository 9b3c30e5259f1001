import {
  cronPatternProblem,
  jsonTooComplex,
  lockMsFor,
  parseEnv,
  baseEnvSchema,
  ConfigError,
} from '@hookline/core';

describe('cronPatternProblem', () => {
  it('accepts 5 fields, and 6 with seconds first', () => {
    expect(cronPatternProblem('* * * * *')).toBeUndefined();
    expect(cronPatternProblem('*/1 * * * * *')).toBeUndefined();
    expect(cronPatternProblem('0 */5 * * 1-5')).toBeUndefined();
  });

  it('refuses a 4-field pattern that cron-parser would read as something else', () => {
    expect(cronPatternProblem('*/5 * * *')).toBe(
      'has 4 fields; use 5 (minute hour day month weekday) or 6 (seconds first)',
    );
    expect(cronPatternProblem('* * * * * * *')).toMatch(/^has 7 fields/);
    expect(cronPatternProblem('')).toMatch(/^has 0 fields/);
  });

  it('refuses values out of range with the parser’s reason', () => {
    expect(cronPatternProblem('61 * * * *')).toMatch(/constraint error.*61/);
  });
});

describe('jsonTooComplex', () => {
  const limits = { maxDepth: 3, maxKeys: 2 };
  it('counts the payload object as level 1, arrays as levels too', () => {
    expect(jsonTooComplex({ a: { b: 1 } }, limits)).toBeUndefined();
    expect(jsonTooComplex({ a: { b: { c: 1 } } }, limits)).toBeUndefined();
    expect(jsonTooComplex({ a: { b: { c: {} } } }, limits)).toBe('nests deeper than 3 levels');
    expect(jsonTooComplex({ a: [[{}]] }, limits)).toBe('nests deeper than 3 levels');
  });

  it('limits the keys of any one object, not the total', () => {
    expect(jsonTooComplex({ a: { x: 1, y: 2 }, b: { x: 1, y: 2 } }, limits)).toBeUndefined();
    expect(jsonTooComplex({ a: { x: 1, y: 2, z: 3 } }, limits)).toBe('has an object with 3 keys (at most 2)');
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonTooComplex(deep, { maxDepth: 64, maxKeys: 10 })).toBe('nests deeper than 64 levels');
  });
});

describe('lockMsFor', () => {
  it('is the request timeout plus 10 s of slack', () => {
    expect(lockMsFor({ timeoutMs: 15_000 })).toBe(25_000);
  });
});

describe('parseEnv', () => {
  it('throws one ConfigError line naming every wrong variable', () => {
    let error: unknown;
    try {
      parseEnv(baseEnvSchema, { DATABASE_URL: 'mysql://x/y', REDIS_URL: 'nope' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      /^invalid environment: DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\/; REDIS_URL: /,
    );
  });
});
