import { Router } from 'express';
import { servePages } from './public-files.js';

export interface PortalOptions {
  /** HOOKLINE_PORTAL_FRAME_ANCESTORS: who may embed the portal in a frame (CSP frame-ancestors). */
  frameAncestors: string;
}

/**
 * /portal: the page an application's customers manage their endpoints on, built from the
 * dashboard's modules and served from the same folder, with portal.html as its page. It holds no
 * key: the token comes in the link's fragment (docs/PORTAL.md).
 */
export function portalRoutes(options: PortalOptions): Router {
  const router = Router();
  // The dashboard's own page is not the portal's.
  router.get('/index.html', (_req, res) => res.redirect(301, './'));
  servePages(router, {
    index: 'portal.html',
    frameAncestors: options.frameAncestors,
    // No Referer leaves the page, whatever it links to.
    headers: { 'Referrer-Policy': 'no-referrer' },
  });
  return router;
}
