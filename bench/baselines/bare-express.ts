// Baseline for ingest: a bare Express 5 JSON endpoint that stores nothing.
import express from 'express';

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/v1/events', (req, res) => {
  const body = req.body as { events?: unknown[] };
  res.status(202).json({ accepted: Array.isArray(body.events) ? body.events.length : 1 });
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('baseline listening'));
