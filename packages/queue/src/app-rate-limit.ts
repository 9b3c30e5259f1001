import type { Redis } from 'ioredis';

// Applications' `rateLimit`, counted in Redis so that every ingest process shares one count:
// a fixed one-second window per application. Taking is atomic (one script): a request either
// takes all its events or none, so a refused request counts nothing.

const TAKE_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local count = tonumber(ARGV[1])
if used + count > tonumber(ARGV[2]) then
  local left = redis.call('PTTL', KEYS[1])
  if left < 0 then left = 1000 end
  return left
end
redis.call('INCRBY', KEYS[1], count)
redis.call('PEXPIRE', KEYS[1], 2000)
return -1`;

/** How long ingest waits for Redis before letting a request through uncounted, in ms. */
const TAKE_TIMEOUT_MS = 250;

export interface AppRateLimiter {
  take(appId: string, perSecond: number, count: number): Promise<{ retryAfterSeconds: number } | null>;
}

/**
 * The shared limiter. Without Redis (down, or slower than TAKE_TIMEOUT_MS) requests are let
 * through uncounted and `onUnavailable` is told: accepting events matters more than limiting
 * them, and ingest keeps accepting while Redis is away.
 */
export function createAppRateLimiter(
  redis: Redis,
  options: { prefix?: string; onUnavailable: (err: unknown) => void; now?: () => number },
): AppRateLimiter {
  const prefix = `${options.prefix ?? 'bull'}:hookline-rate:`;
  const now = options.now ?? Date.now;
  redis.defineCommand('hooklineRateTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  const takeIn = (redis as unknown as { hooklineRateTake(...a: (string | number)[]): Promise<number> })
    .hooklineRateTake;
  return {
    async take(appId, perSecond, count) {
      const second = Math.floor(now() / 1000);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer within ${TAKE_TIMEOUT_MS} ms`)),
          TAKE_TIMEOUT_MS,
        );
      });
      try {
        const left = await Promise.race([
          takeIn.call(redis, `${prefix}{${appId}}:${second}`, count, perSecond),
          timeout,
        ]);
        return left < 0 ? null : { retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
      } catch (err) {
        options.onUnavailable(err);
        return null;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
