import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

// The folders the dashboard and the portal are served from. Found through their packages, not
// relative to this module: the production build bundles it.
const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
const uplotDir = join(packageDir('uplot'), 'dist');
// htm's build of preact with htm: one ES module with no imports of its own, so the pages' modules
// load it as they are (no build step, no import map). htm exports no package.json.
const htmDir = join(dirname(dirname(createRequire(import.meta.url).resolve('htm'))), 'preact');
const publicDir = join(packageDir('@hookline/admin'), 'public');

/**
 * Serves the pages' files on `router`: `index` as its page (the dashboard's or the portal's),
 * the vendored uPlot and htm, and every module of the public folder, each with `headers` (its
 * Content-Security-Policy allows only this origin, and frames from `frameAncestors`). The pages
 * hold no data: every figure they show comes from the authenticated API.
 */
export function servePages(
  router: Router,
  page: { index: string; frameAncestors: string; headers: Record<string, string> },
): void {
  // Relative asset links need the trailing slash: /admin -> /admin/.
  router.get('/', (req, res, next) => {
    const [path, query] = req.originalUrl.split('?');
    if (path!.endsWith('/')) return next();
    res.redirect(301, `${path}/${query === undefined ? '' : `?${query}`}`);
  });
  // uPlot, the charting library, served from here like everything else (no CDN).
  router.use('/vendor/uplot', express.static(uplotDir, { maxAge: '1d' }));
  router.use('/vendor/htm', express.static(htmDir, { maxAge: '1d' }));
  router.use(
    express.static(publicDir, {
      index: page.index,
      setHeaders: (res) => {
        res.set('Cache-Control', 'no-cache');
        res.set(page.headers);
        res.set(
          'Content-Security-Policy',
          `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors ${page.frameAncestors}`,
        );
      },
    }),
  );
}
