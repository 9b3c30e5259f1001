import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { Router } from 'express';
import { requireRole, type Authenticate } from '@hookline/api';
import { clearSessionCookie, cookieAsBearer, setSessionCookie } from './admin-session.js';
import { servePages } from './public-files.js';

export interface AdminOptions {
  /** The API's Bearer authentication (the same keys and roles as /v1). */
  authenticate: Authenticate;
  /** Queues shown in Bull Board: the drain queue. */
  queues: Queue[];
}

type ViewEngine = (
  path: string,
  options: object,
  callback: (err: Error | null, html?: string) => void,
) => void;

/**
 * Bull Board's page links IBM Plex from Google Fonts: an off-origin request on every visit, and a
 * page that waits on the network offline. Its HTML is rendered without that link (the page falls
 * back to the system's sans-serif and monospace fonts); everything else it loads is served here.
 */
function withoutCdnFonts(app: express.Express): express.Express {
  const render = (app as unknown as { engines: Record<string, ViewEngine> }).engines['.ejs']!;
  app.engine('ejs', (path, options, callback) =>
    render(path, options, (err, html) =>
      callback(err, html?.replace(/<link[^>]*fonts\.(?:googleapis|gstatic)\.com[^>]*>/g, '')),
    ),
  );
  return app;
}

/**
 * Everything under /admin: the dashboard (static files calling the JSON API with the admin key),
 * the sign-in that sets the session cookie, and Bull Board behind that cookie.
 */
export function adminRoutes(options: AdminOptions): Router {
  const router = Router();
  const adminOnly = [cookieAsBearer, options.authenticate, requireRole()];

  // Sign-in: the dashboard posts the key it was given. Any valid key signs in (the API decides
  // what it may do); only an installation admin key gets the session cookie of Bull Board.
  router.post('/session', options.authenticate, (req, res) => {
    const caller = res.locals.caller;
    if (caller?.kind === 'installation' && caller.role === 'admin')
      setSessionCookie(req, res, /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')![1]!);
    res.status(204).end();
  });
  router.delete('/session', (_req, res) => {
    clearSessionCookie(res);
    res.status(204).end();
  });

  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({
    queues: options.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Hookline queues' } },
  });
  router.use('/queues', ...adminOnly, withoutCdnFonts(board.getRouter() as express.Express));

  servePages(router, {
    index: 'index.html',
    frameAncestors: "'none'",
    headers: { 'X-Frame-Options': 'DENY' },
  });
  return router;
}
