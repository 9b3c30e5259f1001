import { Redis } from 'ioredis';

/** A Redis connection BullMQ can block on (it requires `maxRetriesPerRequest: null`). */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
