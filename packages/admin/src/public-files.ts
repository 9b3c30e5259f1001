import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The folders the dashboard and the portal are served from. Found through their packages, not
// relative to this module: the production build bundles it.
const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
export const uplotDir = join(packageDir('uplot'), 'dist');
// htm's build of preact with htm: one ES module with no imports of its own, so the pages' modules
// load it as they are (no build step, no import map). htm exports no package.json.
export const htmDir = join(dirname(dirname(createRequire(import.meta.url).resolve('htm'))), 'preact');
export const publicDir = join(packageDir('@hookline/admin'), 'public');
