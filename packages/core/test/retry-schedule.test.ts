import { DEFAULT_RETRY_POLICY, nextRetry, parseRetryAfter } from '../src/index.js';

const policy = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 5 };

describe('nextRetry', () => {
  it('grows the delay between half and all of base * 2^(n-1)', () => {
    expect(nextRetry(1, policy, () => 0)).toEqual({ retry: true, delayMs: 500 });
    expect(nextRetry(1, policy, () => 1)).toEqual({ retry: true, delayMs: 1000 });
    expect(nextRetry(3, policy, () => 0)).toEqual({ retry: true, delayMs: 2000 });
    expect(nextRetry(3, policy, () => 1)).toEqual({ retry: true, delayMs: 4000 });
  });

  it('never comes back earlier than Retry-After, within the ceiling', () => {
    expect(nextRetry(1, policy, () => 0, 30_000)).toEqual({ retry: true, delayMs: 30_000 });
    expect(nextRetry(1, policy, () => 0, 10_000_000)).toEqual({ retry: true, delayMs: 60_000 });
  });

  it('stops after maxAttempts', () => {
    expect(nextRetry(5, policy, () => 0.5)).toEqual({ retry: false });
  });

  it('has a default policy spanning hours before giving up', () => {
    let total = 0;
    for (let n = 1; ; n++) {
      const d = nextRetry(n, DEFAULT_RETRY_POLICY, () => 1);
      if (!d.retry) break;
      total += d.delayMs;
    }
    expect(total).toBeGreaterThan(6 * 3600_000);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
