// A receiver for Hookline deliveries in Express: verify, deduplicate, process, answer 2xx.
// Run it: HOOKLINE_SECRET=... PORT=4000 npx tsx --conditions=hookline-src packages/verify/examples/express-receiver.ts
import express from 'express';
import { hooklineWebhook } from '@hookline/verify';

export type Batch = Record<string, Array<Record<string, unknown> & { timestamp: string }>>;

export function receiverApp(options: {
  secret: string;
  scheme?: 'mautic' | 'standard';
  onBatch: (batch: Batch, deliveryId: string) => void | Promise<void>;
}): express.Express {
  const app = express();
  // Delivery is at least once: a retried batch keeps its delivery id, so remember the ids seen
  // (in production: a unique column in your database, not memory).
  const seen = new Set<string>();
  app.post(
    '/hookline',
    express.raw({ type: () => true, limit: '2mb' }),
    hooklineWebhook({ secret: options.secret, scheme: options.scheme }),
    async (req, res) => {
      const deliveryId = String(req.headers['x-hookline-delivery'] ?? req.headers['webhook-id'] ?? '');
      if (!seen.has(deliveryId)) {
        await options.onBatch(req.body as Batch, deliveryId);
        seen.add(deliveryId);
      }
      // Any 2xx is success; answer fast and do slow work after (Hookline waits up to timeoutMs).
      res.status(204).end();
    },
  );
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const secret = process.env.HOOKLINE_SECRET;
  if (!secret) throw new Error('set HOOKLINE_SECRET to the webhook secret');
  const scheme = process.env.HOOKLINE_SIGNATURE === 'standard' ? 'standard' : 'mautic';
  receiverApp({
    secret,
    scheme,
    onBatch: (batch, id) =>
      console.log(
        id,
        Object.entries(batch).map(([type, events]) => `${type}: ${events.length}`),
      ),
  }).listen(Number(process.env.PORT ?? 4000));
}
