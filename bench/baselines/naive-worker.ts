// Baseline for the drain: the design a user would write instead of Hookline's batches:
// one BullMQ job per (event, webhook), one got POST each. Prints events/s delivered.
import { Queue, Worker } from 'bullmq';
import got from 'got';
import { Redis } from 'ioredis';

const [redisUrl, prefix, target, countText] = process.argv.slice(2);
const count = Number(countText);
const connection = new Redis(redisUrl!, { maxRetriesPerRequest: null });
const queue = new Queue('naive', { connection, prefix });
const webhooks = 10;
for (let start = 0; start < count; start += 1000) {
  await queue.addBulk(
    Array.from({ length: Math.min(1000, count - start) }, (_, i) => {
      const seq = start + i;
      return {
        name: 'deliver',
        data: {
          url: `${target}/w${seq % webhooks}`,
          type: 'form.submitted',
          payload: { seq },
          at: new Date().toISOString(),
        },
        opts: { removeOnComplete: true, removeOnFail: true },
      };
    }),
  );
}
let done = 0;
let resolveDone: () => void = () => {};
const finished = new Promise<void>((resolve) => (resolveDone = resolve));
const started = performance.now();
const worker = new Worker(
  'naive',
  async (job) => {
    const d = job.data as { url: string; type: string; payload: Record<string, unknown>; at: string };
    await got.post(d.url, { json: { [d.type]: [{ ...d.payload, timestamp: d.at }] }, retry: { limit: 0 } });
    if (++done === count) resolveDone();
  },
  { connection, prefix, concurrency: 50 },
);
await finished;
const seconds = (performance.now() - started) / 1000;
await worker.close();
console.log(JSON.stringify({ events: count, seconds, eventsPerSecond: count / seconds }));
await queue.obliterate({ force: true });
await queue.close();
connection.disconnect();
