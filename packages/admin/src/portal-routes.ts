import express, { Router } from 'express';
import { htmDir, publicDir, uplotDir } from './public-files.js';

export interface PortalOptions {
  /** HOOKLINE_PORTAL_FRAME_ANCESTORS: who may embed the portal in a frame (CSP frame-ancestors). */
  frameAncestors: string;
}

/**
 * /portal: the page an application's customers manage their endpoints on, built from the
 * dashboard's modules and served from the same folder, with portal.html as its page. It holds no
 * data and no key: the token comes in the link's fragment, and every figure from the API.
 */
export function portalRoutes(options: PortalOptions): Router {
  const router = Router();
  // Relative asset links need the trailing slash: /portal -> /portal/.
  router.get('/', (req, res, next) => {
    const [path, query] = req.originalUrl.split('?');
    if (path!.endsWith('/')) return next();
    res.redirect(301, `${path}/${query === undefined ? '' : `?${query}`}`);
  });
  router.use('/vendor/uplot', express.static(uplotDir, { maxAge: '1d' }));
  router.use('/vendor/htm', express.static(htmDir, { maxAge: '1d' }));
  // The dashboard's own page is not the portal's.
  router.get('/index.html', (_req, res) => res.redirect(301, './'));
  router.use(
    express.static(publicDir, {
      index: 'portal.html',
      setHeaders: (res) => {
        res.set('Cache-Control', 'no-cache');
        // No Referer leaves the page, whatever it links to.
        res.set('Referrer-Policy', 'no-referrer');
        res.set(
          'Content-Security-Policy',
          `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors ${options.frameAncestors}`,
        );
      },
    }),
  );
  return router;
}
