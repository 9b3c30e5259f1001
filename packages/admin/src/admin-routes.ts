import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { Router } from 'express';
import { requireRole, type Authenticate } from '@hookline/api';
import { clearSessionCookie, cookieAsBearer, setSessionCookie } from './admin-session.js';
import { htmDir, publicDir, uplotDir } from './public-files.js';

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

  // Relative asset links need the trailing slash: /admin -> /admin/.
  router.get('/', (req, res, next) => {
    const [path, query] = req.originalUrl.split('?');
    if (path!.endsWith('/')) return next();
    res.redirect(301, `${path}/${query === undefined ? '' : `?${query}`}`);
  });

  // uPlot, the charting library, served from here like everything else (no CDN).
  router.use('/vendor/uplot', express.static(uplotDir, { maxAge: '1d' }));
  router.use('/vendor/htm', express.static(htmDir, { maxAge: '1d' }));

  // The dashboard itself holds no data: every figure it shows comes from the authenticated API.
  router.use(
    express.static(publicDir, {
      index: 'index.html',
      setHeaders: (res) => {
        res.set('Cache-Control', 'no-cache');
        res.set('X-Frame-Options', 'DENY');
        res.set(
          'Content-Security-Policy',
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        );
      },
    }),
  );
  return router;
}
